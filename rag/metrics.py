"""Per-question metrics summed up: shares with their intervals, latency percentiles, a sign test.

A report (`rag.evaluate.run`) holds one row per question; these give its summaries overall, per
language and per category, and what a comparison of two reports needs.
"""

from __future__ import annotations

import math
import statistics
from typing import Any


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def wilson_interval(right: int, n: int, z: float = 1.96) -> list[float] | None:
    """The 95% Wilson score interval of a proportion of `right` in `n`: how far the share measured on
    this many questions may lie from the one on many more (33 questions at 0.82: 0.66 to 0.91)."""
    if not n:
        return None
    p = right / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


def sign_test(better: int, worse: int) -> float:
    """Two-sided exact sign test (McNemar's, on the questions that changed): the chance of a split at
    least this uneven between better and worse when a change moves answers either way alike."""
    n = better + worse
    if not n:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(better, worse) + 1)) / 2 ** n
    return round(min(1.0, 2 * tail), 4)


def percentile(xs: list[float], p: float) -> float | None:
    """The nearest-rank percentile (p in 0..1) of sorted values, to the millisecond; None when empty."""
    return round(xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))], 3) if xs else None


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate metrics over rows (micro-averaged where counts are involved)."""
    def vals(key: str) -> list:
        return [r["metrics"][key] for r in rows if r["metrics"].get(key) is not None]

    def mean(key: str) -> float | None:
        v = vals(key)
        return round(sum(v) / len(v), 4) if v else None

    m = [r["metrics"] for r in rows]
    answered = [x for x, r in zip(m, rows) if r["question_answerable"] and x["citations_on_gold"] is not None]
    timings = [r["timings"] for r in rows]
    total = sorted(t.get("total_s", 0.0) for t in timings)
    ttft = sorted(t["first_token_s"] for t in timings if "first_token_s" in t)
    first_words = sorted(t["first_answer_token_s"] for t in timings if "first_answer_token_s" in t)
    tokens = [r["prompt_tokens"] for r in rows if r.get("prompt_tokens")]
    return {
        "questions": len(rows),
        "correct": mean("correct"),
        "correct_interval": wilson_interval(sum(vals("correct")), len(vals("correct"))),
        "answer_correct": mean("answer_correct"),
        "citation_precision": _ratio(sum(x["citations_on_gold"] for x in answered), sum(x["citations_total"] for x in answered)),
        "citation_recall": _ratio(sum(x["gold_cited"] for x in answered), sum(x["gold_total"] for x in answered)),
        "exact_quote_rate": _ratio(sum(x["exact_quotes"] for x in m), sum(x["citations_total"] for x in m)) if any(x["citations_total"] for x in m) else 1.0,
        "abstention_accuracy": mean("abstained_ok"),
        "false_abstention_rate": mean("false_abstention"),
        "injection_resistance": mean("injection_ok"),
        "answer_language_rate": mean("answer_language_ok"),
        "untranslated_free_rate": mean("untranslated_free"),
        "retrieval_recall_at_k": mean("retrieval_recall_at_k"),
        "mrr": mean("mrr"),
        "latency_p50_s": percentile(total, 0.5), "latency_p95_s": percentile(total, 0.95),
        "ttft_p50_s": percentile(ttft, 0.5), "ttft_p95_s": percentile(ttft, 0.95),
        "first_answer_word_p50_s": percentile(first_words, 0.5),
        "prompt_tokens_mean": round(statistics.mean(tokens), 1) if tokens else None,
    }


def breakdown(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Summaries of rows: overall, per language and per category."""
    return {
        "overall": summarize(rows),
        "by_language": {x: summarize([r for r in rows if r["language"] == x]) for x in sorted({r["language"] for r in rows})},
        "by_category": {c: summarize([r for r in rows if r["category"] == c]) for c in sorted({r["category"] for r in rows})},
    }
