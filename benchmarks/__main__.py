"""`python -m benchmarks`: start-up, indexing, retrieval at scale and answering speed, from a checkout.

Writes OUT/bench.json and OUT/bench.png (needs the `plots` extra for the picture)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks import bench
from rag.settings import set_offline_environment


def build_parser() -> argparse.ArgumentParser:
    be = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    be.add_argument("--out", default="bench-out")
    be.add_argument("--llm", action="append", help="LLM(s) to measure (default: both bundled)")
    be.add_argument("--corpus-mb", nargs="*", default=["0.25", "1.0"], help="synthetic corpus sizes to index")
    be.add_argument("--retrieval-sizes", nargs="*", default=["1000", "10000", "100000"])
    be.add_argument("--peer", action="store_true", help="also run the questions through LlamaIndex (extra `peer`)")
    be.add_argument("--only", nargs="+", choices=bench.SECTIONS,
                    help="measure only these sections; the others are kept from OUT/bench.json")
    return be


def main(argv: list[str] | None = None) -> int:
    set_offline_environment()
    args = build_parser().parse_args(argv)
    sections = tuple(args.only or [s for s in bench.SECTIONS if s != "peer" or args.peer])
    if args.peer or "peer" in sections:
        try:
            import llama_index.core  # noqa: F401
        except ImportError:
            print('error: the LlamaIndex comparison needs the optional extra: pip install -e ".[peer]"', file=sys.stderr)
            return 2
    result = bench.run(Path(args.out), args.llm or ["qwen2.5-1.5b", "qwen2.5-0.5b"],
                       [float(x) for x in args.corpus_mb], [int(x) for x in args.retrieval_sizes],
                       sections=sections, log=lambda m: print(m, file=sys.stderr))
    print(json.dumps({k: result[k] for k in ("machine", "llm_raw", "cold_start", "answering", "levers", "peer") if k in result},
                     indent=1, ensure_ascii=False))
    for r in result.get("retrieval", []):
        print(f"retrieval {r['chunks']:>7} chunks: {r['index_type']:<5} {r['chosen_ms']:.2f} ms "
              f"(exact {r['flat_ms']:.2f} ms, +BM25 {r['hybrid_ms']:.2f} ms, recall@10 vs exact {r['recall_at_10_vs_exact']:.2f})")
    for r in result.get("indexing", []):
        print(f"indexing {r['corpus']:<18} {r['chunks']:>5} chunks in {r['seconds']:.1f} s ({r['chunks_per_s']:.1f} chunks/s)")
    print(f"wrote {args.out}/bench.json and {args.out}/bench.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
