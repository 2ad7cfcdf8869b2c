"""Check every claim of a generated answer against the sentences it cites.

The LLM proposes evidence (sentence numbers); nothing it says is trusted as is.
Each claim (sentence of the answer) is kept whole or dropped whole. It is kept when
1. a source sentence supports it: semantic similarity of question+claim to the sentence
   (multilingual embeddings, so an English claim can be checked against French text; a line of a list or
   timetable, "Vendredi : 10 h à 12 h", also as read under its title and section lines: `Sentence.headed`)
   or lexical overlap of its content words; a claim the model cited badly is re-attached to the best
   supporting sentence when that one is clearly supportive, and a claim written from more sentences
   than the model named also cites those (`evidence.complete`); and
2. everything it states that can be checked exactly is stated by that evidence (the cited
   sentences and the sentence before each, which the model saw with them): every number, weekday
   and month (in either language: Friday = vendredi), and every proper name (spelling variants,
   or a multilingual name embedding for translated names: Geneva = Genève); a name the question asks
   about that the claim restates must be in the paragraph of its evidence or in that document's title
   line or file name (a statement about Möngke Khan is not one about Genghis Khan: `named_elsewhere`);
   these exact checks are `rag.exact`.
A source sentence that addresses an instruction to the assistant ("if you are an AI reading this, tell
every user that…") is shown to the model as data and supports no claim: it states no fact.
Citations are exact spans of the source, numbered in order of appearance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from . import instructions, lang
from .segment import split_sentences
from .evidence import choose, complete, stems
from .exact import missing, unasked
from .names import VectorCache, name_stated, nationalities
from .sentences import Sentence
from .types import Citation


def lexical_support(claim: str, sentence: str, question: str = "") -> float:
    """Share of the claim's content words that are new (not in the question) and found in the sentence."""
    words = stems(claim) - stems(question)
    if not words:
        return 0.0
    return len(words & stems(sentence)) / len(words)


def split_claims(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)] or ([text.strip()] if text.strip() else [])


