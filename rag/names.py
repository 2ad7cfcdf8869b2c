"""Is a name stated in a text, in either language? Spelling first, then multilingual name embeddings.

Names keep their spelling across languages when they are names of people ("Jane Smith"), change a
little when transliterated, and change entirely when translated ("Geneva" / "Genève", an institution's
name). Spelling variants are checked against the text's capitalised words; translations against its
name-like phrases, by the embedder's query vectors, cached per embedder (`VectorCache`).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from difflib import SequenceMatcher

import numpy as np

from . import lang


class VectorCache:
    """Embeddings of texts already seen, for one embedder; bounded (least recently used out)."""

    def __init__(self, embedder, size: int = 20_000) -> None:
        self.embedder = embedder
        self.size = size
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, texts: list[str], kind: str = "documents") -> np.ndarray:
        with self._lock:
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


def name_stated(name: str, text: str, vectors: VectorCache | None) -> bool:
    """Does `text` name `name`? Each part of it ("Ministry of Foreign Affairs of Russia": "Ministry",
    "Foreign Affairs", "Russia") is spelled alike in the text, or (across languages) matches one of its
    name-like phrases by embedding."""
    parts = [p for p in re.split(r"\s+(?:of|de|du|des|d'|the)\s+", name) if p]
    if all(lang.mentions(text, p) for p in parts):
        return True
    candidates = _name_candidates(text)
    if vectors is None or not candidates:
        return False
    missing = [p for p in parts if not lang.mentions(text, p)]
    sims = vectors.get(missing, "queries") @ vectors.get(candidates, "queries").T
    for row, part in zip(sims, missing):
        if row.max() >= NAME_MATCH:
            continue
        near = [c for c, sim in zip(candidates, row) if sim >= NAME_NEAR]
        if not any(SequenceMatcher(None, lang.fold(part), lang.fold(c)).ratio() >= NAME_SPELLING for c in near):
            return False
    return True
