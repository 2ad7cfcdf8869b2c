"""Is a name stated in a text, in either language? Spelling first, then multilingual name embeddings.

Names keep their spelling across languages when they are names of people ("Jane Smith"), change a
little when transliterated, and change entirely when translated ("Geneva" / "Genève", an institution's
name). Spelling variants are checked against the text's capitalised words; translations against its
name-like phrases, by the embedder's query vectors, cached per embedder (`VectorCache`).
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from difflib import SequenceMatcher

import numpy as np

from . import lang


class VectorCache:
    """Embeddings of texts already seen, for one embedder; bounded (least recently used out). The
    sentence vectors an index stored at build time (`use`) are read from there, not computed."""

    def __init__(self, embedder, size: int = 20_000) -> None:
        self.embedder = embedder
        self.size = size
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._stored: Mapping[str, np.ndarray] = {}  # document text -> vector, of the index last used
        self._stored_key: str | None = None

    def use(self, key: str, load) -> None:
        """Read "documents" vectors from `load()` (text -> vector, called once per `key`: an index version)."""
        with self._lock:
            if key != self._stored_key:
                self._stored, self._stored_key = load(), key

    def get(self, texts: list[str], kind: str = "documents") -> np.ndarray:
        with self._lock:
            if kind == "documents":
                for t in texts:
                    if (kind, t) not in self._vectors and t in self._stored:
                        self._vectors[(kind, t)] = self._stored[t]
            missing = list(dict.fromkeys(t for t in texts if (kind, t) not in self._vectors))
            if missing:
                for text, vec in zip(missing, getattr(self.embedder, kind)(missing)):
                    self._vectors[(kind, text)] = vec
            out = []
            for t in texts:
                self._vectors.move_to_end((kind, t))
                out.append(self._vectors[(kind, t)])
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        return np.stack(out) if out else np.zeros((0, 0), "float32")


# Two names are the same name in two languages when their embeddings (query prompt) are this similar,
# or nearly so and spelled alike (a transliteration). Measured with EmbeddingGemma on pairs of place,
# person and institution names: translations 0.70-0.96 (Geneva/Genève 0.96, a translated institution
# 0.70-0.90), transliterations 0.58-0.65 with spelling ratio 0.6-0.8; different names 0.23-0.59 (spelling
# ratio mostly under 0.4), and up to 0.64 for a person and their country (spelling ratio under 0.4).
NAME_MATCH, NAME_NEAR, NAME_SPELLING = 0.70, 0.55, 0.5
# In one language, a one-word name may be stated by another form of the same word: a nationality and its
# country (French/France 0.90, Chinese/China 0.90, British/Britain 0.91, Spanish/Spain 0.85), which begin
# alike; two nationalities are further apart (Japanese/Chinese 0.78, Swedish/Swiss 0.74).
NAME_DERIVED = 0.84


# A French nationality adjective is written lowercase ("un quotidien français", "la ville chinoise") where
# English capitalises it ("a French daily"): it names a country as a name does. It begins as the country's
# name does and embeds close to it (query prompt): measured with EmbeddingGemma over the 837 lowercase
# content words of the French questions of every question set that share their first four letters with a
# country or continent name (`lang.territories`): nationality adjectives 0.705 (italienne/Italie,
# chinoise/Chine) to 0.984 (suisse/Suisse), other words up to 0.645 (zone/zone euro, région, pays/Pays-Bas).
NATIONALITY, NATIONALITY_PREFIX = 0.68, 4


def nationalities(question: str, vectors: VectorCache, language: str | None = None) -> list[tuple[str, str]]:
    """The nationality adjectives of a French question, each with the country or continent it names
    ("Quel quotidien français…" -> [("français", "France")]); [] for a question in another language
    (`language`, detected when not given), where such a word is a capitalised name (`lang.names`)."""
    if (language or lang.detect(question)) != "fr":
        return []
    by_start = _places_by_start("fr")
    near = {w: by_start[lang.fold(w)[:NATIONALITY_PREFIX]] for w in _lowercase_candidates(question)
            if lang.fold(w)[:NATIONALITY_PREFIX] in by_start}
    found = []
    for word, places in near.items():
        sims = (vectors.get([word], "queries") @ vectors.get(places, "queries").T)[0]
        if sims.max() >= NATIONALITY:
            found.append((word, places[int(sims.argmax())]))
    return found


@functools.lru_cache(maxsize=2)
def _places_by_start(language: str) -> dict[str, list[str]]:
    """The names of `lang.territories(language)` by their first `NATIONALITY_PREFIX` letters, folded."""
    by_start: dict[str, list[str]] = {}
    for place in lang.territories(language):
        start = lang.fold(place)[:NATIONALITY_PREFIX]
        if len(start) == NATIONALITY_PREFIX:
            by_start.setdefault(start, []).append(place)
    return by_start


def _name_candidates(text: str) -> list[str]:
    """Phrases of a text that may name something: capitalised runs, alone and with the word after."""
    words = re.findall(r"[\w'’-]+", text)
    out = []
    for i, w in enumerate(words):
        if w[:1].isupper():
            j = i
            while j + 1 < len(words) and words[j + 1][:1].isupper():
                j += 1
            out.append(" ".join(words[i : j + 1]))
            if j + 1 < len(words):
                out.append(" ".join(words[i : j + 2]))
    return list(dict.fromkeys(out))


def _lowercase_candidates(text: str) -> list[str]:
    """Content words that are not capitalised: an adjective of nationality or faith ("russe", "islamique")
    translates a capitalised English one ("Russian", "Islamic")."""
    stop = lang.stopwords()
    return list(dict.fromkeys(w for w in re.findall(r"[^\W\d_][\w'’-]*", text)
                              if not w[:1].isupper() and len(w) >= 4 and lang.fold(w) not in stop))


def name_stated(name: str, text: str, vectors: VectorCache | None, translated: bool = True,
                word_forms: bool = True) -> bool:
    """Does `text` name `name`? Each part of it ("Ministry of Foreign Affairs of Russia": "Ministry",
    "Foreign Affairs", "Russia") is in the text as a whole, spelled alike, or, when the text may be a
    translation (`translated`: it is in another language than the name), matches one of its name-like
    phrases by embedding. In the same language a name is spelled, not translated: "American Union" is
    not the "European Union" (embeddings put the two close). `word_forms` also compares a one-word name
    with the text's other words (Russian/russe, French/France): for short texts (cited sentences), as
    it embeds every such word of the text."""
    parts = [p for p in re.split(r"\s+(?:of|de|du|des|d'|the)\s+", name) if p]
    missing = [p for p in parts if not lang.mentions(text, p)]
    if not missing:
        return True
    if vectors is not None and not translated:
        return word_forms and all(_derived_word(p, text, vectors) for p in missing)
    candidates = _name_candidates(text)
    if vectors is None or not candidates:
        return False
    sims = vectors.get(missing, "queries") @ vectors.get(candidates, "queries").T
    for row, part in zip(sims, missing):
        if row.max() >= NAME_MATCH or (word_forms and _translated_word(part, text, vectors)):
            continue
        near = [c for c, sim in zip(candidates, row) if sim >= NAME_NEAR and not _dated_phrase(c)]
        if not any(SequenceMatcher(None, lang.fold(part), lang.fold(c)).ratio() >= NAME_SPELLING for c in near):
            return False
    return True


def _dated_phrase(candidate: str) -> bool:
    """A capitalised run that only gives a weekday, month or number ("June", "June 1962", "Saturday 9"):
    not a name another one may be a spelling of (a first name near "June" by embedding, half spelled alike)."""
    return all(lang.calendar_term(w) or w.isdigit() for w in candidate.split())


def _closest(part: str, words: list[str], vectors: VectorCache) -> float:
    """The highest embedding similarity between `part` and any of `words` (0 when there are none)."""
    if not words:
        return 0.0
    return float((vectors.get([part], "queries") @ vectors.get(words, "queries").T).max())


def _derived_word(part: str, text: str, vectors: VectorCache) -> bool:
    """A one-word name stated in the same language by another form of it ("French" / "France")."""
    if " " in part.strip() or not part[:1].isalpha():
        return False
    initial = lang.fold(part[0])
    words = [w for w in lang.capitalised_words(text) if lang.fold(w[0]) == initial]
    return _closest(part, words, vectors) >= NAME_DERIVED


def _translated_word(part: str, text: str, vectors: VectorCache) -> bool:
    """A one-word name translated by a lowercase word of the text ("Russian" / "russe")."""
    return " " not in part.strip() and _closest(part, _lowercase_candidates(text), vectors) >= NAME_MATCH
