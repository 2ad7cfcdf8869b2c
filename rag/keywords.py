"""Keyword retrieval (BM25 via `bm25s`) with an accent- and case-insensitive tokenizer.

Dense vectors carry meaning across languages; BM25 catches the rare exact
words (names, places, numbers) that embeddings blur.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re

import numpy as np

from .lang import KEYWORD_STOPWORDS, fold
from .lang.words import LIGATURES


def tokenize(text: str) -> list[str]:
    words = re.findall(r"\w+", fold(text))
    return [w for w in words if w not in KEYWORD_STOPWORDS and (len(w) > 1 or w.isdigit())]


@functools.lru_cache(maxsize=1)
def tokenizer_record() -> str:
    """A hash of how a text is cut into keywords (`tokenize`, `lang.fold` and its ligatures, the keyword
    stopwords), recorded with the chunker in the index manifest: a change rebuilds the knowledge base,
    whose Qdrant store keeps each passage's terms (the file store's BM25 is built when opened)."""
    parts = [inspect.getsource(tokenize), inspect.getsource(fold), repr(sorted(LIGATURES.items())),
             repr(sorted(KEYWORD_STOPWORDS))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


class KeywordIndex:
    """BM25 over chunk texts; `search` returns (row, score) pairs, best first."""

    def __init__(self, texts: list[str]) -> None:
        import bm25s

        self.size = len(texts)
        self._retriever = None
        corpus = [tokenize(t) or ["_empty_"] for t in texts]
        if self.size:
            self._retriever = bm25s.BM25()
            self._retriever.index(bm25s.tokenization.Tokenized(*_vocab(corpus)), show_progress=False)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        if not self._retriever:
            return []
        words = tokenize(query)
        vocab = self._retriever.vocab_dict
        ids = [vocab[w] for w in words if w in vocab]
        if not ids:
            return []
        scores = self._retriever.get_scores(ids)
        order = np.argsort(-scores)[: min(k, self.size)]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]


def _vocab(corpus: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(w, len(vocab)) for w in doc] for doc in corpus]
    return ids, vocab
