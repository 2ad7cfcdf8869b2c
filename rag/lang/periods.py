"""The period a price is for ("£28 a night", "5 euros de l'heure", "the weekly rate of £170"), in English
and French.

A price question often asks for one period ("How much does dry storage cost per week?", "Combien coûte
le parking à l'heure ?") where the page gives another ("£65 a month", "£6 a day"). The period's word is
not a number, name or noun the other checks read, and the answer takes the price of the other period:
"Un bureau fixe à la semaine coûte £260" over "a fixed desk £260" (a month), "The day rate is 5 euros
per hour" over "5 euros de l'heure, ou 25 euros la journée". Three readings, each only where the claim
states an amount of money (a count "a year" or "per day" is left alone):

- `rate_periods`: the periods a text prices by: a unit after "per", "a", "par", "/", "de l'", "la", "au",
  "à la"… ("per night", "de l'heure", "la journée"), an adjective ("weekly", "mensuel"), a unit before a
  price's noun ("day rate", "week pass") or after "for a" / "pour une" ("for a day", "pour une journée");
- `mentioned_periods`: the periods a text names in any form (the evidence's side: what it may state);
- `priced_periods`: the amounts of money a text binds to a period ("£28 a night" -> (28, night), "the
  weekly rate of £170" -> (170, week)).

The units and their "per" forms come from babel's locale data (CLDR's duration units: hour, day, night,
week, month, quarter, year; "per hour", "par heure", "/h"); the idioms CLDR does not write ("a night",
"de l'heure", "la journée", "au mois"), the adjectives and a few nouns ("journée", "nuitée", "année")
are closed-class words listed here. Nothing here knows any particular document.
"""

from __future__ import annotations

import functools
import re

from typing import NamedTuple

from .money import amount_spans, currencies
from .priced import PRICE_WORDS
from .words import LANGUAGES, fold

UNITS = ("hour", "day", "night", "week", "month", "quarter", "year")

# Forms CLDR's unit names leave out, folded: nouns and the adjectives of a period.
_EXTRA = {
    "hour": "hourly horaire horaires",
    "day": "daily journee journees journalier journaliere journaliers journalieres quotidien quotidienne "
           "quotidiens quotidiennes",
    "night": "nightly overnight nuitee nuitees",
    "week": "weekly hebdomadaire hebdomadaires",
    "month": "monthly mensuel mensuelle mensuels mensuelles mensualite mensualites",
    "quarter": "quarterly trimestriel trimestrielle trimestriels trimestrielles",
    "year": "yearly annual annually annum annee annees annuel annuelle annuels annuelles",
}
# Adjectives: they price by themselves ("weekly", "tarif horaire", "adhésion annuelle"). "horaires" is
# also a timetable and "quotidien" a daily paper: those two are read as adjectives only after a price's
# noun ("tarif horaire").
_ADJECTIVES = frozenset("hourly daily nightly weekly monthly quarterly yearly annual annually journalier journaliere "
                        "journaliers journalieres hebdomadaire hebdomadaires mensuel mensuelle mensuels mensuelles "
                        "trimestriel trimestrielle trimestriels trimestrielles annuel annuelle annuels annuelles".split())
_AFTER_PRICE_NOUN = frozenset("horaire horaires quotidien quotidienne".split())
# What a price's period follows, besides CLDR's "per", "par" and "/": French "à" and "de" ("à la semaine",
# "au mois", "de l'heure"), and articles, which do so only after an amount or a price's word ("£28 a
# night", "25 euros la journée", "costs a night"; not "lasts an hour", "tout le mois d'août").
_PER_IDIOMS = ("de l'", "a la", "a l'", "au")
_ARTICLES = ("a", "an", "each", "la", "le", "l'")
# A price's nouns, before which a unit names the period ("day rate", "week pass", "forfait semaine").
_PRICE_NOUNS = frozenset("rate rates fee fees price prices pass passes ticket tickets tarif tarifs prix forfait "
                         "forfaits abonnement abonnements".split())
_FOR_ONE = r"(?:for\s+(?:a|an|one|1)|pour\s+(?:une?|1))"


@functools.lru_cache(maxsize=1)
def _units() -> dict[str, str]:
    """Folded unit noun -> period: CLDR's long and short names of each duration in both languages ("heure",
    "hours", "hr", "wks", "trim"), those of two letters or more, and the forms listed above."""
    from babel import Locale

    found: dict[str, str] = {}
    for language in LANGUAGES:
        patterns = Locale(language)._data["unit_patterns"]
        for unit in UNITS:
            for length in ("long", "short"):
                forms = patterns[f"duration-{unit}"][length]
                for count in ("one", "other"):
                    word = fold(forms[count].replace("{0}", "")).strip(" .\u00a0\u202f")
                    if len(word) >= 2 and word.isalpha() and not (language == "en" and word == "an"):
                        found.setdefault(word, unit)
    for unit, words in _EXTRA.items():
        for word in words.split():
            found.setdefault(word, unit)
    return found


@functools.lru_cache(maxsize=1)
def _per_words() -> tuple[str, ...]:
    """The words a price's period follows: CLDR's "per" patterns' ("{0} per hour", "{0} par heure",
    "{0}/h") and the idioms above."""
    from babel import Locale

    found: set[str] = set(_PER_IDIOMS) | set(_ARTICLES)
    for language in LANGUAGES:
        patterns = Locale(language)._data["unit_patterns"]
        for unit in UNITS:
            for length in ("long", "short"):
                per = patterns[f"duration-{unit}"][length].get("per", "")
                word = fold(per.replace("{0}", "")).strip().split("/")[0].split()
                if word:
                    found.add(word[0])
    return tuple(sorted(found, key=len, reverse=True))


