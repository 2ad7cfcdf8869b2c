"""A question that asks who did something, and an answer that names them only by a pronoun.

"Who proposed raising the subscription?" answered "He proposed raising the annual subscription from £5
to £8 [1]." copies a sentence whose subject is a pronoun: every word is in its evidence, and the answer
still does not say who. `asks_who_did` tells such questions (who is the one acting: "Who proposed…?",
"Qui a proposé… ?", "Qui est-ce qui… ?"), not those where "who" asks for someone else than the subject
("Who did Ada meet?", "Whom…", "Qui Ada a-t-il rencontré ?", "Qui est-ce que…", whose answer may well
open with "He met…"), nor "Who is X?" ("She is the ministry's spokeswoman" answers it, the pronoun
standing for X); `pronoun_subject` the pronoun an answer opens with. Only closed-class words are listed
here.
"""

from __future__ import annotations

from .questions import _INVERTED, _LEADERS, is_polar
from .words import WORD, fold

# subject pronouns for a person or people (not "it", "ce", "on": a thing, or anyone)
_PRONOUNS = frozenset("he she they il elle ils elles".split())
_WHO = frozenset({"who", "qui"})
# "who" then one of these asks about someone else than the subject: "Who did Ada meet?", "Who does she
# work for?"; "Qui est-ce que Ada a rencontré ?"
_OBJECT = frozenset("did does do".split())
# "who" then a copula asks what someone is ("Who is X?", "Qui était X ?"): a pronoun may stand for X
_COPULAS = frozenset("is was are were est etait etaient sont fut furent".split())


def asks_who_did(question: str) -> bool:
    """Does the question ask who is the one acting ("Who proposed…?", "Qui a proposé… ?", "Qui est-ce
    qui… ?")? False for "Who did X meet?", "Whom…", "Qui X a-t-il rencontré ?", "Qui est-ce que… ?",
    "Who is X?", a yes/no question and any question that does not open with "who"/"qui" (after "and",
    "et"…)."""
    if is_polar(question):
        return False
    words = [fold(w.replace("’", "'")) for w in WORD.findall(question)]
    while words and words[0] in _LEADERS:
        words = words[1:]
    if len(words) < 2 or words[0] not in _WHO:
        return False  # elsewhere "who" is a relative: "The man who won, where does he live?"
    rest = words[1:]
    if rest[0] in _OBJECT | _COPULAS:
        return False  # "Who did Ada meet?"; "Who is Ada?", answered "She is…"
    if rest[0] == "est-ce":
        return rest[1:2] == ["qui"]  # "Qui est-ce qui a proposé… ?", not "Qui est-ce que…"
    # "Qui Ada a-t-il rencontré ?", "Qui a-t-elle épousé ?": an inverted verb has a subject of its own
    return _INVERTED.search(question) is None


def pronoun_subject(answer: str) -> str | None:
    """The subject pronoun for a person the answer opens with ("He proposed…" -> "He", "Elle a proposé…"
    -> "Elle"), or None ("Mr Brennan proposed…", "It was…")."""
    words = WORD.findall(answer)
    return words[0] if words and fold(words[0]) in _PRONOUNS else None
