"""What a "how many" question counts, and whether the number an answer gives counts it.

"Combien de courts compte le club ?" was answered "Le club compte sept courts." from "Chaque membre
réserve les courts en ligne, au plus sept jours à l'avance.": the number is the sentence's and so is
the noun, but the sentence's seven counts days. Where the evidence names what the question counts,
the number the answer gives must stand next to it there (the noun within a few words after the number,
"sept jours" / "240 salariés", or just before it, "le nombre de visiteurs atteint 85 000"). The noun is
matched as a word, its plural folded ("courts" / "court"; "councillors" is not "council"). Where the
evidence never names it (another language, another word: "deux projets … proposés" for "propositions"),
this reads nothing: the number and coverage checks do.
"""

from __future__ import annotations

import re

from .words import WORD, content_words, fold, numbers, word_forms

_AFTER = 5  # words after the number where its noun may stand ("huit documents", "240 salariés à temps plein")
_BEFORE = 3  # words before it ("le nombre de visiteurs atteint 85 000")
_RUN = 3  # words of what is counted read after "how many" / "combien de" ("wild bee species")
_MEASURES = frozenset({"temps"})  # "combien de temps": a duration, not a count of something named


def counted_noun(question: str) -> str | None:
    """The words that name what a "how many" question counts, as written (lowercase, joined by a space),
    or None: "Combien de chrétiens vivent au Pakistan ?" -> "chrétiens vivent", "Combien d'emplois…" ->
    "emplois", "How many lanes…?" -> "lanes", "How many wild bee species…?" -> "wild bee species";
    "How many of the members…?", "Combien de temps…", "Combien coûte…" -> None. Up to `_RUN` content
    words from the first, stopping at a stopword, a name or a word with an elided article
    ("l'extension"): English puts the counted noun last ("wild bee species"), French first, after an
    adjective that may come before it ("grandes salles"); with no tagger to tell which word is the noun,
    the run holds them all, and a verb that follows ("vivent") rides along. A run that opens with a
    stopword reads nothing ("Combien de nouveaux arrêts…": "nouveaux" is one), as before."""
    tokens = [t.replace("’", "'") for t in WORD.findall(question)]
    folded = [fold(t) for t in tokens]
    for i, word in enumerate(folded[:-1]):
        if word == "combien" and folded[i + 1] == "de" and i + 2 < len(tokens):
            start = i + 2
        elif word == "combien" and folded[i + 1].startswith("d'"):
            start = i + 1
        elif word == "how" and folded[i + 1] == "many" and i + 2 < len(tokens):
            start = i + 2
        else:
            continue
        run: list[str] = []
        for j, token in enumerate(tokens[start:start + _RUN]):
            words = content_words(token)
            if not words or (j and "'" in token):
                break
            run.append(words[0].lower())
        return " ".join(run) if run and fold(run[0]) not in _MEASURES else None
    return None


# A word of the evidence, a number grouped by spaces ("6 800", "1 150 000") being one
_TOKEN = re.compile(r"(?<!\S)\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.]\d)|\S+")


def miscounted(noun: str | None, claim: str, evidence: str, question: str = "") -> str:
    """The number the claim gives for `noun`, what the question counts (`counted_noun`: one word or a few),
    that its evidence gives only for something else ("sept" for courts over "sept jours"), as the claim's
    value, or "": also when the question counts nothing (None), the claim gives no number, the evidence
    never names any word of the noun, or one of the claim's numbers stands next to one of them in the
    evidence ("87 species" for "wild bee species"). A number the `question` gives in digits is not its
    count ("Combien de visiteurs en 2023 ?": the 2023 is when), and a number whose thousands a space
    groups is one ("environ 6 800 visiteurs")."""
    claimed = numbers(claim, counts=True) - numbers(question, words=False) if noun is not None else set()
    targets = word_forms(noun) if claimed and noun else set()  # each word's form
    if not targets:
        return ""
    tokens = _TOKEN.findall(evidence)
    forms = [word_forms(t) for t in tokens]  # the word itself, plural folded: "councillors" is not "council"
    if not any(targets & f for f in forms):
        return ""
    found: list[str] = []
    for i, token in enumerate(tokens):
        values = numbers(token, counts=True) & claimed
        if not values:
            continue
        near = forms[max(0, i - _BEFORE):i] + forms[i + 1:i + 1 + _AFTER]
        if any(targets & f for f in near):
            return ""
        found += sorted(values)
    return found[0] if found else ""