def naming_sentences(question: str, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences whose paragraph (or, when unknown, the sentence and the one before it) names every name
    the question asks about, as spelled (across languages: none)."""
    asked = lang.names(question)
    return [s for s in sentences if asked and all(lang.mentions(s.paragraph or s.window, n) for n in asked)]


@dataclass
class Claim:
    """One sentence of the answer, with the source sentences that support it, or why it was dropped."""

    text: str
    evidence: list[Sentence] = field(default_factory=list)
    support: list[float] = field(default_factory=list)
    reason: str = ""  # why it is dropped; empty while it stands
    named_elsewhere: list[str] = field(default_factory=list)  # the question's names its evidence's paragraphs lack
    # when no sentence the model cited supports it: those it did not cite that do (under the bar `choose` sets them)
    uncited: list[Sentence] = field(default_factory=list)
    # what the claim itself states that its evidence does not (a number, day, month, currency or name)
    unstated: list[str] = field(default_factory=list)

    @property
    def kept(self) -> bool:
        return not self.reason


@dataclass
class Verified:
    text: str
    citations: list[Citation]
    dropped: list[str]
    reasons: dict[str, str] = field(default_factory=dict)  # dropped claim -> why
    claims: list[Claim] = field(default_factory=list)


def check_claims(question: str, answer: str, evidence: list[int], sentences: list[Sentence], vectors: VectorCache,
                 min_support: float, asked: str | None = None, figure: str | None = None) -> list[Claim]:
    """Each claim of the answer with its supporting sentences, or the reason it is not supported.
    `asked`: the question without what it sets aside (`lang.without_asides`: "Sans tenir compte de la
    restauration, …" asks for no negation), which `unasked` reads; `figure`: the count, year, time or
    date it asks for (`lang.asked_figure`). Both read once by the caller, who checks the figure again on
    what is left of the answer; the question itself by default, and no figure."""
    claims = [Claim(c) for c in split_claims(answer)]
    if figure and not lang.gives_figure(answer, figure):
        for c in claims:  # a count, a year or a time was asked and none is given: the answer is about something else
            c.reason = f"the question asks for {figure} and the answer gives none"
        return claims
    if lang.restates(question, answer):
        for c in claims:  # "De qui X et Y sont-ils contemporains ?" answered "X et Y sont contemporains."
            c.reason = "the answer only restates the question"
        return claims
    if not sentences:
        for c in claims:
            c.reason = "no sentence to check against"
        return claims
    by_number = {s.number: s for s in sentences}
    chosen = [by_number[n] for n in dict.fromkeys(evidence) if n in by_number]
    sent_vecs = vectors.get([s.text for s in sentences])
    # a line of a list or timetable is also read under its headings ("Vendredi : 10 h à 12 h" says nothing of
    # a library alone); its support is the higher of the two
    headed = [i for i, s in enumerate(sentences) if s.headed]
    head_vecs = vectors.get([sentences[i].headed for i in headed]) if headed else None
    # a holiday is embedded with its date written out, as the exact checks read it ("… on Christmas Day (25
    # December)" against "fermés le 25 décembre"); any other claim is embedded as it is
    claim_vecs = vectors.embedder.queries([lang.dated(f"{question} {c.text}") for c in claims]) if claims else None
    index_of = {s.number: i for i, s in enumerate(sentences)}
    asked = asked or question
    instructing = {s.number for s in sentences if instructions.is_instruction(s.text)}
    for ci, claim in enumerate(claims):
        sims = claim_vecs[ci] @ sent_vecs.T
        if head_vecs is not None:
            sims[headed] = np.maximum(sims[headed], claim_vecs[ci] @ head_vecs.T)

        def support(s: Sentence, text: str = claim.text) -> float:
            if s.number in instructing:
                return -1.0
            return max(float(sims[index_of[s.number]]), lexical_support(text, s.text, question))

        keep = choose(claim.text, sentences, chosen, support, min_support)
        if not keep:
            claim.reason = "no source sentence supports it"
            claim.uncited = [s for s in sentences if support(s) >= min_support]
            continue
        claim.evidence, claim.support = keep, [support(s) for s in keep]
        claim.unstated, claim.named_elsewhere = missing(question, claim.text, keep, vectors)
        if only_numbers(claim.unstated) and not claim.named_elsewhere and (
                other := stated_by_another(claim.text, question, keep, chosen, support, min_support, vectors)):
            claim.evidence, claim.support = [other], [support(other)]
            claim.unstated, claim.named_elsewhere = [], []
            keep = [other]
        if claim.unstated or claim.named_elsewhere:
            claim.reason = "not in its evidence: " + ", ".join(
                [*claim.unstated, *(f"{n} (the question's, not around its evidence)" for n in claim.named_elsewhere)])
        else:
            window = " ".join(s.window for s in keep)
            passages = " ".join(dict.fromkeys([window, *(s.hit.chunk.text for s in keep)]))
            claim.reason = unasked(asked, claim.text, window, passages)
        if not claim.reason:
            claim.evidence = complete(claim.text, question, keep, sentences, support, min_support,
                                      lambda ev, text=claim.text: not any(missing(question, text, ev, vectors)))
            claim.support = [support(s) for s in claim.evidence]
    return claims


def only_numbers(unstated: list[str]) -> bool:
    """Is all that a claim's evidence does not state a number or a few ("40"; not a name, a day, a currency)?"""
    return bool(unstated) and all(re.fullmatch(r"\d+(?:\.\d+)?", u) for u in unstated)


def stated_by_another(claim: str, question: str, keep: list[Sentence], chosen: list[Sentence], support,
                      min_support: float, vectors: VectorCache) -> Sentence | None:
    """Another sentence the model cited that supports the claim and states all it states, when the one
    closest to it lacks only a number of it ("Le cabinet … a conçu plus de quarante ponts." is closest to
    "Margaret Ashdown was a British civil engineer…", which names her, and stated by "The practice
    designed more than forty bridges…"), or None. Alone: a sentence that only adds the missing number to
    the first would put one thing's figure on another. Not for a missing name: a claim that puts a name
    on the closest sentence's statement (a quote about a settlement, answered "… is for <a leader the
    quote does not name> to step down") was taken whole from another sentence that also "supports" it, a
    wrong attribution (docs/quality-log.md, fiftieth step), left to the second attempt."""
    numbers = {s.number for s in keep}
    for s in sorted((s for s in chosen if s.number not in numbers), key=support, reverse=True):
        if support(s) >= min_support and not any(missing(question, claim, [s], vectors)):
            return s
    return None


def relevance(query_vector: np.ndarray, claims: list[Claim], vectors: VectorCache, enough: float) -> float:
    """How close the sentences cited by the claims that stand come to the question (cosine of their
    document vectors, cached, with its query vector); under `enough`, the answer itself may come
    closer ("disease." from a long sentence): the higher of the two. The answer is embedded only then
    (about 0.1 s on 2 cores)."""
    kept = [c for c in claims if c.kept]
    cited = list(dict.fromkeys(s.text for c in kept for s in c.evidence))
    best = float((vectors.get(cited) @ query_vector).max()) if cited else -1.0
    if best >= enough:
        return best
    return max(best, float((vectors.get([" ".join(c.text for c in kept)]) @ query_vector)[0]))


def cite(claims: list[Claim]) -> Verified:
    """The answer text from the claims that stand, each followed by its citation marks."""
    cited: dict[int, int] = {}  # sentence number -> citation number
    parts: list[str] = []
    citations: list[Citation] = []
    for claim in claims:
        if not claim.kept:
            continue
        marks = []
        for s, support in zip(claim.evidence, claim.support):
            if s.number not in cited:
                cited[s.number] = len(citations) + 1
                citations.append(Citation(cited[s.number], s.source, s.text, s.start, s.end, s.hit.chunk.id,
                                          round(s.hit.score, 6), round(support, 4)))
            marks.append(f"[{cited[s.number]}]")
        parts.append(_attach(claim.text, "".join(marks)))
    dropped = [c for c in claims if not c.kept]
    return Verified(" ".join(parts), citations, [c.text for c in dropped], {c.text: c.reason for c in dropped}, claims)


def verify(question: str, answer: str, evidence: list[int], sentences: list[Sentence], vectors: VectorCache,
           min_support: float) -> Verified:
    asked = lang.without_asides(question)
    return cite(check_claims(question, answer, evidence, sentences, vectors, min_support, asked, lang.asked_figure(asked)))


def absent_names(question: str, sentences: list[Sentence], vectors: VectorCache | None,
                 documents: Sequence[str] = ()) -> list[str]:
    """Names the question asks about that neither the retrieved sentences nor the documents they come
    from name (a person, place or thing the documents do not talk about: any answer would be about
    someone else). A name counts as given only whole ("American Union" is not given by "European Union"),
    and translated only by a text in another language than the question. A French question's
    nationality adjective is one of its names ("Quel quotidien français…": français, or France). Two
    names side by side before a French inverted verb ("…de Picasso Apollinaire était-il admiratif ?")
    count as given when the texts name each on its own ("Marc Dubreuil" is not given by "Marc Vasseur"
    and "Paul Dubreuil")."""
    language = lang.detect(question)
    window = " ".join(s.window for s in sentences)
    texts = [(t, short) for t, short in ((window, True), *((d, False) for d in documents)) if t.strip()]

    def given(name: str) -> bool:  # word forms (Russian/russe) only in the retrieved sentences: short
        return any(name_stated(name, t, vectors, lang.language_of(t) != language, short) for t, short in texts)

    def two_names(name: str) -> bool:  # each part a name of its own in the texts, not a part of another's
        splits = lang.splits_before_inverted_verb(question, name)
        named = {n for t, _ in texts for n in lang.names(t)} if splits else set()
        return any(a in named and b in named and given(a) and given(b) for a, b in splits)

    absent = [n for n in lang.names(question) if not given(n) and not two_names(n)]
    if vectors is not None:  # a French nationality adjective: given as itself or by its country's name
        absent += [word for word, place in nationalities(question, vectors, language) if not given(word) and not given(place)]
    return absent


def focus_sentences(question: str, sentences: list[Sentence], cited: list[Citation], by_citation) -> list[Sentence]:
    """When the cited evidence misses names the question asks about, though retrieved sentences have them,
    return those sentences (to ask again on them); otherwise [].

    `by_citation(citation)` gives the cited sentence (its window includes the sentence before it, so a
    quote attributed by a pronoun, "…, a-t-il ajouté", still counts as naming the speaker)."""
    names = [n for n in lang.names(question) if any(lang.mentions(s.text, n) for s in sentences)]
    quoted = " ".join(by_citation(c).window for c in cited)
    if not names or all(lang.mentions(quoted, n) for n in names):
        return []
    both = [s for s in sentences if all(lang.mentions(s.text, n) for n in names)]
    return both or [s for s in sentences if any(lang.mentions(s.text, n) for n in names if not lang.mentions(quoted, n))]


def _attach(claim: str, marks: str) -> str:
    """'Jane Smith.' + '[1]' -> 'Jane Smith [1].'"""
    m = re.search(r"([.!?…]+[\"'»”’)]*)\s*$", claim)
    if m:
        return f"{claim[: m.start()].rstrip()} {marks}{m.group(1)}"
    return f"{claim.rstrip()} {marks}"
