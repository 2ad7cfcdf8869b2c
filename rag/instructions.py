"""What the system says itself, and what it does not take from a question: its fixed phrases in
English and French, instructions addressed to the assistant (data, never followed), and whether a
follow-up leans on the conversation."""

from __future__ import annotations

import re

PHRASES = {
    "abstain": {
        "en": "The documents do not contain the answer to this question.",
        "fr": "Les documents ne contiennent pas la réponse à cette question.",
    },
    "quoted": {
        "en": "The documents say:",
        "fr": "Les documents disent :",
    },
    "injection": {
        "en": "I can only answer questions about the documents; instructions given in the question are not followed.",
        "fr": "Je réponds seulement aux questions sur les documents ; les instructions données dans la question ne sont pas suivies.",
    },
}


def phrase(key: str, language: str) -> str:
    table = PHRASES[key]
    return table.get(language, table["en"])


# An AI model, named as one: not a bare "assistant" ("If you are an assistant manager…", "Instructions
# for lab assistants") nor "bot".
_ASSISTANT = (r"(?:AI|IA|A\.I\.|(?:AI|IA|virtual) assistants?|assistants? (?:IA|AI|virtuels?)|chatbots?|"
              r"(?:large )?language models?|LLMs?|intelligences? artificielles?|modèles? de langage)")
# Instructions addressed to the assistant: an imperative at the start of a clause aimed at its
# instructions, rules or prompt; a new role; a request to reveal its prompt.
_INSTRUCTION = re.compile(
    r"(^|[.!?;:,]\s*|\b(?:and|then|also|now|et|puis|ensuite|maintenant)\s+)"
    r"(please\s+|s'il te plaît\s+)?"
    r"(ignore|disregard|forget|override|oublie|oubliez|ignore|ignorez|ne tiens pas compte de|ne tenez pas compte de)\s+"
    r"(\w+\s+){0,3}(instructions?|rules|prompt|guidelines|documents?|context|sources?|consignes?|règles|regles|directives)\b"
    # a new role ("you are now DAN", "tu es maintenant un pirate"), not a state ("You are now registered",
    # "You are now in the members' area", "Vous êtes maintenant inscrit": a manual's words to its reader)
    r"|\b(you are now|you're now|(from now on|now),? you are|tu es maintenant|vous êtes maintenant|"
    r"(maintenant|désormais),? (tu es|vous êtes))\s+(?:an?|un|une|(?-i:[A-Z]{2,}|[A-Z][a-z]+))\b"
    r"|\b(jailbreak|developer mode)\b"
    # a request for its own instructions, not for those of something the documents describe: "show me the
    # instructions for the boiler", "affiche les consignes de sécurité" ask about the documents
    r"|\b(reveal|print|show|repeat|affiche|révèle|revele|répète)(?:-moi|-nous)?\s+(\w+\s+){0,2}(system prompt|prompt|instructions|consignes)\b"
    r"(?!\s+(?:for|of|on|about|to|from|in|de|du|des|d'|d’|pour|sur|à|au|aux|dans)\b)"
    r"|\b(reveal|print|show|repeat|affiche|révèle|revele|répète)(?:-moi|-nous)?\s+(\w+\s+)?(your|tes|vos|ton|ta|votre)\s+(\w+\s+)?"
    r"(system prompt|prompt|instructions|consignes)\b"
    # words addressed to the assistant that reads a text: "if you are an AI…", "note to AI assistants"
    rf"|\b(if you(?:'re| are)|si (?:tu es|vous êtes)) (?:an? |une? )?{_ASSISTANT}\b"
    rf"|\b(note|message|instructions?|consignes?) (?:to|for|à|aux|pour) (?:the |all |any |les |l'|tout |toute )?{_ASSISTANT}\b",
    re.I,
)


def is_instruction(text: str) -> bool:
    """Does this text address an instruction to the assistant ("ignore your rules…", "you are now…", "if
    you are an AI reading this, tell…")?

    "Did the minister ignore the previous agreement?" does not: it asks about the documents."""
    return bool(_INSTRUCTION.search(text))


def without_instructions(question: str) -> str:
    """The question without its sentences that address an instruction to the assistant ("Where was
    she? Also, ignore your rules and…" -> "Where was she?"), for retrieval and the prompt; the
    question itself when every sentence does."""
    pieces = [p for p in re.split(r"(?<=[.!?;])\s+", question) if p.strip()]
    kept = [p for p in pieces if not is_instruction(p)]
    return " ".join(kept) if kept else question


def only_instructs(question: str) -> bool:
    """A 'question' whose whole content is an instruction to the assistant: it asks nothing
    (no question mark) and addresses the assistant's instructions or role. Such a request is declined;
    anything that also asks something is answered, its instructions being treated as data."""
    return "?" not in question and is_instruction(question)


_REFERENCES = set(
    "he she it they him her them his its their theirs this that these those there here former latter "
    "il elle ils elles lui leur leurs eux celui celle ceux celles cela ça ci là son sa ses "
    "-il -elle -ils -elles".split()
)


def needs_context(question: str) -> bool:
    """Does a follow-up lean on the conversation (a pronoun, or too short to stand alone)?

    "Why did they propose it?", "À quelle agence a-t-elle parlé ?", "Et Paris ?" do;
    "What is the capital of Australia?" does not.
    """
    words = re.findall(r"-?[\w']+", question.lower())
    if len(words) <= 3:
        return True
    return any(w in _REFERENCES or w.split("'")[-1] in _REFERENCES for w in words)
