"""Would EmbeddingGemma's own task prompts tell right answers from wrong ones? Measured on `rag eval` reports.

    python -m benchmarks.fact_check_embedding REPORT.json [more reports...]   (development rows only)

Issue 9 names "EmbeddingGemma's fact-checking prompt" as a claim-level check to measure beside the LLM
as a yes/no judge (`benchmarks.yes_no_checks`). For each answered development row, the cosine between the
cited sentences (the model's document prompt) and:

- `fact: claim`: the answer, citation marks left out, under the model's fact-checking prompt;
- `fact: question + claim`: the question and the answer together under that prompt (a short answer,
  "In 1892.", states nothing without its question);
- `qa: question`: the question under the model's question-answering prompt;
- `search: question`: the question under the retrieval prompt (what `verify.relevance` uses today);
- `sts: claim`: the answer and the cited sentences both under the model's sentence-similarity prompt.

The highest cosine over the answer's cited sentences is the row's score. For each check: the area under the
ROC curve (right answers against wrong answers and answered unanswerable questions; 0.5 is chance), and
how many wrong answers a threshold would catch at the cost of 0, 1, 2 and 5 right answers withheld.
Nothing in the product changes; each embedding's time is printed. Held-out rows are never read.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np

from rag.embedder import get_embedder
from rag.settings import set_offline_environment, settings_or_env

PROMPT_NAMES = {"fact": ("FactVerification", "task: fact checking | query: "),
                "qa": ("QuestionAnswering", "task: question answering | query: "),
                "sts": ("STS", "task: sentence similarity | query: ")}


def prompt(model, key: str) -> str:
    """The model's own prompt for the task (its sentence-transformers config), else EmbeddingGemma's wording."""
    name, default = PROMPT_NAMES[key]
    return (getattr(model, "prompts", None) or {}).get(name, default)


def auc(right: list[float], wrong: list[float]) -> float:
    """P(a right answer scores above a wrong one), ties counted half."""
    if not right or not wrong:
        return float("nan")
    r, w = np.asarray(right)[:, None], np.asarray(wrong)[None, :]
    return float((r > w).mean() + 0.5 * (r == w).mean())


def trade(right: list[float], wrong: list[float], lost: int) -> tuple[float, int]:
    """The threshold just above the `lost`-th lowest right score, and the wrong scores under it."""
    ordered = sorted(right)
    if lost >= len(ordered):
        return float("inf"), len(wrong)
    threshold = ordered[lost]  # withholds the `lost` right answers below it
    return threshold, sum(w < threshold for w in wrong)


def main(argv: list[str] | None = None) -> int:
    set_offline_environment()
    ap = argparse.ArgumentParser(prog="python -m benchmarks.fact_check_embedding", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reports", nargs="+", type=Path)
    args = ap.parse_args(argv)
    settings = settings_or_env(None)
    embedder = get_embedder(settings.models.embedder, settings.models.models_dir, settings.models.n_threads)
    model = embedder.model

    def encode(texts: list[str], prefix: str | None) -> np.ndarray:
        if prefix is None:
            return embedder.queries(texts)
        with embedder._lock:
            v = model.encode([prefix + t for t in texts], normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(v, dtype="float32")

    for path in args.reports:
        rows = [r for r in json.loads(path.read_text(encoding="utf-8"))["rows"]
                if r.get("split", "dev") == "dev" and not r["abstained"] and r["citations"]]
        right_of = [bool(r["question_answerable"] and r["metrics"]["correct"]) for r in rows]
        claims = [re.sub(r"\s*\[\d+\]", "", r["answer"]).strip() for r in rows]
        questions = [r["question"] for r in rows]
        quotes = [[c["quote"] for c in r["citations"]] for r in rows]
        doc_vecs = [embedder.documents(q) for q in quotes]
        checks = {"fact: claim": (claims, prompt(model, "fact")),
                  "fact: question + claim": ([f"{q} {c}" for q, c in zip(questions, claims)], prompt(model, "fact")),
                  "qa: question": (questions, prompt(model, "qa")),
                  "search: question": (questions, None),
                  "sts: claim": (claims, prompt(model, "sts"))}
        right_n = sum(right_of)
        print(f"\n{path}: {len(rows)} answered development questions, {right_n} right, {len(rows) - right_n} wrong")
        for name, (texts, prefix) in checks.items():
            t = time.perf_counter()
            vecs = encode(texts, prefix)
            seconds = (time.perf_counter() - t) / max(len(texts), 1)
            sides = doc_vecs if not name.startswith("sts") else [encode(q, prefix) for q in quotes]
            scores = [float((d @ v).max()) for d, v in zip(sides, vecs)]
            right = [s for s, ok in zip(scores, right_of) if ok]
            wrong = [s for s, ok in zip(scores, right_of) if not ok]
            trades = "; ".join(f"-{lost} right: +{caught} wrong (< {th:.3f})"
                               for lost in (0, 1, 2, 5) for th, caught in [trade(right, wrong, lost)])
            print(f"  {name} ({seconds * 1000:.0f} ms per text): AUC {auc(right, wrong):.2f}; "
                  f"right {np.median(right) if right else float('nan'):.3f} median, "
                  f"wrong {np.median(wrong) if wrong else float('nan'):.3f} median; {trades}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
