"""Currencies a text states, in English and French, from babel's locale data (the one word left out
by hand is "won", also an English verb).

A currency is named by its sign ("$", "£", "€", "¥"; "CA$" is read as "$"), its ISO code ("CHF") or its
name's head word ("dollars", "pounds", "livres", "euros", "francs"). One mention may stand for several currencies
("$" and "dollar" for every dollar): a mention is read as the set of currency codes it may mean, and
two mentions agree when those sets meet ("£45" and "45 livres sterling"; "$4.2 million" and "4,2
millions de dollars"; not "£45" and "45 euros").

A claim is read for the words of the currencies written with a sign ("45 euros"); when its evidence
states a currency, for every currency's word after an amount too ("12 francs" over "£12"): there a
word such as "francs" or "marks" after a number that the evidence does not give is a currency swapped.

A question asks for an amount in a currency when it names that currency's word after "en", "in",
"combien de" or "how many" ("Combien coûte X en dollars ?", "Combien d'euros… ?", "How many dollars…?"),
for the words of the currencies written with a sign ("pounds" and "livres" are also weights and books,
and are not read there): `asked_currencies`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .words import LANGUAGES, fold

# After a number (with its scale: "6 millions d'", "4.2 million"): a head word there is a currency
# ("45 livres", "12 francs"); elsewhere it is often not ("des livres" are books, "a pound of flour").
_AMOUNT = r"\d+(?:[.,\u00a0\u202f ]\d+)*(?:\s*(?:million|billion|milliard|thousand|mille|k|m|bn)s?)?\s*(?:de\s+|d['’]\s*|of\s+)?"


# A currency's word that is also a common English word after a number ("the club, founded in 1878 won…").
_ORDINARY = {"won"}


@functools.lru_cache(maxsize=1)
def _tender() -> frozenset[str]:
    """The currencies legal tender today in some territory (no gold ounce, drawing right or old franc)."""
    from babel import Locale
    from babel.numbers import get_territory_currencies

    return frozenset(c for t in Locale("en").territories if t.isalpha() and len(t) == 2
                     for c in get_territory_currencies(t, tender=True))


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(sign -> codes, folded head word -> codes, the head words a claim is read for -> codes) over
    babel's currencies, in both languages."""
    from babel.numbers import get_currency_name, get_currency_symbol

    signs: dict[str, set[str]] = {}
    heads: dict[str, set[str]] = {}
    shared: dict[str, set[str]] = {}
    for code in _tender():
        names: dict[str, set[str]] = {}
        for language in LANGUAGES:
            sign = "".join(ch for ch in get_currency_symbol(code, locale=language) if unicodedata.category(ch) == "Sc")
            if sign:
                signs.setdefault(sign, set()).add(code)
            for count in (1, 2):
                words = get_currency_name(code, count=count, locale=language).split()
                # the head: English puts it last ("British pound"), French first ("livre sterling")
                head = fold(words[-1] if language == "en" else words[0])
                if head.isalpha() and len(head) > 2:
                    names.setdefault(language, set()).add(head)
                    heads.setdefault(head, set()).add(code)
        # A head both languages give ("dollars", "euros", "yen"): a currency's own word, not a word that
        # happens to open a French name ("nouveau shekel") or close an English one ("gold").
        for head in names.get("en", set()) & names.get("fr", set()):
            shared.setdefault(head, set()).add(code)
    # A claim is read only for the words of currencies written with a sign alone in English ($, £, €, ¥,
    # ₹…): the others' include ordinary words after a number ("20 marks" in a test, "2 real problems").
    signed = {c for c in _tender() if all(unicodedata.category(ch) == "Sc" for ch in get_currency_symbol(c, locale="en"))}
    claimed = {h: codes for h, codes in shared.items() if codes & signed and h not in _ORDINARY}
    return tuple({k: frozenset(v) for k, v in table.items()} for table in (signs, heads, claimed))  # type: ignore[return-value]


