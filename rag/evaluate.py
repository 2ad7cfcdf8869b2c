"""Evaluate answers against a fixed question set (`rag eval`).

The question file is JSON Lines, one object per question (see README, "Evaluation"):

    {"id": "en-01", "language": "en", "category": "fact", "question": "Who chairs the committee?",
     "history": [], "answerable": true, "reference": "Jane Smith.", "keys": [["Smith"]],
     "forbidden": [], "evidence": [{"source": "us-russia-syria.fr.txt", "quote": "…verbatim…"}]}

`keys` is a list of groups; every group must match (one of its alternatives,
case- and accent-insensitive). `forbidden` strings must not appear (injections).
`evidence` spans must be verbatim, unique substrings of their source.
Quality metrics are deterministic (temperature 0, fixed seed); timings are not.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .errors import InputError
from . import lang
from .index import Index
from .lang import ARTICLES, fold
from .metrics import breakdown, percentile, sign_test, summarize, wilson_interval  # noqa: F401 (the report's API)
from .pipeline import answer
from .paths import REPO_ROOT
from .settings import Settings

QUALITY = ["correct", "answer_correct", "citation_precision", "citation_recall", "exact_quote_rate",
           "abstention_accuracy", "false_abstention_rate", "injection_resistance", "retrieval_recall_at_k", "mrr",
           "answer_language_rate", "untranslated_free_rate"]
LOWER_IS_BETTER = {"false_abstention_rate"}
SPLITS = ("dev", "heldout")  # a question file's parts: look at "dev" while changing the system, "heldout" to report


def default_questions() -> Path:
    local = REPO_ROOT / "eval" / "questions.jsonl"
    return local if local.is_file() else Path(__file__).resolve().parent / "evalset" / "questions.jsonl"


@dataclass
class Gold:
    source: str
    start: int
    end: int


def load_questions(path: str | Path, index: Index) -> list[dict[str, Any]]:
    """Read and check a question file against the index's sources."""
    path = Path(path)
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        items = [json.loads(ln) for ln in lines]
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read questions from {path} ({exc}); give a JSON Lines file (see README)") from exc
    return load_questions_from(items, index, str(path))


def load_questions_from(items: list[dict[str, Any]], index: Index, path: str = "questions") -> list[dict[str, Any]]:
    for q in items:
        for field in ("id", "question", "answerable"):
            if field not in q:
                raise InputError(f"{path}: question {q.get('id', '?')} lacks '{field}'; see the format in the README")
        q.setdefault("language", "en")
        q.setdefault("category", "fact" if q["answerable"] else "unanswerable")
        q.setdefault("history", [])
        q.setdefault("keys", [])
        q.setdefault("forbidden", [])
        q.setdefault("split", "dev")
        if q["split"] not in SPLITS:
            raise InputError(f"{path}: {q['id']}: split must be one of {', '.join(SPLITS)}")
        gold = []
        for e in q.get("evidence", []):
            try:
                text = index.source_text(e["source"])
            except KeyError:
                raise InputError(f"{path}: {q['id']} cites {e['source']}, which is not in the index") from None
            start = text.find(e["quote"])
            if start < 0:
                raise InputError(f"{path}: {q['id']}: evidence is not a verbatim span of {e['source']}")
            gold.append(Gold(e["source"], start, start + len(e["quote"])))
        q["_gold"] = gold
    return items


def overlaps(source: str, start: int, end: int, gold: list[Gold]) -> bool:
    return any(g.source == source and start < g.end and g.start < end for g in gold)


def answer_words(text: str, language: str) -> str:
    """The words an answer is matched on, as SQuAD's and FQuAD's evaluation scripts normalize them:
    folded, punctuation as space, articles left out ("the Great Yuan" -> "great yuan")."""
    words = re.sub(r"[^\w\s]|_", " ", fold(text)).split()
    return " ".join(w for w in words if w not in ARTICLES.get(language, ()))


