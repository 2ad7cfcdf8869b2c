"""The candidate passages ranked again by their sentence closest to the question.

A passage's own vector averages all its sentences: a passage whose one sentence answers the question,
beside others about something else, comes after passages that are about the question's topic as a
whole. The sentence vectors stored at build time (`rag.sentence_vectors`) give each candidate passage
the cosine of its sentence closest to the question; that order is fused with the hybrid (dense + BM25)
order by reciprocal rank, with the same constant. Only the candidates of the hybrid search are ranked
again (`RAG_CANDIDATES` from each retriever), so the cost does not grow with the knowledge base: a few
dozen stored rows read per question.

`RAG_SENTENCE_RANK`: "all" ranks every candidate so; "after-first" keeps the hybrid order's first
passage first. Off by default: both find the answering passage more often (`python -m
benchmarks.retrieval_recall`), yet the default 1.5B model answered no better from either order ("all":
12 answers lost, 7 won; "after-first": 9 lost, 7 won; docs/quality-log.md, twenty-third step). They are
there to measure again with another model.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .fusion import rank_terms
from .types import Chunk


def best_sentence_cosines(chunks: list[Chunk], sentences_of: Callable[[Chunk], list[str]],
                          vectors_of: Callable[[list[str]], np.ndarray], query_vector: np.ndarray) -> list[float]:
    """For each chunk, the cosine with the query of its sentence closest to it (-1 for a chunk with none)."""
    per_chunk = [sentences_of(c) for c in chunks]
    texts = list(dict.fromkeys(t for ts in per_chunk for t in ts))
    if not texts:
        return [-1.0] * len(chunks)
    cosine = dict(zip(texts, (vectors_of(texts) @ query_vector).tolist()))
    return [max((cosine[t] for t in ts), default=-1.0) for ts in per_chunk]


def fuse(ranked: list[tuple[int, float]], best: list[float], keep_first: bool = False) -> list[tuple[int, float]]:
    """The hybrid order (`ranked`: row, score, best first) fused with the order of `best` (each row's best
    sentence cosine, same positions) by reciprocal rank; (row, fused score), best first, ties by row.
    With `keep_first`, the hybrid order's first passage stays first (the others follow in fused order)."""
    by_sentence = sorted(range(len(ranked)), key=lambda i: (-best[i], ranked[i][0]))
    fused = rank_terms(ranked)
    for row, term in rank_terms([ranked[i] for i in by_sentence]).items():
        fused[row] += term
    order = sorted(fused.items(), key=lambda rs: (-rs[1], rs[0]))
    if keep_first:
        first = ranked[0][0]
        order = [(first, fused[first])] + [rs for rs in order if rs[0] != first]
    return order
