"""Retrieval alone, no LLM: does the passage holding a question's gold evidence come back?

    python -m benchmarks.retrieval_recall --questions Q.jsonl --index DIR [--split dev] [--k 3]

For every question with gold evidence (follow-ups with a history are left out: their query is rewritten
by the LLM first), the evidence counts as found at rank r when a passage among the first r overlaps it.
Printed per retriever: the list the answer path reads (`Index.search`: the hybrid list, ranked again by
the passages' sentences closest to the question when `RAG_SENTENCE_RANK` is on), the hybrid list alone
(dense and BM25 fused as `RAG_FUSION` says), the plain reciprocal rank fusion of the two, BM25 alone and
the dense list alone: recall at 1, 3 and 5 and the mean reciprocal rank among the first `--candidates`,
and the warm time each took a question (each retriever is run once first; the questions' embeddings,
computed once for all, are not counted). `--split` defaults to the development part; run the held-out
part only to report.
"""

from __future__ import annotations

import argparse
import json
import time

from rag import evaluate, fusion
from rag.index import open_index
from rag.settings import set_offline_environment, settings_or_env

RANKS = (1, 3, 5)


def first_rank(rows: list[int], chunks, gold) -> int | None:
    for rank, row in enumerate(rows, 1):
        c = chunks[row]
        if evaluate.overlaps(c.source, c.start, c.end, gold):
            return rank
    return None


def main(argv: list[str] | None = None) -> int:
    set_offline_environment()
    ap = argparse.ArgumentParser(prog="python -m benchmarks.retrieval_recall", description=__doc__)
    ap.add_argument("--questions", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--split", default="dev", choices=["dev", "heldout", "all"])
    ap.add_argument("--candidates", type=int, default=12)
    ap.add_argument("--out", help="write the per-question ranks here (JSON)")
    args = ap.parse_args(argv)
    settings = settings_or_env(None)
    index = open_index(args.index, settings)
    questions = [q for q in evaluate.load_questions(args.questions, index)
                 if q["_gold"] and not q["history"] and args.split in ("all", q["split"])]
    vectors = index.embedder(settings).queries([q["question"] for q in questions])
    row_of = index.row_of
    n = args.candidates
    retrievers = {
        "answer": lambda q, v: [row_of[h.chunk.id] for h in index.search(q, n, n, settings, v)],
        "hybrid": lambda q, v: [r for r, _ in index.hybrid(q, v, n, settings)],
        "plain": lambda q, v: [r for r, _ in fusion.fuse(*index.generation.candidates(q, v, n))],
        "bm25": lambda q, v: [r for r, _ in index.generation.candidates(q, v, n)[1]],
        "dense": lambda q, v: [r for r, _ in index.generation.candidates(q, v, n)[0]],
    }
    ranks: dict[str, dict[str, int | None]] = {name: {} for name in retrievers}
    seconds = dict.fromkeys(retrievers, 0.0)
    for retrieve in retrievers.values() if questions else ():  # warm: what is loaded on first use is not timed
        retrieve(questions[0]["question"], vectors[0])
    for q, v in zip(questions, vectors):
        for name, retrieve in retrievers.items():
            started = time.perf_counter()
            rows = retrieve(q["question"], v)
            seconds[name] += time.perf_counter() - started
            ranks[name][q["id"]] = first_rank(rows, index.chunks, q["_gold"])
    n = len(questions)
    print(f"{n} questions ({args.split}) from {args.questions}")
    for name, by_id in ranks.items():
        found = list(by_id.values())
        recall = "  ".join(f"@{k} {sum(r is not None and r <= k for r in found) / n:.3f}" for k in RANKS)
        mrr = sum(1 / r for r in found if r) / n
        print(f"{name:6} recall {recall}  mrr {mrr:.3f}  {1000 * seconds[name] / n:.2f} ms a question")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(ranks, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
