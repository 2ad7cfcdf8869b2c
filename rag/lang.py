"""Tell English from French, and the few fixed phrases the system says itself."""

from __future__ import annotations

import re

from .keywords import fold

_FR = set("le la les des du de un une est sont que qui quoi quel quelle quels quelles où pourquoi comment "
          "combien qu est-ce ce cette ces et ou sur dans pour avec par au aux il elle ils elles a-t-il "
          "ont été fait dit selon entre lors vers chez".split())
_EN = set("the a an is are was were what who whom which where why how when did do does of in on for with "
          "by to and or about from that this these those he she they it has have said say".split())


PHRASES = {
    "abstain": {
        "en": "The documents do not contain the answer to this question.",
        "fr": "Les documents ne contiennent pas la réponse à cette question.",
    },
    "injection": {
        "en": "I can only answer questions about the documents; instructions given in the question are not followed.",
        "fr": "Je réponds seulement aux questions sur les documents ; les instructions données dans la question ne sont pas suivies.",
    },
}


def detect(text: str) -> str:
    """'fr' or 'en' (the default when unsure)."""
    words = re.findall(r"[\w'-]+", text.lower())
    fr = sum(w in _FR or w.startswith(("qu'", "l'", "d'", "c'", "n'", "s'")) for w in words)
    en = sum(w in _EN for w in words)
    if re.search(r"[éèêàùçâîôûœ]", text.lower()) or "?" in text and re.search(r"\s\?", text):
        fr += 1  # accents, or the French space before "?"
    return "fr" if fr > en else "en"


def phrase(key: str, language: str) -> str:
    table = PHRASES[key]
    return table.get(language, table["en"])


_INJECTION = re.compile(
    r"(ignore|disregard|forget|override)\b.{0,40}\b(instruction|rule|prompt|context|above|previous)"
    r"|\b(oublie|oubliez|ignore|ignorez|ne tiens pas compte)\b.{0,40}\b(instruction|consigne|règle|regle|précédent|precedent)"
    r"|\b(system prompt|prompt système|prompt systeme|you are now|tu es maintenant|vous êtes maintenant|jailbreak|developer mode)\b"
    r"|\b(reveal|print|show|affiche|révèle|revele)\b.{0,30}\b(prompt|instructions|consignes)\b",
    re.I | re.S,
)


def is_instruction(text: str) -> bool:
    """Does this text try to instruct the assistant (prompt injection)?"""
    return bool(_INJECTION.search(fold(text)) or _INJECTION.search(text))


_REFERENCES = set(
    "he she it they him her them his its their theirs this that these those there here former latter "
    "il elle ils elles lui leur leurs eux celui celle ceux celles cela ça ci là son sa ses "
    "-il -elle -ils -elles".split()
)


def needs_context(question: str) -> bool:
    """Does a follow-up lean on the conversation (a pronoun, or too short to stand alone)?

    "Why did they propose it?", "À quelle agence a-t-elle parlé ?", "Et Moscou ?" do;
    "What is the capital of Australia?" does not.
    """
    words = re.findall(r"-?[\w']+", question.lower())
    if len(words) <= 3:
        return True
    return any(w in _REFERENCES or w.split("'")[-1] in _REFERENCES for w in words)
