"""Check every claim of a generated answer against the sentences it may cite.

The LLM proposes evidence (sentence numbers); nothing it says is trusted as is.
Each claim (sentence of the answer) must be supported by a source sentence:
semantic similarity of question+claim to the sentence (multilingual
embeddings, so an English claim can be checked against French text) or
lexical overlap of its content words (names, numbers). Numbers in a claim must
appear in its evidence. Unsupported claims are dropped; a claim the model cited
badly is re-attached to the best supporting retrieved sentence when that one is
clearly supportive. Citations are exact spans of the source and are numbered
in order of appearance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

import numpy as np

from .chunking import split_sentences
from .keywords import STOPWORDS, fold, tokenize
from .types import Citation, Hit


@dataclass(frozen=True)
class Sentence:
    """A retrieved source sentence, as shown (numbered) to the LLM."""

    number: int
    source: str
    start: int
    end: int
    text: str
    hit: Hit


def sentences_of(hits: list[Hit], skip=lambda text: False, source_text=None) -> list[Sentence]:
    """Number the sentences of the retrieved chunks, best passage first, without duplicates.

    With `source_text(name)`, each passage is preceded by the sentence before it (its context), so
    that "Ils ont convenu…" comes with the sentence saying who "ils" are."""
    seen: set[tuple[str, int]] = set()
    spans = []
    for hit in hits:
        c = hit.chunk
        if source_text is not None and c.context:
            start = source_text(c.source).rfind(c.context, 0, c.start)
            if start >= 0 and (c.source, start) not in seen and not skip(c.context):
                seen.add((c.source, start))
                spans.append((c.source, start, start + len(c.context), c.context, hit))
        for s, e in split_sentences(c.text):
            key = (c.source, c.start + s)
            if key not in seen and not skip(c.text[s:e]):
                seen.add(key)
                spans.append((c.source, c.start + s, c.start + e, c.text[s:e], hit))
    return [Sentence(i, *span) for i, span in enumerate(spans, 1)]


_NUMBER_WORDS_VALUES = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "sept": "7", "huit": "8",
    "neuf": "9", "dix": "10",
}


def _numbers(text: str, articles: bool = False) -> set[str]:
    """Numbers stated in a text, digits or small number words ("three", "trois" -> "3").

    With `articles`, "un"/"une"/"a" also count as 1 (for evidence: "depuis un an" states one year)."""
    found = {n.replace(",", ".").rstrip(".") for n in re.findall(r"\d+(?:[.,]\d+)?", text)}
    for w in re.findall(r"\w+", text.lower()):
        if w in _NUMBER_WORDS_VALUES:
            found.add(_NUMBER_WORDS_VALUES[w])
        elif articles and w in ("un", "une", "a", "an", "one"):
            found.add("1")
    return found


_QUANTITY = re.compile(r"\b(how (many|much)|what (number|percentage|proportion)|combien|quel(le)? (nombre|pourcentage|proportion|quantité))\b", re.I)
_NUMBER_WORDS = set(
    "zero one two three four five six seven eight nine ten eleven twelve dozen dozens hundred hundreds thousand thousands "
    "million millions billion half none several few "
    "zéro deux trois quatre cinq six sept huit neuf dix onze douze douzaine douzaines cent cents centaine "
    "centaines mille milliers million millions milliard moitié aucun aucune plusieurs quelques".split()
)


def answers_quantity(question: str, answer: str) -> bool:
    """A 'how many' question needs a number (digits or a number word) in its answer."""
    if not _QUANTITY.search(question):
        return True
    return bool(re.search(r"\d", answer)) or any(w in _NUMBER_WORDS for w in re.findall(r"\w+", answer.lower()))


def _stems(text: str) -> set[str]:
    return {w[:5] for w in tokenize(text)}  # a crude stem: "ministre" ~ "ministres"


def lexical_support(claim: str, sentence: str, question: str = "") -> float:
    """Share of the claim's content words that are new (not in the question) and found in the sentence."""
    words = _stems(claim) - _stems(question)
    if not words:
        return 0.0
    return len(words & _stems(sentence)) / len(words)


def split_claims(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)] or ([text.strip()] if text.strip() else [])


@dataclass
class Verified:
    text: str
    citations: list[Citation]
    dropped: list[str]


