"""The dense and the keyword (BM25) candidate lists fused into one order, by reciprocal rank.

Each list gives a passage 1 / (RRF_K + rank), rank from 1; a passage's score is the sum. BM25 matches
the question's own words, so in a knowledge base that holds passages in two languages it can only find
those in the question's language (bar names and numbers): fused as they are, the keyword list lifts
every passage in the question's language above the others, whatever they say ("Are the hot showers at
the campsite free?" put three English passages on a hot desk and free coffee above the French campsite
passage the dense search ranked first; docs/quality-log.md, twenty-seventh step).

`RAG_FUSION=by-language` (the default): when the candidates hold passages in the question's language
*and* in another one, a passage in another language counts, for its keyword term, the better of its
keyword rank and its dense rank: its keyword handicap is lifted, its meaning still has to rank it.
Where every candidate is in one language (a one-language knowledge base, or a question in the other
language over it, where BM25 still finds the names) the fusion is the plain one. `plain`: always
the plain fusion.
"""

from __future__ import annotations

from typing import Callable

RRF_K = 60  # reciprocal rank fusion: 1 / (RRF_K + rank), rank from 1


def rank_terms(ranked: list[tuple[int, float]]) -> dict[int, float]:
    """Each row's reciprocal rank term, 1 / (RRF_K + rank), rank from 1; `ranked`: (row, score) best first."""
    return {row: 1.0 / (RRF_K + rank) for rank, (row, _score) in enumerate(ranked, 1)}


def fuse(dense: list[tuple[int, float]], keywords: list[tuple[int, float]],
         question_language: Callable[[], str] | None = None,
         language_of: Callable[[int], str] | None = None) -> list[tuple[int, float]]:
    """(row, fused score), best first, ties by row. `dense` and `keywords`: (row, score), best first.
    With `language_of` (a row's passage language) and `question_language` (called only when the
    candidates are in more than one language), the language-aware fusion above; without, the plain one."""
    by_dense, by_keywords = rank_terms(dense), rank_terms(keywords)
    rows = list(dict.fromkeys([r for r, _ in dense] + [r for r, _ in keywords]))
    other: set[int] = set()
    if language_of is not None and question_language is not None:
        languages = {row: language_of(row) for row in rows}
        if len(set(languages.values())) > 1:
            asked = question_language()
            if asked in languages.values():
                other = {row for row, language in languages.items() if language != asked}
    fused = {}
    for row in rows:
        keyword = by_keywords.get(row, 0.0)
        if row in other:
            keyword = max(keyword, by_dense.get(row, 0.0))
        fused[row] = by_dense.get(row, 0.0) + keyword
    return sorted(fused.items(), key=lambda rs: (-rs[1], rs[0]))
