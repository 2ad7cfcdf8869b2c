"""The seasons a text names, in English and French, read like the months: a season a question asks
about or a claim states must be given by the evidence ("How many donors took part in the autumn
subscription?" answered from "une souscription publique lancée au printemps" is about another season).

Neither babel (CLDR) nor the other libraries here name the seasons, so the closed class is written out:
spring/printemps, summer/été, autumn/automne, winter/hiver. A word is read as a season only where it
cannot be something else:
- lowercase, or capitalised as a sentence's first word: a capitalised one inside a sentence is part of a
  name ("Winter Palace", "le Printemps de Prague");
- "spring" only after a determiner or preposition ("in spring", "next spring", "the museum's spring
  fair") or before a year ("spring 2027"): "hot springs", "it springs from";
- French "été" only after "l'", "d'", "en" or "cet" ("l'été", "vacances d'été", "en été"): "a été" is the
  verb;
- "fall" is never read: "the fall of the city", "prices fall".
A month the evidence names gives the seasons it falls in (March is winter or spring, July summer):
"open from June to September" answers "Is it open in summer?". Northern-hemisphere seasons.
"""

from __future__ import annotations

import re

_INDEX = {"spring": 0, "summer": 1, "autumn": 2, "winter": 3, "printemps": 0, "été": 1, "automne": 2, "hiver": 3}
_MONTHS = {0: {3, 4, 5, 6}, 1: {6, 7, 8, 9}, 2: {9, 10, 11, 12}, 3: {12, 1, 2, 3}}  # each season's months, overlaps included
_WORD = re.compile(r"(?<![\w-])(spring|summer|autumn|winter|printemps|automne|hiver|été)s?(?![\w-])", re.I)
_SPRING_AFTER = frozenset("in the this next last each every during by until till since early late mid of that one from "
                          "through".split())
_ETE_AFTER = frozenset({"en", "cet"})
_ELIDED = frozenset({"l'", "l’", "d'", "d’"})  # "l'été", "vacances d'été"
_YEAR_AFTER = re.compile(r"\s+\d{4}\b")


def seasons(text: str) -> set[tuple[str, int]]:
    """The seasons a text names, in either language, as ("season", 0..3): spring, summer, autumn, winter."""
    found = set()
    for m in _WORD.finditer(text):
        word = m.group(1).lower()
        before = text[:m.start()].rstrip()
        previous = before.split()[-1].lower() if before else ""
        if m.group(1)[0].isupper() and before and before[-1] not in ".!?:\"«“'’":
            continue  # "the Winter Palace", "le Printemps de Prague": part of a name
        if word == "spring" and not (previous in _SPRING_AFTER or previous.endswith(("'s", "’s"))
                                     or _YEAR_AFTER.match(text, m.end())):
            continue  # "hot springs", "it springs from"
        if word == "été" and not (text[:m.start()][-2:].lower() in _ELIDED or previous in _ETE_AFTER):
            continue  # "a été": the verb
        found.add(("season", _INDEX[word]))
    return found


def months_seasons(terms: set[tuple[str, int]]) -> set[tuple[str, int]]:
    """The seasons the months among `terms` fall in (("month", 7) -> summer)."""
    months = {i for kind, i in terms if kind == "month"}
    return {("season", s) for s, covered in _MONTHS.items() if months & covered}