def _alternation(words: dict) -> str:
    """A regex alternation of the words, longest first (so "dollars" is tried before "dollar")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    signs, heads, claimed = _tables()
    sign = re.compile(_alternation(signs))
    every = {h: c for h, c in heads.items() if h not in _ORDINARY}
    return (sign, re.compile(rf"\b({_alternation(heads)})\b"), re.compile(rf"{_AMOUNT}({_alternation(claimed)})\b"),
            re.compile(rf"{_AMOUNT}({_alternation(every)})\b"))


def currencies(text: str, anywhere: bool = False, every_word: bool = False) -> list[tuple[str, frozenset[str]]]:
    """Each currency the text states, as written and as the set of codes it may mean: signs and ISO codes
    wherever they are, and the words of the currencies written with a sign after an amount ("45 euros",
    "6 millions d'euros"), with `every_word` every currency's word after an amount ("12 francs"); with
    `anywhere` (the evidence's side: what it may state), every currency's word wherever it is ("pounds",
    "livres sterling", "francs")."""
    signs, heads, claimed = _tables()
    sign, head_anywhere, head_after_amount, any_head_after_amount = _patterns()
    found = [(m.group(), signs[m.group()]) for m in sign.finditer(text)]
    found += [(m.group(), frozenset({m.group()})) for m in re.finditer(r"\b[A-Z]{3}\b", text) if m.group() in _tender()]
    if anywhere:
        found += [(m.group(1), heads[m.group(1)]) for m in head_anywhere.finditer(fold(text))]
    elif every_word:
        found += [(m.group(1), heads[m.group(1)]) for m in any_head_after_amount.finditer(fold(text))]
    else:
        found += [(m.group(1), claimed[m.group(1)]) for m in head_after_amount.finditer(fold(text))]
    return found


@functools.lru_cache(maxsize=1)
def _asked_pattern() -> re.Pattern:
    return re.compile(rf"\b(?:en|in|combien\s+d(?:e\s+|['’]\s*)|how\s+many)\s*({_alternation(_tables()[2])})\b")


def asked_currencies(question: str) -> list[tuple[str, frozenset[str]]]:
    """The currencies a question asks an amount in ("Combien coûte X en dollars ?" -> dollars, "Combien
    d'euros… ?" -> euros), as written (folded) and as the codes each may mean."""
    claimed = _tables()[2]
    return [(m.group(1), claimed[m.group(1)]) for m in _asked_pattern().finditer(fold(question))]


def unasked_currencies(question: str, evidence: str) -> list[str]:
    """The currencies the question asks an amount in that its evidence never states ("en dollars" over
    prices in euros): an amount the documents do not give in that currency."""
    asked = asked_currencies(question)
    if not asked:
        return []
    given = [codes for _, codes in currencies(evidence, anywhere=True)]
    return list(dict.fromkeys(w for w, codes in asked if not any(codes & g for g in given)))


def stated_currency_words(words: list[str], evidence: str) -> set[str]:
    """Those of the words that are a currency's word (of those written with a sign) that the evidence
    states, however: "dollars" over "$4.2 million", "euros" over "4,50 €"."""
    claimed = _tables()[2]
    named = {w: claimed[fold(w)] for w in words if fold(w) in claimed}
    if not named:
        return set()
    given = [codes for _, codes in currencies(evidence, anywhere=True)]
    return {w for w, codes in named.items() if any(codes & g for g in given)}


_NUMBER = r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d{1,2})?"


@functools.lru_cache(maxsize=1)
def _amount_pattern() -> re.Pattern:
    """An amount: a number with a currency's sign or ISO code on either side, or a currency's word after it
    (of those written with a sign: "25 euros", "$4", "£2,400", "4,50 €", "CHF 12"), on folded text."""
    signs, _, claimed = _tables()
    sign, words = _alternation(signs), _alternation(claimed)
    codes = "|".join(sorted(_tender()))
    return re.compile(rf"(?:(?:{sign}|\b(?:{codes})\b)\s?({_NUMBER})|({_NUMBER})\s?(?:{sign}|\b(?:{codes}|{words})\b))",
                      re.I)


def _value(number: str) -> float:
    """'2,400' -> 2400.0, '4,50' -> 4.5, '2 400' -> 2400.0, '3.90' -> 3.9."""
    digits = re.sub(r"[\u00a0\u202f ]", "", number)
    parts = re.split(r"[.,]", digits)
    if len(parts) > 1 and len(parts[-1]) != 3:
        return float("".join(parts[:-1]) + "." + parts[-1])
    return float("".join(parts))


def amount_spans(folded: str) -> list[tuple[float, int, int]]:
    """Each amount of money of a folded text (`words.fold`): its value, start and end."""
    return [(_value(m.group(1) or m.group(2)), m.start(), m.end()) for m in _amount_pattern().finditer(folded)]


_FREE = re.compile(r"\b(?:free(?:\s+of\s+charge)?|gratuit|gratuite|gratuits|gratuites|gratuitement|sans\s+frais)\b")


def is_free(text: str) -> bool:
    """Does the text give a price of nothing ("free", "gratuit", "sans frais")? A price too: "the monthly
    pass is free" prices a month as "£5 a month" does."""
    return _FREE.search(fold(text)) is not None


def amounts(text: str) -> list[float]:
    """The amounts of money the text states, as values ("£2,400 a year" -> [2400.0])."""
    return [value for value, _, _ in amount_spans(fold(text))]


def unstated_currencies(claim: str, evidence: str) -> list[str]:
    """The currencies the claim states that its evidence does not ("45 euros" from "£45", "12 francs"
    from "£12"), as the claim writes them."""
    claimed = currencies(claim, every_word=True)
    if not claimed:  # most claims: the evidence is not read
        return []
    given = [codes for _, codes in currencies(evidence, anywhere=True)]
    if not given:  # no currency there: only the words of the currencies written with a sign are read
        claimed = currencies(claim)
    return list(dict.fromkeys(w for w, codes in claimed if not any(codes & g for g in given)))
