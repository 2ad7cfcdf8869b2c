"""Check every claim of a generated answer against the sentences it cites.

The LLM proposes evidence (sentence numbers); nothing it says is trusted as is.
Each claim (sentence of the answer) is kept whole or dropped whole. It is kept when
1. a source sentence supports it: semantic similarity of question+claim to the sentence
   (multilingual embeddings, so an English claim can be checked against French text) or lexical
   overlap of its content words; a claim the model cited badly is re-attached to the best
   supporting sentence when that one is clearly supportive, and a claim written from more sentences
   than the model named also cites those (`evidence.complete`); and
2. everything it states that can be checked exactly is stated by that evidence (the cited
   sentences and the sentence before each, which the model saw with them): every number, weekday
   and month (in either language: Friday = vendredi), and every proper name (spelling variants,
   or a multilingual name embedding for translated names: Geneva = Genève); a name the question asks
   about that the claim restates must be in the paragraph of its evidence or in that document's title
   line or file name (a statement about Möngke Khan is not one about Genghis Khan: `named_elsewhere`).
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
from .chunking import split_sentences
from .evidence import choose, complete, stems
from .lang.clock import swapped_hours, without_given_hours
from .lang.counted import counted_noun, miscounted
from .lang.money import unasked_currencies, unstated_currencies
from .names import VectorCache, name_stated
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


def unstated(claim: str, evidence: str, vectors: VectorCache | None, question: str = "", titles: str = "") -> list[str]:
    """What the claim states that its evidence does not: numbers, weekdays/months/seasons, currencies ("45 euros"
    from "£45": `lang.money`), an hour on the other half of the day ("10 heures" from "10 pm":
    `lang.clock`), proper names.

    Names the question itself gives are checked once for the whole answer, strictly (`absent_names`): a
    claim restating the question's subject ("the United States' objective is…") may rely on it. A claim's
    other names may also be a longer or shorter form of the evidence's ("Kublai Khan" for "Kublai"), which
    the name embeddings accept in either language.

    The evidence's counts in words from two up are numbers ("by nine votes to two" states the 2 of "9
    votes to 2"); the claim's are not checked below three (text2num's default): "the two ministers" may
    restate a sentence that names both without saying "two".

    A name may also be given by the `titles` of the evidence's documents (their title lines): "the
    company employs 240 people", in a document titled "Verdane: a year of growth", is said of Verdane,
    as `named_elsewhere` takes it for the names the question asks about."""
    dated, dated_evidence = lang.dated(claim), lang.dated(evidence)  # a holiday's date, as the date written
    missing = sorted(lang.numbers(without_given_hours(dated, dated_evidence)) - lang.numbers(dated_evidence, counts=True))
    days = lang.calendar_terms(dated) - lang.calendar_terms(dated_evidence, stated=True)
    missing += [f"{kind} {i}" for kind, i in sorted(days)]
    missing += [f"currency {c}" for c in unstated_currencies(claim, evidence)]
    missing += [f"time {t}" for t in swapped_hours(dated, dated_evidence)]  # "10 heures" over "10 pm"
    asked = " ".join(lang.names(question))
    missing += [n for n in lang.names(claim) if not lang.mentions(asked, n) and not name_stated(n, evidence, vectors)
                and not (titles and name_stated(n, titles, vectors, True, False))]
    return missing


def naming_sentences(question: str, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences whose paragraph (or, when unknown, the sentence and the one before it) names every name
    the question asks about, as spelled (across languages: none)."""
    asked = lang.names(question)
    return [s for s in sentences if asked and all(lang.mentions(s.paragraph or s.window, n) for n in asked)]


def named_elsewhere(question: str, claim: str, evidence: list[Sentence], vectors: VectorCache | None) -> list[str]:
    """The names the question asks about that the claim restates ("Genghis Khan fought…") but that
    neither the paragraphs its evidence stands in nor those documents' titles give (a title line, or
    the file name): a statement about someone or something else, put on the one asked about. A
    document's subject is often named only in its title ("# Acme Corp annual report") or file name
    ("fr-pakistan.txt"), not in each paragraph. A name the cited sentences themselves state in another
    form, as `unstated` reads a claim's names ("Flemish" of "peintre flamand", "Russian" of "russe"), is
    not one put on them. [] when a paragraph is unknown."""
    if not evidence or any(not s.paragraph for s in evidence):
        return []
    asked = [n for n in lang.names(question) if lang.mentions(claim, n)]
    if not asked:
        return []
    language = lang.detect(question)
    around = " ".join(dict.fromkeys(s.paragraph for s in evidence))
    titles = " ".join(dict.fromkeys([*(re.sub(r"[\W_]+", " ", s.source.rsplit(".", 1)[0]).title() for s in evidence),
                                     *(s.title for s in evidence if s.title)]))
    cited = " ".join(s.text for s in evidence)  # not the sentence before: it may stand in another paragraph
    return [n for n in asked if not name_stated(n, around, vectors, lang.language_of(around) != language, False)
            and not name_stated(n, titles, vectors, True, False)
            and not name_stated(n, cited, vectors, lang.language_of(cited) != language)]


