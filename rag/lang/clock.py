"""The hours of the day a text states, in English and French, as minutes after midnight: "10 pm", "10.30pm", "22 h",
"22h30", "22:30", "10 heures du soir", "noon", "midi", "minuit".

A claim that turns "10 pm" into "10 heures" (10:00 in French, which counts hours to 24) states a time its
evidence does not give, and the number check cannot see it: both say "10". Only a time its evidence
gives on the other half of the day is read as such (`swapped_hours`): a claim's "3 heures" that is a
length of time ("pendant 3 heures") is then told apart from a clock time only where its evidence
happens to state 3 pm; an hour written without a unit ("at 10", "10 o'clock") is not read at all.
A time its evidence gives in another notation ("22 h" over "10 pm", "10:00" over "10 h") is left out
of the number check (`without_given_hours`): its "22" or "00" is no number the evidence lacks.
"""

from __future__ import annotations

import re

from .words import fold

_DAY = 24 * 60
_HALF = 12 * 60
# "10 pm", "10pm", "10.30 pm", "10:30 p.m.", "7 am"
_EN = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?", re.I)
# "22:30" (not followed by am/pm, read above), "22 h", "22h30", "22 heures", "10 heures du soir"
_COLON = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b(?!\s*[ap]\.?\s?m\b)", re.I)
_FR = re.compile(r"\b([01]?\d|2[0-3])\s*(?:heures?\b|h(?![^\W\d_]))(?:\s*(\d{2})\b)?(\s+(?:du soir|de l'apres-midi|de l'après-midi))?",
                 re.I)
_WORDS = {"noon": 12 * 60, "midday": 12 * 60, "midnight": 0, "midi": 12 * 60, "minuit": 0}
_WORD = re.compile(r"(?<![-\w])(?:%s)\b" % "|".join(_WORDS), re.I)  # not "après-midi" (afternoon)


def _spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, minutes after midnight) of each clock time the text states."""
    found: list[tuple[int, int, int]] = []
    for m in _EN.finditer(text):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if 1 <= hour <= 12 and minute < 60:
            found.append((m.start(), m.end(), (hour % 12 + (12 if m.group(3).lower() == "p" else 0)) * 60 + minute))
    for m in _COLON.finditer(text):
        found.append((m.start(), m.end(), int(m.group(1)) * 60 + int(m.group(2))))
    for m in _FR.finditer(text.replace("’", "'")):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if m.group(3) and hour < 12:
            hour += 12  # "10 heures du soir"
        if minute < 60:
            found.append((m.start(), m.end(), (hour * 60 + minute) % _DAY))
    found += [(w.start(), w.end(), _WORDS[fold(w.group())]) for w in _WORD.finditer(text)]
    return found


def day_minutes(text: str) -> set[int]:
    """The hours of the day the text states, in minutes after midnight."""
    return {t for _, _, t in _spans(text)}


def without_given_hours(claim: str, evidence: str) -> str:
    """The claim without the hours of the day its evidence gives, however written ("22 h" over "10 pm"): their
    numbers are then not read as numbers the evidence lacks."""
    given = day_minutes(evidence)
    for start, end, t in sorted(_spans(claim), reverse=True):
        if t in given:
            claim = claim[:start] + " " + claim[end:]
    return claim


def swapped_hours(claim: str, evidence: str) -> list[str]:
    """The hours of the day of the claim that its evidence gives only on the other half of the day ("10 heures"
    over "10 pm"), as "HH:MM"."""
    claimed = day_minutes(claim)
    if not claimed:
        return []
    given = day_minutes(evidence)
    return [f"{t // 60:02d}:{t % 60:02d}" for t in sorted(claimed)
            if t not in given and (t + _HALF) % _DAY in given]
