"""What a question asks for: the noun after its interrogative determiner ("Which architect…?",
"What is the height of…?", "En quelle année…?", "Quel est le parti de…?").

Only closed-class words are listed here (interrogative determiners, copulas, auxiliaries,
prepositions, and the few nouns that only introduce another: "type of", "sorte de"); the noun itself
is whatever content word comes next. No part-of-speech tagger: where an adjective comes first
("What political party…?") the adjective is taken, which still names what is asked.
"""

from __future__ import annotations

from .words import ARTICLES, WORD, content_words, fold, numbers

_DETERMINERS = {"en": frozenset({"which", "what"}), "fr": frozenset({"quel", "quelle", "quels", "quelles"})}
# Forms of "to be" between the determiner and the noun ("What was the…", "Quelle a été la…").
_COPULAS = frozenset("is was are were be been 's est etait etaient sont fut furent sera seront serait a ont avait "
                     "avaient ete".split())
# An auxiliary right after "what" makes it a pronoun ("What did she say?"): no noun is asked.
_AUXILIARIES = frozenset("did does do has have had can could will would should might may must".split())
# Nouns that only introduce the one asked for: "What type of engine…", "Quelle sorte de…".
_INTRODUCERS = frozenset("type types kind kinds sort sorts form forms name names genre genres sorte sortes espece especes nom "
                         "noms".split())
_OF = frozenset("of de d du des".split())
_POSSESSIVES = frozenset("his her its their son sa ses leur leurs".split())
# After "what" straight before its noun, the next word shows it is one: "What year did…", "What share
# of…"; "What exposes organisms…" and "What happens when…" have a verb there, and "what" is a pronoun.
_AFTER_NOUN = _AUXILIARIES | frozenset("is was are were of in on at for from to with by about during".split())
_LEADING = 3  # an English determiner counts within the first words only ("In which year", "According to what")


def asked_noun(question: str) -> str | None:
    """The content word the question's interrogative determiner introduces, as written (lowercase), or
    None: "Which architect designed it?" -> "architect", "Quelle est la hauteur de la tour ?" ->
    "hauteur", "What did he say?" -> None. English "which"/"what" count only among the first words
    (elsewhere they are relative pronouns); French "quel" counts wherever it stands."""
    tokens = [t.replace("’", "'") for t in WORD.findall(question)]
    folded = [fold(t) for t in tokens]
    start = None
    for i, word in enumerate(folded):
        if word in _DETERMINERS["fr"] or (word in _DETERMINERS["en"] and i < _LEADING):
            start = i + 1
            break
    if start is None or start >= len(tokens):
        return None
    i = start
    if folded[i] in _AUXILIARIES:
        return None
    had_copula = had_article = False
    while i < len(tokens) and folded[i] in _COPULAS:
        i, had_copula = i + 1, True
    if i < len(tokens) and (folded[i] in ARTICLES["en"] | ARTICLES["fr"] | _POSSESSIVES):
        i, had_article = i + 1, True
    elif had_copula and not (i < len(tokens) and folded[i].startswith("l'")):  # "l'altitude" is read below
        return None  # "What is Paris?", "Quel est Paris ?": no noun after the determiner
    if i + 1 < len(tokens) and folded[i] in _INTRODUCERS:
        i += 2 if folded[i + 1] in _OF else 1 if folded[i + 1].startswith("d'") else 0
    while i < len(tokens) and numbers(tokens[i], counts=True):
        i += 1  # "Quels sont les trois pays…", "Which two treaties…": the noun follows the number
    if i >= len(tokens):
        return None
    if folded[start - 1] == "what" and not had_article and i + 1 < len(tokens) and folded[i + 1] not in _AFTER_NOUN:
        return None
    words = content_words(tokens[i])
    return words[0].lower() if words else None