def verify(question: str, answer: str, evidence: list[int], sentences: list[Sentence], embedder,
           min_support: float, vector_cache: dict[str, np.ndarray] | None = None) -> Verified:
    claims = split_claims(answer)
    if not answers_quantity(question, answer):
        return Verified("", [], claims)
    if not claims or not sentences:
        return Verified("", [], claims)
    by_number = {s.number: s for s in sentences}
    chosen = [by_number[n] for n in dict.fromkeys(evidence) if n in by_number]
    cache = vector_cache if vector_cache is not None else {}
    missing = [s.text for s in sentences if s.text not in cache]
    if missing:
        for text, vec in zip(missing, embedder.documents(missing)):
            cache[text] = vec
    sent_vecs = np.stack([cache[s.text] for s in sentences])
    claim_vecs = embedder.queries([f"{question} {c}" for c in claims])
    sims = claim_vecs @ sent_vecs.T  # claims x sentences
    index_of = {s.number: i for i, s in enumerate(sentences)}
    q_numbers = _numbers(question)

    cited: dict[int, int] = {}  # sentence number -> citation number
    parts: list[str] = []
    citations: list[Citation] = []
    dropped: list[str] = []
    for ci, claim in enumerate(claims):
        def support(s: Sentence, text: str = claim) -> float:
            return max(float(sims[ci, index_of[s.number]]), lexical_support(text, s.text, question))

        keep = _choose(claim, sentences, chosen, support, min_support)
        numbers = _numbers(claim) - q_numbers
        stated = _numbers(" ".join(s.text for s in keep), articles=True)
        if keep and numbers and not numbers <= stated:
            claim = _without_unsupported_numbers(claim, stated | q_numbers)
            keep = keep if claim else []
        if not keep:
            dropped.append(claims[ci])
            continue
        marks = []
        for s in keep:
            if s.number not in cited:
                cited[s.number] = len(citations) + 1
                citations.append(Citation(cited[s.number], s.source, s.text, s.start, s.end, s.hit.chunk.id,
                                          round(s.hit.score, 6), round(support(s), 4)))
            marks.append(f"[{cited[s.number]}]")
        parts.append(_attach(claim, "".join(marks)))
    return Verified(" ".join(parts), citations, dropped)


def question_names(question: str) -> list[str]:
    """Proper names in a question: capitalised words past the first ("Kerry", "Assad", "RIA")."""
    words = re.findall(r"[\w]+", question)
    out = []
    for i, w in enumerate(words):
        if i > 0 and w[:1].isupper() and len(w) >= 3 and fold(w) not in STOPWORDS:
            out.append(w)
    return list(dict.fromkeys(out))


def mentions(text: str, name: str) -> bool:
    """Does `text` mention `name`, allowing for accents and small spelling variants (Choïgou ~ Shoigu)?"""
    target = fold(name)
    return any(w == target or (len(w) >= 4 and SequenceMatcher(None, w, target).ratio() >= 0.8)
               for w in re.findall(r"\w+", fold(text)))


def focus_sentences(question: str, sentences: list[Sentence], cited: list[Citation], window) -> list[Sentence]:
    """When the cited evidence misses names the question asks about, though retrieved sentences have them,
    return those sentences (to ask again on them); otherwise [].

    `window(citation)` gives the cited text with what precedes it, so that a quote attributed by a
    pronoun ("…, a-t-il ajouté") still counts as mentioning the speaker named just before."""
    names = [n for n in question_names(question) if any(mentions(s.text, n) for s in sentences)]
    quoted = " ".join(window(c) for c in cited)
    if not names or all(mentions(quoted, n) for n in names):
        return []
    both = [s for s in sentences if all(mentions(s.text, n) for n in names)]
    return both or [s for s in sentences if any(mentions(s.text, n) for n in names if not mentions(quoted, n))]


MODEL_CHOICE_BONUS = 0.05  # the model's own evidence wins ties


def _choose(claim: str, sentences: list[Sentence], chosen: list[Sentence], support, min_support: float) -> list[Sentence]:
    """The sentence that best supports the claim (the model's picks get a small bonus),
    plus a second one only when it covers content words the first does not."""
    picked = {s.number for s in chosen}
    ranked = sorted(sentences, key=lambda s: -(support(s) + (MODEL_CHOICE_BONUS if s.number in picked else 0.0)))
    best = ranked[0]
    threshold = min_support if best.number in picked else min_support + 0.1
    if support(best) < threshold:
        return []
    keep = [best]
    words = _stems(claim)
    covered = words & _stems(best.text)
    for s in ranked[1:3]:
        gain = (words & _stems(s.text)) - covered
        if s.number in picked and support(s) >= min_support and words and len(gain) / len(words) >= 0.25:
            keep.append(s)
            break
    return keep


def _without_unsupported_numbers(claim: str, allowed: set[str]) -> str:
    """Drop the comma-separated clauses that state numbers no evidence gives; '' if the core claim does."""
    pieces = re.split(r"(?<=,)\s+", claim)
    if _numbers(pieces[0]) - allowed:
        return ""
    kept = [p for p in pieces if not (_numbers(p) - allowed)]
    text = " ".join(kept).rstrip(" ,")
    return text if text.endswith((".", "!", "?")) else text + "."


def _attach(claim: str, marks: str) -> str:
    """'Peter Cook.' + '[1]' -> 'Peter Cook [1].'"""
    m = re.search(r"([.!?…]+[\"'»”’)]*)\s*$", claim)
    if m:
        return f"{claim[: m.start()].rstrip()} {marks}{m.group(1)}"
    return f"{claim.rstrip()} {marks}"

