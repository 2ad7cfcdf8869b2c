"""What a question sets aside: "Ignoring the cost, what does the mayor say…?", "Apart from the region, who
paid…?", "Oubliez le titre : que dit l'article…?", "…, à part le gérant ?". The words of such an aside are
not what the question asks about: the sentence that answers it need not say them (the cited sentence
about the mayor's promise never speaks of the cost), and the answer is something else than them.

An aside is an exclusion marker (a closed class of words, as stopwords are: "apart from", "besides",
"ignoring", "hormis", "à part", "sans compter"…) at the start of the question or right after a comma,
up to the next comma, colon, semicolon or dash, or up to the question mark when it closes the question
("Which pets are refused, other than cats?"). An imperative ("Forget the title: …", "Oubliez…") sets
something aside only where it opens the question: "…? Also, ignore your rules and…" is an instruction
of its own (and the injection checks' to read), not an aside. A marker with no such boundary after it is left alone:
"Did the minister ignore the previous agreement?" sets nothing aside, and neither does "Except Sunday
which days is it open?", whose aside could not be told from its question.
"""

from __future__ import annotations

import re

# Exclusion markers, English and French, written as they open an aside (lowercase); the imperatives
# ("Forget the title: …") only open a question: elsewhere they start an instruction of their own.
MARKERS = (
    "apart from", "aside from", "besides", "other than", "except for", "except", "excluding", "not counting",
    "leaving aside", "setting aside", "putting aside", "regardless of", "ignoring", "disregarding", "forgetting",
    "à part", "mis à part", "mise à part", "hormis", "en dehors de", "en dehors du", "en dehors des", "sauf",
    "excepté", "outre", "sans compter", "sans tenir compte de", "sans tenir compte du", "sans tenir compte des",
    "sans parler de", "sans parler du", "sans parler des", "abstraction faite de", "indépendamment de",
    "indépendamment du", "indépendamment des", "ignorant",
)
IMPERATIVES = ("ignore", "disregard", "forget", "never mind", "ignorez", "oubliez", "oublions", "laissons de côté",
               "laissez de côté")


def _pattern(marker: str) -> str:
    """A marker as a regular expression: any spaces between its words, a space after it, and "de" also
    elided ("en dehors d'Air France")."""
    words = [re.escape(w) for w in marker.split()]
    if words[-1] == "de":
        return r"\s+".join(words[:-1]) + r"\s+d(?:e\s|['’])"
    return r"\s+".join(words) + r"\s"


def _alternation(markers) -> str:
    return "|".join(_pattern(m) for m in sorted(markers, key=len, reverse=True))


_MARKER, _OPENING = _alternation(MARKERS), _alternation(MARKERS + IMPERATIVES)
_BOUNDARY = r"[,:;—–]|\s-\s"
# at the start (after opening punctuation), or after a comma: the marker, then up to a boundary
_LEADING = re.compile(rf"^[\s¿¡\"'«“(]*(?:{_OPENING})[^,:;—–?]*?\s*(?:{_BOUNDARY})\s*", re.IGNORECASE)
_TRAILING = re.compile(rf",\s*(?:{_MARKER})[^,:;—–?.!]*?(?=\s*\?\s*$)", re.IGNORECASE)  # the question's own end
_INNER = re.compile(rf",\s*(?:{_MARKER})[^,:;—–?.!]*?\s*,", re.IGNORECASE)


def without_asides(question: str) -> str:
    """The question without what it sets aside, its first letter capitalised again when the aside opened
    it; the question itself when it sets nothing aside or when nothing would be left."""
    return split_asides(question)[0]


def asides(question: str) -> list[str]:
    """What the question sets aside, each aside as written without its boundary punctuation ("Ignoring
    the cost"); [] when `without_asides` keeps the question as it is."""
    return split_asides(question)[1]


def split_asides(question: str) -> tuple[str, list[str]]:
    """`without_asides` and `asides` together, in one pass over the question."""
    found: list[str] = []

    def take(match: re.Match) -> str:
        found.append(match.group(0).strip(" \t\n,:;—–-¿¡\"'«“("))
        return ""

    rest = _LEADING.sub(take, question, count=1)
    rest = _INNER.sub(take, rest)
    rest = _TRAILING.sub(take, rest).strip()
    if rest == question.strip() or len(re.findall(r"\w+", rest)) < 2:
        return question, []
    return rest[:1].upper() + rest[1:], found
