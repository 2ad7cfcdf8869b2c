"""Keyword retrieval (BM25 via `bm25s`) with an accent- and case-insensitive tokenizer.

Dense vectors carry meaning across languages; BM25 catches the rare exact
words (names, places, numbers) that embeddings blur.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

STOPWORDS = set(
    """
    a à au aux avec ce ces cet cette dans de des du elle elles en et est été être il ils je la le les leur
    lui mais me même mes moi mon ne nous on ou où par pas pour qu que qui sa se ses si son sont sur ta te tes
    toi ton tu un une vos votre vous y c d j l m n s t qu ont a-t-il quel quelle quels quelles quoi comment
    the an and are as at be by for from has have he her his in is it its of on or she that this to was were
    will with what who whom which when where why how did do does said say says about than then they them
    there their been not no yes can could would should
    """.split()
)


def fold(text: str) -> str:
    """Lowercase and strip accents: 'Choïgou' -> 'choigou'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    words = re.findall(r"\w+", fold(text))
    return [w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


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
