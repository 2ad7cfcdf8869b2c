"""Do the two stores give the same passages? The evaluation questions (and SQuAD's and PIAF's when
`../shared` is there) against the same documents indexed in the file store and in embedded Qdrant.

    python -m benchmarks.stores [--k 3] [--out stores-out]

Reports, per question set, the share of questions whose top-k passages are the same list, and the
mean overlap of the top-k sets. Retrieval only (no LLM)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import rag
from rag.evaluate import default_questions
from rag.paths import REPO_ROOT, bundled_sources_dir
from rag.settings import Settings, set_offline_environment

SHARED = REPO_ROOT.parent / "shared"


def _sets() -> list[tuple[str, Path, Path]]:
    sets = [("article", bundled_sources_dir(), default_questions())]
    for name in ("eval-squad", "eval-piaf"):
        folder = SHARED / name
        if (folder / "questions.jsonl").is_file():
            sets.append((name, folder / "docs", folder / "questions.jsonl"))
    return sets


def compare(docs: Path, questions: Path, settings: Settings, k: int, work: Path) -> dict[str, float]:
    files = rag.build_index([docs], work / "files", settings.replace(store="faiss"))
    qs = settings.replace(store="qdrant")
    qd = rag.build_index([docs], work / "qdrant", qs)
    rows = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    embedder = files.embedder(settings)
    same = overlap = 0.0
    for r in rows:
        vec = embedder.queries([r["question"]])[0]
        a = [h.chunk.id for h in files.search(r["question"], k, settings.retrieval.pool, settings, query_vector=vec)]
        b = [h.chunk.id for h in qd.search(r["question"], k, settings.retrieval.pool, qs, query_vector=vec)]
        same += a == b
        overlap += len(set(a) & set(b)) / max(1, len(a))
    return {"questions": len(rows), "same_top_k": round(same / len(rows), 4), "mean_overlap": round(overlap / len(rows), 4)}


def main(argv: list[str] | None = None) -> int:
    set_offline_environment()
    p = argparse.ArgumentParser(prog="python -m benchmarks.stores", description=__doc__)
    p.add_argument("--k", type=int, default=3)
    p.add_argument("--out", default="stores-out")
    args = p.parse_args(argv)
    settings = Settings.from_env(top_k=args.k)
    result = {}
    for name, docs, questions in _sets():
        with tempfile.TemporaryDirectory() as tmp:
            result[name] = compare(docs, questions, settings, args.k, Path(tmp))
        print(f"{name}: {result[name]}", file=sys.stderr)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "stores.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
