"""Proper names in English and French text, and whether a text names a given one."""

from __future__ import annotations

import functools
import re
from difflib import SequenceMatcher

from .dates import is_holiday_part
from .words import POSSESSIVE_S as _POSSESSIVE, WORD, calendar_term, fold, stopwords

# Titles written before a name ("Dr Singh", "Mr. Hirsch", "Mme Moreau"): not part of it, and their
# full stop ends no sentence. "M." is a single letter, never a name part anyway.
_HONORIFICS = {"mr", "mrs", "ms", "mx", "miss", "dr", "prof", "sir", "dame", "mme", "mlle", "mmes", "mm", "me", "pr"}
# Those that are abbreviations, not words: a full stop after one ends no sentence ("Pr. Moriarty"), where
# one after "Sir", "Miss" or "Me" may ("Yes, Sir. The…").
ABBREVIATED_TITLES = frozenset(_HONORIFICS - {"sir", "dame", "miss", "me"})
_CONNECTORS = {"de", "du", "des", "la", "le", "el", "al", "bin", "van", "von", "der", "of", "the", "d'"}


def names(text: str) -> list[str]:
    """Proper names in a text: runs of capitalised words past the first word of a sentence, that
    are not stopwords, weekdays, months or holidays ("Jane Smith", "United Nations", "Le Monde")."""
    stop = stopwords()
    runs: list[list[str]] = []
    current: list[str] = []
    start = True
    for m in re.finditer(r"[\w'’.-]+|[^\w\s]", text):
        token = m.group()
        word = _POSSESSIVE.sub("", token.strip(".'’-"))  # "the UK's" -> "UK"
        parts = word.split("-")
        while len(parts) > 1 and parts[0].islower() and fold(parts[0]) not in _CONNECTORS:
            parts = parts[1:]  # "non-Chinese" -> "Chinese"; "al-Bakr" stays whole
        word = "-".join(parts)
        capitalised = any(part[:1].isupper() for part in parts)  # "Jane", "al-Bakr"
        if capitalised and fold(word) in _HONORIFICS:
            if current:
                runs.append(current)
            current, start = [], False
            continue
        is_name = (not start and capitalised and not word.isdigit() and len(word) >= 2
                   and fold(word) not in stop and not calendar_term(word))
        if is_name:
            current.append(word)
        elif current and fold(word) in _CONNECTORS and not token.endswith("."):
            current.append(word)
        else:
            if current:
                runs.append(current)
            current = []
        start = token in (".", "!", "?", ":", "«", "\"", "“") or (token.endswith(".") and len(word) > 1)
    if current:
        runs.append(current)
    out = []
    for run in runs:
        while run and fold(run[-1]) in _CONNECTORS:
            run = run[:-1]
        if run:
            out.append(" ".join(run))
    # a holiday is a date ("Christmas Day" is 25 December: `dates.dated`), not a name the documents must give
    return [n for n in dict.fromkeys(out) if not is_holiday_part(n, text)]


_INVERTED_VERB = re.compile(r"\s+[^\W\d_]+-(?:t-)?(?:il|elle|ils|elles)\b", re.I)


def splits_before_inverted_verb(text: str, name: str) -> list[tuple[str, str]]:
    """Where a run of capitalised words may be two names: a French question's subject before its
    inverted verb follows the name it comes after ("De quelles œuvres de Picasso Apollinaire était-il
    admiratif ?": "Picasso" and "Apollinaire"). The ways to cut `name` in two, when `text` has it just
    before a verb with its subject pronoun ("était-il", "a-t-elle"); [] otherwise."""
    at = text.find(name)
    words = name.split()
    if at < 0 or len(words) < 2 or not _INVERTED_VERB.match(text, at + len(name)):
        return []
    return [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]


def caseless(text: str) -> bool:
    """Does the text's capitalisation say nothing of its names? Written in capitals ("WHEN DOES THE POOL
    OPEN ON SUNDAYS?"), or in title case: three words or more, each of two letters or more capitalised,
    with a stopword past the first word or four words at least ("What Is The Price Of A Night?", "Où
    Était-il En Visite ?", "De Quoi D'autres Experts Doutent-ils ?", "Did Smith Meet Jones?"; not "Who
    is Jane Smith?", "Jane Smith?")."""
    words = WORD.findall(text)
    if len(words) >= 2 and not any(c.islower() for c in text):
        return True
    long = [w for w in words if len(w) >= 2]
    if len(words) < 3 or not all(w[:1].isupper() for w in long):
        return False
    return len(words) >= 4 and len(long) >= 4 or any(fold(w) in stopwords() for w in long[1:])