def _has(text: str, alternative: str, language: str) -> bool:
    """Does the answer give this key: as written (accents and case aside), or as a run of whole words
    once punctuation and articles are left out ("Great Yuan" gives "the Great Yuan")."""
    if fold(alternative) in fold(text):
        return True
    key = answer_words(alternative, language)
    return bool(key) and f" {key} " in f" {answer_words(text, language)} "


def score(q: dict[str, Any], a, index: Index, k: int) -> dict[str, Any]:
    """Per-question metrics for one answer."""
    gold: list[Gold] = q["_gold"]
    text = a.text
    keys_ok = all(any(_has(text, alt, q["language"]) for alt in group) for group in q["keys"])
    forbidden_ok = not any(_has(text, f, q["language"]) for f in q["forbidden"])
    answerable = bool(q["answerable"])
    row: dict[str, Any] = {
        "answer_correct": (not a.abstained and keys_ok and forbidden_ok) if answerable else None,
        "abstained_ok": a.abstained if not answerable else None,
        "false_abstention": a.abstained if answerable else None,
        "injection_ok": (forbidden_ok and (a.abstained or answerable)) if q["category"] == "injection" else None,
        "citations_total": len(a.citations),
        "citations_on_gold": sum(overlaps(c.source, c.start, c.end, gold) for c in a.citations) if gold else None,
        "gold_total": len(gold),
        "gold_cited": sum(any(overlaps(c.source, c.start, c.end, [g]) for c in a.citations) for g in gold),
        "exact_quotes": sum(index.source_text(c.source)[c.start:c.end] == c.quote for c in a.citations),
    }
    row["correct"] = row["answer_correct"] if answerable else (row["abstained_ok"] and forbidden_ok)
    written_in = None if a.abstained else lang.answer_language(text)
    if written_in:  # the answer's language (names and quotations left out) against the question's
        row["answer_language_ok"] = written_in == q["language"]
        row["untranslated"] = lang.foreign_words(text, q["language"], sources=[q["question"], *(c.quote for c in a.citations)])
        row["untranslated_free"] = not row["untranslated"]
    if gold:  # retrieval quality, independent of generation
        query = a.trace.rewritten_query or q["question"]
        hits = index.search(query, k=k)
        ranks = [i for i, h in enumerate(hits, 1) if overlaps(h.chunk.source, h.chunk.start, h.chunk.end, gold)]
        row["retrieval_recall_at_k"] = sum(
            any(overlaps(h.chunk.source, h.chunk.start, h.chunk.end, [g]) for h in hits) for g in gold) / len(gold)
        row["mrr"] = 1.0 / ranks[0] if ranks else 0.0
    return row


def sample(items: list[dict[str, Any]], fraction: float) -> list[dict[str, Any]]:
    """A fixed share of the questions, every kind kept: in each part, language and category, the
    ceil(fraction * n) questions whose ids hash first (sha256), in file order. The same questions on
    every run and every machine, and none picked by how it is answered."""
    if not 0 < fraction <= 1:
        raise InputError(f"the sample must be a fraction in (0, 1], not {fraction}; 1 runs every question")
    groups: dict[tuple[str, str, str], list[str]] = {}
    for q in items:
        groups.setdefault((q["split"], q["language"], q["category"]), []).append(q["id"])
    keep = {qid for ids in groups.values()
            for qid in sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())[:math.ceil(round(fraction * len(ids), 6))]}
    return [q for q in items if q["id"] in keep]


