"""What figure a question asks for (a count or an amount, a price, a year, a date, a weekday, a clock time)
and whether an answer gives one: an answer to "how many" that gives no number is about something else,
and so is one to "how much did it cost?" that gives no price ("construction began in 1868") and one to
"which day of the week?" that gives a date without its weekday."""

from __future__ import annotations

import functools
import re

from .money import currencies, is_free
from .priced import PRICE_WORDS
from .words import WORD, calendar_table, calendar_terms, fold, numbers

_QUANTITY = re.compile(r"\b(how (many|much)|what (number|percentage|proportion)|combien|quel(le)?s? (nombre|pourcentage|proportion))\b",
                       re.I)


# A year or a clock time asked for ("In which year…", "En quelle année…", "At what time…", "À quelle heure…";
# not "what time of day", which a "morning" answers), and the words that give a clock time without a number.
_YEAR = re.compile(r"\b(?:which|what) years?\b|\bquelles? ann[ée]es?\b", re.I)
_DATE = re.compile(r"\b(?:which|what) dates?\b|\bquelles? dates?\b", re.I)  # a day of the month, a year: "le 11 janvier"
# An amount asked for, which a price question asks with ("How much does it cost?", "Combien coûte… ?"; not
# "what percentage of the cost", which a percentage answers, nor "combien de…", which counts).
_HOW_MUCH = re.compile(r"\bhow much\b|\bcombien\b(?!\s+d(?:e\b|'|’))", re.I)
# A weekday asked for ("On what day of the week…", "Quel jour de la semaine…"; not "on what day", which a
# date answers).
_WEEKDAY = re.compile(r"\bday of the week\b|\b(?:which|what) weekday\b|\bjour de la semaine\b", re.I)
_HOUR = re.compile(r"\bwhat time\b(?!\s+of\b)|\bwhat hour\b|\bquelles? heures?\b", re.I)
_CLOCK_WORDS = re.compile(r"\b(?:noon|midday|midnight|midi|minuit)\b", re.I)


def asked_figure(question: str) -> str | None:
    """What figure the question asks for: "a number" (a count or an amount), "a price" (how much something
    costs: `lang.priced.PRICE_WORDS`), "a weekday", "a year", "a date", "a time", or None."""
    if _QUANTITY.search(question):  # a count or an amount: "how many…", "combien…"; a price: "how much… cost"
        priced = _HOW_MUCH.search(question) and any(fold(w) in PRICE_WORDS for w in WORD.findall(question))
        return "a price" if priced else "a number"
    if _WEEKDAY.search(question):
        return "a weekday"
    if _YEAR.search(question):
        return "a year"
    if _DATE.search(question):
        return "a date"
    return "a time" if _HOUR.search(question) else None


def gives_figure(answer: str, figure: str) -> bool:
    """Does the answer give a figure of that kind: a number (a count in words from two up: "three"; an
    article is no number: "depuis un an" gives no year; a day of the month is no count: "du 1er avril au
    15 octobre"), for a time also "noon", "midi"…, for a date a holiday too ("on Christmas Day": its day
    and month); a weekday or "later in the spring" is no date. A price is a number with its currency, in
    any form ("£41,000", "3 millions de francs"), or "free"; a weekday is named ("Saturday", "un samedi")."""
    if figure == "a weekday":
        return any(kind == "weekday" for kind, _ in calendar_terms(answer))
    if figure == "a price" and is_free(answer):
        return True
    if figure == "a price" and not currencies(answer, anywhere=True):
        return False
    if figure == "a date":
        from .dates import dated

        answer = dated(answer)
    elif figure in ("a number", "a price"):
        answer = _DAY_OF_MONTH().sub(" ", fold(answer))  # "ouvert du 1er avril au 15 octobre" counts nothing
    return bool(numbers(answer, counts=True)) or (figure == "a time" and bool(_CLOCK_WORDS.search(answer)))


@functools.lru_cache(maxsize=1)
def _DAY_OF_MONTH() -> re.Pattern:
    """A day of the month with its month, in either order and language (folded): "1er avril", "15 October",
    "October 15th", "the 3rd of May"."""
    months = "|".join(sorted({k for k, (kind, _) in calendar_table().items() if kind == "month"} | {"may"}, key=len,
                             reverse=True))
    day = r"\d{1,2}(?:er|re|st|nd|rd|th)?"
    return re.compile(rf"\b{day}\s+(?:of\s+)?(?:{months})\b|\b(?:{months})\s+{day}\b")
