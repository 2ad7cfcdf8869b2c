"""Which source sentences a claim rests on.

The model names the sentences it used; `choose` keeps the one that best supports the claim (the
model's picks win ties) and a second one only when it adds words of the claim. `complete` then cites
the other sentences a claim was written from: the model often names one sentence for a claim that
joins two ("the objective is A, and the hope is B" from one sentence on A and one on B), or a sentence
that shares only part of the claim's words (a heading restating the story) where another says it
all. A sentence is added only when it brings at least three of the claim's ordinary words that no
cited sentence holds (no name, no number, no word of the question: one swapped attribute, "French"
for "British", is never made up by gluing on a sentence that happens to hold it; with two, a title
restated beside a name, "the US Secretary of State", cited a sentence for those two words alone).
A sentence the others then cover is dropped from its citations while the exact checks (names,
numbers, dates: `exact`) still pass on what is left. Those checks are made on the sentences
`choose` gave, so completing never lets a claim pass that failed them; the coverage check that
follows (`rag.coverage`) reads every cited sentence, added ones included.
"""

from __future__ import annotations

from typing import Callable, Sequence

from . import lang
from .keywords import tokenize
from .sentences import Sentence

MODEL_CHOICE_BONUS = 0.05  # the model's own evidence wins ties
MAX_EVIDENCE = 3  # sentences one claim may cite
MIN_GAIN = 3  # ordinary words of the claim a sentence must add to be cited with the others (docs/quality-log.md)

Support = Callable[[Sentence], float]


def stems(text: str) -> set[str]:
    """The text's keyword forms cut to a crude stem: "ministre" ~ "ministres"."""
    return {w[:5] for w in tokenize(text)}


def word_stems(text: str) -> set[str]:
    """`stems`, with the plural ending of a word of four or five letters taken off first: the cut to five
    letters alone leaves "bees" and "bee", "jours" and "jour" apart ("press", "class" keep their s)."""
    return {(w[:-1] if 3 < len(w) <= 5 and w[-1] in "sx" and not w.endswith("ss") else w)[:5] for w in tokenize(text)}


def plain_stems(claim: str, question: str) -> set[str]:
    """The stems of the claim's ordinary words (no name, number or stopword) that the question lacks."""
    return {s for w in lang.content_words(claim) for s in stems(w)} - stems(question)


def choose(claim: str, sentences: Sequence[Sentence], chosen: Sequence[Sentence], support: Support,
           min_support: float) -> list[Sentence]:
    """The sentence that best supports the claim (the model's picks get a small bonus),
    plus a second one only when it covers content words the first does not.

    A sentence the model did not pick needs `min_support` + 0.1 to be cited instead of its picks; one
    under that does not stand in the way of the model's best pick that has `min_support` ("The
    campsite is closed the rest of the year." rests on "Il reste fermé le reste de l'année.", 0.46,
    which the model picked, though "Le camping est ouvert du 1er avril au 15 octobre.", 0.51, comes
    closer to the question and claim together)."""
    picked = {s.number for s in chosen}
    ranked = sorted(sentences, key=lambda s: -(support(s) + (MODEL_CHOICE_BONUS if s.number in picked else 0.0)))
    best = ranked[0]
    if best.number not in picked and support(best) < min_support + 0.1:
        best = next((s for s in ranked if s.number in picked), None)
        if best is None:
            return []
    if support(best) < min_support:
        return []
    keep = [best]
    words = stems(claim)
    covered = words & stems(best.text)
    for s in [s for s in ranked if s is not best][:2]:
        gain = (words & stems(s.text)) - covered
        if s.number in picked and support(s) >= min_support and words and len(gain) / len(words) >= 0.25:
            keep.append(s)
            break
    return keep


def complete(claim: str, question: str, keep: list[Sentence], sentences: Sequence[Sentence], support: Support,
             min_support: float, stands: Callable[[list[Sentence]], bool]) -> list[Sentence]:
    """`keep` with the other sentences the claim was written from, and without those the others then cover.

    Greedy: while the claim has ordinary words that no cited sentence holds, the supporting sentence
    (support at least `min_support`) that holds most of them is added, if it holds at least `MIN_GAIN`.
    A sentence that holds some of the claim's words, all of which the others hold, is then dropped,
    weakest first, only while `stands` (the exact checks on what would be cited) still holds. One that
    holds none is kept: across languages the words do not match, and the sentence may say the rest."""
    words = plain_stems(claim, question)
    if not keep or not words:
        return keep
    cited = list(keep)
    missing = words - set().union(*(stems(s.text) for s in cited))
    while missing and len(cited) < MAX_EVIDENCE:
        gains = [(len(stems(s.text) & missing), -support(s), s.number, s) for s in sentences
                 if s not in cited and support(s) >= min_support]
        if not gains:
            break
        gain, _, _, best = min(gains, key=lambda g: (-g[0], g[1], g[2]))
        if gain < MIN_GAIN:
            break
        cited.append(best)
        missing -= stems(best.text)
    if len(cited) == len(keep):
        return keep
    for s in sorted(cited, key=support):
        others = [o for o in cited if o is not s]
        held = stems(s.text) & words  # none: nothing to compare (a sentence in the other language)
        if others and held and held <= set().union(*(stems(o.text) for o in others)) and stands(others):
            cited = others
    return cited