def run(questions: str | Path | None, index: Index, settings: Settings,
        progress: Callable[[int, int, str], None] | None = None, answer_fn: Callable[..., Any] = answer,
        splits: tuple[str, ...] = SPLITS, fraction: float = 1.0) -> dict[str, Any]:
    """Run the questions of the parts named in `splits` (every one, or a `sample` for a `fraction` under 1)
    through `rag.answer` (or `answer_fn`, same signature) and return the full report."""
    items = sample([q for q in load_questions(questions or default_questions(), index) if q["split"] in splits], fraction)
    rows = []
    t0 = time.perf_counter()
    for i, q in enumerate(items, 1):
        start = time.perf_counter()
        a = answer_fn(q["question"], index=index, history=[tuple(h) for h in q["history"]] or None, settings=settings)
        timings = a.timings.to_dict()
        timings["total_s"] = time.perf_counter() - start
        rows.append({
            "id": q["id"], "split": q["split"], "language": q["language"], "category": q["category"],
            "question": q["question"],
            "history": q["history"], "question_answerable": q["answerable"], "reference": q.get("reference", ""),
            "answer": a.text, "abstained": a.abstained, "citations": a.to_dict()["citations"],
            "dropped_claims": a.trace.dropped_claims,
            "rewritten_query": a.trace.rewritten_query, "prompt_tokens": a.trace.prompt_tokens,
            "completion_tokens": a.trace.completion_tokens,
            "timings": timings, "metrics": score(q, a, index, settings.retrieval.top_k),
            "abstain_reason": a.trace.abstain_reason, "answerable_p": a.trace.answerable_p,
            "coverage": a.trace.coverage, "polarity": a.trace.polarity, "focus": a.trace.focus,
            "relevance": a.trace.relevance, "translation": a.trace.translation,
        })
        if progress:
            progress(i, len(items), q["id"])
    return {
        "settings": {"llm": settings.models.llm, "embedder": index.embedder_name, "top_k": settings.retrieval.top_k,
                     "temperature": settings.generation.temperature, "seed": settings.generation.seed, "n_threads": settings.models.n_threads,
                     "min_asked_p": settings.verification.min_asked_p,
                     "asked_languages": settings.verification.asked_languages,
                     "restated_languages": settings.verification.restated_languages, "min_restated_p": settings.verification.min_restated_p,
                     "check_llm": settings.verification.check_llm},
        "index_version": index.version,
        **breakdown(rows),
        "by_split": {split: breakdown([r for r in rows if r.get("split", "dev") == split])
                     for split in SPLITS if any(r.get("split", "dev") == split for r in rows)},
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "wall_s": round(time.perf_counter() - t0, 1),
        "rows": rows,
    }


def _scope(report: dict[str, Any], scope: str) -> dict[str, Any]:
    """'overall', a language ('en'), a part ('heldout') or a part's language ('heldout.en')."""
    split, _, language = scope.partition(".") if scope.split(".")[0] in SPLITS else ("", "", scope)
    part = report.get("by_split", {}).get(split, {}) if split else report
    if language in ("", "overall"):
        return part.get("overall", {})
    return part.get("by_language", {}).get(language) or part.get("by_category", {}).get(language, {})


def check_floor(report: dict[str, Any], floor: dict[str, Any]) -> list[str]:
    """Quality metrics below the committed floor ("overall" and per-language)."""
    failures = []
    for scope, limits in floor.items():
        summary = _scope(report, scope)
        for metric, limit in limits.items():
            value = summary.get(metric)
            lower_is_better = metric in LOWER_IS_BETTER
            if value is None or (value > limit if lower_is_better else value < limit):
                failures.append(f"{scope}.{metric} = {value} (floor {limit})")
    return failures


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Question by question: what got better, what regressed, and metric deltas."""
    before = {r["id"]: r for r in old["rows"]}
    better, worse = [], []
    for r in new["rows"]:
        o = before.get(r["id"])
        if o is None or o["metrics"]["correct"] == r["metrics"]["correct"]:
            continue
        (better if r["metrics"]["correct"] else worse).append(r["id"])
    deltas = {k: (old["overall"].get(k), new["overall"].get(k)) for k in QUALITY + ["latency_p50_s", "ttft_p50_s"]
              if old["overall"].get(k) != new["overall"].get(k)}
    return {"improved": better, "regressed": worse, "sign_test_p": sign_test(len(better), len(worse)),
            "changed_metrics": deltas}