def ungiven(question: str, text: str) -> list[str]:
    """The numbers in digits and the weekdays, months and seasons the question gives that the text does
    not state ("the question's 1961", "weekday 2"); a holiday gives its date ("Christmas Day": 25
    December), and an hour is given on either half of the day ("23 h" by "11 pm")."""
    dated, dated_text = lang.dated(question), lang.dated(text)
    asked = lang.numbers(without_given_hours(dated, dated_text), words=False)
    numbers = sorted(asked - lang.numbers(dated_text, every=True)) if asked else []
    return numbers + [f"{kind} {i}" for kind, i in sorted(lang.calendar_terms(dated) - lang.calendar_terms(dated_text, stated=True))]


def unasked(question: str, claim: str, window: str, passages: str) -> str:
    """Why the evidence does not answer what the question asks, or "": a number (in digits: "how many
    hundred years" names no number), a weekday/month/season or a currency asked for ("en dollars":
    `lang.money.asked_currencies`) the question gives that the cited passages never state ("in the
    16th century" answered from a sentence about the 17th; a holiday asks for its date), a count whose
    number the evidence gives for something else than what the question counts ("sept courts" over
    "sept jours": `lang.counted`), a negation the question asks
    about that the claim does not state ("51.6% was not in favour of what?" answered "A Scottish
    Assembly." from a sentence saying 51.6% were in favour of it, and "did not" about something else: the
    claim must say what was not, so a bare "France." to "Which country did not sign?" is withheld too),
    or a negation the question or the claim asks for and the evidence does not state ("What was not…?"
    answered from a sentence that says what was; the "No," a reply to a yes/no question opens with is
    its answer, not a negation: "No, the pool is closed." stands on "The pool is closed.")."""
    terms = ungiven(question, passages)
    terms += [f"currency {c}" for c in unasked_currencies(question, passages)]  # "en dollars" over euros
    if terms:
        return "the question's " + ", ".join(terms) + " is not in its evidence"
    noun = counted_noun(question)
    if miscount := miscounted(noun, claim, window):  # "sept courts" over "sept jours à l'avance"
        return f"its evidence's {miscount} counts something else than the question's {noun}"
    if lang.negated(question) and not lang.negated(claim):
        return "the question asks what was not the case and the claim states no negation"
    if (lang.negated(question) or lang.negated(lang.without_reply_word(claim))) and not lang.negated(window):
        return "a negation is asked or stated and its evidence states none"
    return ""


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
    # a holiday is embedded with its date written out, as the exact checks read it ("… on Christmas Day (25
    # December)" against "fermés le 25 décembre"); any other claim is embedded as it is
    claim_vecs = vectors.embedder.queries([lang.dated(f"{question} {c.text}") for c in claims]) if claims else None
    index_of = {s.number: i for i, s in enumerate(sentences)}
    asked = asked or question
    instructing = {s.number for s in sentences if instructions.is_instruction(s.text)}
    for ci, claim in enumerate(claims):
        sims = claim_vecs[ci] @ sent_vecs.T

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
        claim.unstated, claim.named_elsewhere = _missing(question, claim.text, keep, vectors)
        if claim.unstated or claim.named_elsewhere:
            claim.reason = "not in its evidence: " + ", ".join(
                [*claim.unstated, *(f"{n} (the question's, not around its evidence)" for n in claim.named_elsewhere)])
        else:
            window = " ".join(s.window for s in keep)
            passages = " ".join(dict.fromkeys([window, *(s.hit.chunk.text for s in keep)]))
            claim.reason = unasked(asked, claim.text, window, passages)
        if not claim.reason:
            claim.evidence = complete(claim.text, question, keep, sentences, support, min_support,
                                      lambda ev, text=claim.text: not any(_missing(question, text, ev, vectors)))
            claim.support = [support(s) for s in claim.evidence]
    return claims


def _missing(question: str, claim: str, evidence: list[Sentence], vectors: VectorCache) -> tuple[list[str], list[str]]:
    """The exact checks on this evidence: what the claim states that it does not (`unstated`), and the
    question's names its paragraphs lack (`named_elsewhere`)."""
    titles = " ".join(dict.fromkeys(s.title for s in evidence if s.title))
    return (unstated(claim, " ".join(s.window for s in evidence), vectors, question, titles),
            named_elsewhere(question, claim, evidence, vectors))


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
    and translated only by a text in another language than the question."""
    language = lang.detect(question)
    window = " ".join(s.window for s in sentences)
    texts = [(t, short) for t, short in ((window, True), *((d, False) for d in documents)) if t.strip()]

    def given(name: str) -> bool:  # word forms (Russian/russe) only in the retrieved sentences: short
        return any(name_stated(name, t, vectors, lang.language_of(t) != language, short) for t, short in texts)

    return [n for n in lang.names(question) if not given(n)]


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
