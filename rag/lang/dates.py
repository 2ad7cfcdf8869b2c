"""Public holidays read as the dates they fall on: "Christmas Day", "Noël" and "le 25 décembre" say the
same day, so a question about Christmas Day is answered by a page that says the courts are closed on
25 December, and a claim naming the holiday is checked against the date its evidence gives.

Names and dates come from the `holidays` package: the public holidays of countries where English or
French is spoken, in English and in French, over three fixed years (the table does not depend
on today's date). A name is read as a date only where the countries that have it (those, and every
country the package knows, in English) mostly agree on one day for it (`_AGREEMENT`) in more than one
year: "Christmas Day" (25 December; 7 January in a few countries' Orthodox calendars) and "Jour de l'an"
are; "Independence Day", "Victory Day" or "Fête nationale" (other days in other countries), holidays
that move with Easter and one-off days are not, and stay names the documents must give.
A holiday is read only where the text writes one of its words capitalised ("Noël", "jour de l'An"):
"l'armistice de 1940" is not the 11 November holiday.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict

from .words import POSSESSIVE_S as _POSSESSIVE, fold  # read as proper_names reads names: "New Year Day"

# Countries where English or French is spoken, and the languages their holidays are named in: the names
# read. Whether a name means one day is asked of every country the package has, in English.
_COUNTRIES = ("US", "GB", "IE", "CA", "AU", "NZ", "ZA", "IN", "SG", "JM", "NG", "KE", "GH",
              "FR", "BE", "CH", "LU", "MC", "SN", "CI", "CM", "MA", "TN", "DZ", "HT", "MG", "BJ", "BF", "TG")
_LANGUAGES = (None, "en_US", "fr")  # the country's own language, English, French
_YEARS = (2024, 2025, 2026)
_AGREEMENT = 0.75  # the share of a name's occurrences that must fall on its most common day
_LETTERS = re.compile(r"[^\W\d_]+")
_OBSERVED = re.compile(r"\((?:[^)]*observ|[^)]*substitut)[^)]*\)", re.I)  # "(observed)", "(observé)": a day off


def _days(countries, languages) -> dict[tuple[str, ...], Counter]:
    """Folded words of each holiday name -> how often it falls on each (year, month, day)."""
    import holidays

    days: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for country in countries:
        for language in languages:
            try:
                calendar = holidays.country_holidays(country, years=_YEARS, language=language)
            except (NotImplementedError, KeyError, ValueError, AttributeError):
                continue  # a country or language the package does not have
            for day, names in calendar.items():
                for name in names.split("; "):  # two holidays on one day
                    if _OBSERVED.search(name) or re.search(r"\d", name):
                        continue  # the day off for a holiday on a weekend; "1er janvier" is a date already
                    words = _words(re.sub(r"\(.*?\)", "", name))
                    if words:
                        days[words][(day.year, day.month, day.day)] += 1
    return days


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in _LETTERS.findall(_POSSESSIVE.sub("", text)))


def _one_day(counts: Counter) -> tuple[int, int] | None:
    """The day a name falls on, when its occurrences agree on one and it recurs (two years or more)."""
    dates: Counter = Counter()
    for (_, month, day), n in counts.items():
        dates[(month, day)] += n
    if len({year for year, _, _ in counts}) < 2:
        return None  # a one-off day (an election, a state funeral)
    (date, n), = dates.most_common(1)
    return date if n >= _AGREEMENT * sum(dates.values()) else None


@functools.lru_cache(maxsize=1)
def _table() -> dict[tuple[str, ...], Counter]:
    """The holiday names read (English- and French-speaking countries, in English and French)."""
    return _days(_COUNTRIES, _LANGUAGES)


@functools.lru_cache(maxsize=1)
def _world() -> dict[tuple[str, ...], Counter]:
    """Every country's holidays, in English: where else a name means another day ("Victory Day")."""
    import holidays

    return _days(sorted(holidays.list_supported_countries(include_aliases=False)), ("en_US",))  # each country once


@functools.lru_cache(maxsize=256)
def _date_of(words: tuple[str, ...]) -> tuple[int, int] | None:
    counts = _table().get(words)
    if counts is None:
        return None
    return _one_day(counts + _world().get(words, Counter()))  # asked of every country only when read


@functools.lru_cache(maxsize=1)
def _longest() -> int:
    return max(map(len, _table()), default=0)


@functools.lru_cache(maxsize=512)
def holidays_in(text: str) -> tuple[tuple[tuple[str, ...], tuple[int, int]], ...]:
    """The holidays a text names, as (folded words of the name, (month, day)), longest name first
    where two overlap ("Christmas Day" rather than a shorter name inside it)."""
    table = _table()
    words = _LETTERS.findall(_POSSESSIVE.sub("", text))
    folded = [fold(w) for w in words]
    found, i = [], 0
    while i < len(words):
        for n in range(min(_longest(), len(words) - i), 0, -1):
            key = tuple(folded[i : i + n])
            if key in table and any(w[:1].isupper() for w in words[i : i + n]) and (date := _date_of(key)):
                found.append((key, date))
                i += n
                break
        else:
            i += 1
    return tuple(found)


def dated(text: str) -> str:
    """The text with the date of each holiday it names written after it ("… on Christmas Day (25
    December)"), for the checks that compare numbers and months; the text itself when it names none."""
    from babel import Locale

    found = holidays_in(text)
    if not found:
        return text
    months = Locale("en").months["format"]["wide"]
    return text + " " + " ".join(f"({day} {months[month]})" for month, day in dict.fromkeys(d for _, d in found))


def is_holiday_part(name: str, text: str) -> bool:
    """Is `name` (a run of capitalised words of `text`: "Christmas Day", "An" of "jour de l'An") part of
    a holiday the text names?"""
    words = _words(name)
    if not words:
        return False
    return any(words == key[i : i + len(words)] for key, _ in holidays_in(text) for i in range(len(key) - len(words) + 1))