def in_sentence_case(text: str) -> str:
    """The text in lowercase but for its first letter when its capitalisation says nothing (`caseless`),
    so that its common words are not read as names ("DOES THE POOL OPEN" is no name the documents must
    give); otherwise the text itself."""
    if not caseless(text):
        return text
    low = text.lower()
    first = next((i for i, c in enumerate(low) if c.isalpha()), None)
    return low if first is None else low[:first] + low[first].upper() + low[first + 1:]


def spelled_alike(a: str, b: str, ratio: float = 0.75) -> bool:
    """Same word allowing for accents and small spelling variants (Genève ~ Geneva, Tchaïkovski ~ Tchaikovsky);
    the first letter must agree ("Brussels" is not "Russell")."""
    a, b = fold(a), fold(b)
    return a == b or (min(len(a), len(b)) >= 4 and a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= ratio)


_ACRONYM_PLURAL = re.compile(r"([A-Z]{2,})s")


def _singular(word: str) -> str:
    """An acronym without its plural "s" ("DVDs" -> "DVD", "NGOs" -> "NGO"); any other word as it is."""
    m = _ACRONYM_PLURAL.fullmatch(word)
    return m.group(1) if m else word


@functools.lru_cache(maxsize=256)
def _words_of(text: str) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, list[int]], tuple[str, ...]]:
    """A text's words without connectors, folded, where each folded word occurs, and its capitalised words."""
    words = tuple(w for w in re.findall(r"\w+", _POSSESSIVE.sub("", text)) if fold(w) not in _CONNECTORS)
    folded = tuple(fold(_singular(w)) for w in words)
    where: dict[str, list[int]] = {}
    for i, f in enumerate(folded):
        where.setdefault(f, []).append(i)
    return words, folded, where, tuple(dict.fromkeys(_singular(w) for w in words if w[:1].isupper()))


def capitalised_words(text: str) -> tuple[str, ...]:
    """The distinct capitalised words of a text (connectors aside)."""
    return _words_of(text)[3]


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words).upper()


def mentions(text: str, name: str) -> bool:
    """Does `text` name `name`, as a whole? Its words in a row (connectors aside: "Ministry of Foreign
    Affairs" is in "the Ministry of Foreign Affairs of Russia"), each the same word (accents and case
    aside) or a small spelling variant of a capitalised word (a variant of a common word is another word:
    "Paris" is not "parties"). "American Union" is not in a text about the "European Union", although
    "Union" is. An acronym names what its capitalised words spell ("EU", "European Union"), in the plural
    too ("DVDs", "DVD")."""
    words = [_singular(w) for w in re.findall(r"\w+", _POSSESSIVE.sub("", name)) if fold(w) not in _CONNECTORS]
    if not words:
        return False
    have, folded, where, capitalised = _words_of(text)

    def same(k: int, i: int) -> bool:
        return folded[i] == fold(words[k]) or (have[i][:1].isupper() and spelled_alike(words[k], have[i]))

    starts = set(where.get(fold(words[0]), []))
    starts |= {i for c in capitalised if spelled_alike(words[0], c) for i in where[fold(c)]}
    if any(i + len(words) <= len(have) and all(same(k, i + k) for k in range(1, len(words))) for i in starts):
        return True
    if len(words) == 1 and 2 <= len(words[0]) <= 6 and words[0].isupper():  # "EU" for "European Union"
        acronym = words[0]
        for i in (i for c in capitalised if c[0] == acronym[0] for i in where[fold(c)]):
            run = have[i : i + len(acronym)]
            if len(run) == len(acronym) and all(w[:1].isupper() for w in run) and _initials(list(run)) == acronym:
                return True
    if len(words) >= 2 and all(w[:1].isupper() for w in words):  # "European Union" for "EU"
        return _initials(words) in {w for w in capitalised if w.isupper()}
    return False


# CLDR's territory codes that name no country or continent: groupings and placeholders.
_NOT_PLACES = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}


@functools.lru_cache(maxsize=2)
def territories(language: str) -> tuple[str, ...]:
    """The names of the countries and continents in `language` (babel's CLDR data: "Chine", "Afrique",
    "Amériques"), which a nationality adjective names ("chinoise", "africain", "américain")."""
    from babel import Locale

    return tuple(sorted({name for code, name in Locale(language).territories.items()
                         if code.isdigit() or (code.isalpha() and code not in _NOT_PLACES)}))