_SLASH_UNITS = {"h": "hour", "j": "day", "d": "day", "w": "week", "m": "month", "y": "year", "q": "quarter",
                "an": "year", "sem": "week", "trim": "quarter"}


def _per() -> str:
    """A regex of a per word (the group "per") and the space after it (none after an apostrophe: "de l'heure")."""
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _per_words())
    return rf"(?P<per>{words})(?:(?<=')\s*|\s+)"


class _Patterns(NamedTuple):
    after: re.Pattern  # a unit after a per word or a slash: "per night", "de l'heure", "/h"
    following: re.Pattern  # the same, right after an amount
    before_noun: re.Pattern  # a unit before a price's noun: "day rate", "week pass"
    for_one: re.Pattern  # "for a day", "pour une journée"
    word: re.Pattern  # a unit's name anywhere


@functools.lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    units = "|".join(re.escape(u) for u in sorted(_units(), key=len, reverse=True))
    short = "|".join(sorted(_SLASH_UNITS, key=len, reverse=True))  # CLDR's short "per" forms: "15 €/h", "80 €/m"
    per = rf"(?:(?<![\w'])(?:{_per()})(?P<unit>{units})|/\s*(?P<slash>{units}|{short}))\b"
    return _Patterns(after=re.compile(per), following=re.compile(rf"\s*{per}"),
                     before_noun=re.compile(rf"\b({units})\s+(?:{'|'.join(sorted(_PRICE_NOUNS))})\b"),
                     for_one=re.compile(rf"\b{_FOR_ONE}\s+({units})\b"), word=re.compile(rf"\b({units})\b"))


def _after_price(folded: str, end: int) -> bool:
    """Does an amount, a currency or a word that only means a price end `folded[:end]`? What an article
    before a period must follow to make it a price's ("£28 a night", "25 euros la journée", "costs a night")."""
    before = folded[:end].rstrip()
    last = before.rsplit(None, 1)[-1] if before else ""
    return (any(stop == len(before) for _, _, stop in amount_spans(before)) or last[-1:].isdigit()
            or last in PRICE_WORDS or bool(currencies(last, anywhere=True)))


def _unit(word: str) -> str:
    """The period of a unit's name or of a short form after a slash ("h", "sem")."""
    return _units().get(word) or _SLASH_UNITS[word]


def _price_adjectives(folded: str) -> set[str]:
    """The periods of the adjectives in a folded text ("weekly", "annuelle"; "horaire" after a price's noun)."""
    found = set()
    for m in re.finditer(r"\b(\w+)\s+(?=(\w+)\b)", folded):
        if m.group(2) in _AFTER_PRICE_NOUN and m.group(1) in _PRICE_NOUNS:
            found.add(_units()[m.group(2)])
    return found | {_units()[w] for w in re.findall(r"\w+", folded) if w in _ADJECTIVES}


def rate_periods(text: str) -> set[str]:
    """The periods the text prices by ("per night", "de l'heure", "weekly", "day rate", "pour une journée")."""
    folded = fold(text).replace("’", "'")
    patterns = _patterns()
    found = {_unit(m.group("unit") or m.group("slash")) for m in patterns.after.finditer(folded)
             if m.group("per") not in _ARTICLES or _after_price(folded, m.start())}
    found |= {_units()[m.group(1)] for m in patterns.before_noun.finditer(folded)}
    found |= {_units()[m.group(1)] for m in patterns.for_one.finditer(folded)}
    return found | _price_adjectives(folded)


def mentioned_periods(text: str) -> set[str]:
    """The periods the text names in any form ("nights", "la journée", "weekly", "/h", "mensualités")."""
    folded = fold(text).replace("’", "'")
    # French "an" only counts after a number, "un" or "par" ("deux ans", "par an"): English "an" is an article
    named = {_units()[m.group(1)] for m in _patterns().word.finditer(folded) if m.group(1) != "an"}
    if re.search(r"(?<![£$€¥\d.,])\b(?:\d+|un)\s+ans?\b", folded):
        named.add("year")
    return named | rate_periods(text)


def priced_periods(text: str) -> set[tuple[float, str]]:
    """(amount, period) for each amount the text binds to a period: one written right after it ("£28 a
    night", "5 euros de l'heure", "80 € par mois", "15 €/h"), or else an adjective or a unit before a
    price's noun in the four words before it ("the weekly rate of £170", "adhésion annuelle coûte 60
    euros", "monthly payments of £200")."""
    found: set[tuple[float, str]] = set()
    folded = fold(text).replace("’", "'")
    for value, start, end in amount_spans(folded):
        follows = _patterns().following.match(folded, end)
        if follows:
            found.add((value, _unit(follows.group("unit") or follows.group("slash"))))
            continue
        near = re.search(r"(?:\S+\s+){0,4}$", folded[max(0, start - 60):start])
        found |= {(value, p) for p in _leading_periods(near.group() if near else "")}
    return found


def _leading_periods(folded: str) -> set[str]:
    """Periods named by an adjective or a unit before a price's noun in the words before an amount."""
    return _price_adjectives(folded) | {_units()[m.group(1)] for m in _patterns().before_noun.finditer(folded)}
