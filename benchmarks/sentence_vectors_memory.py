"""What reading the stored sentence vectors costs in memory and time (`rag.sentence_vectors`).

Writes a synthetic pair of N sentences (768 float32 dimensions, EmbeddingGemma's) in the index's
format into a temporary folder, then, each in a fresh process: opens it as verification does
(`sentence_vectors.load`, the vectors memory-mapped) or reads the whole matrix into memory (as the
single-file format did before), and looks up 30 random sentences (a question's worth) 100 times.
Prints the private resident memory grown by the read and the lookups (MB; Linux) and the time to open it and per lookup round.

    python -m benchmarks.sentence_vectors_memory [N ...]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DIM = 768


def _rss_mb() -> float:
    """This process's private resident memory (Linux): pages of a mapped file are the page cache's,
    shared and dropped under pressure, so they are left out."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _files(folder: str):
    """A stand-in index for `sentence_vectors` and the pair of files it names (vectors, sentences)."""
    from types import SimpleNamespace

    from rag import sentence_vectors

    index = SimpleNamespace(path=folder, version="bench", manifest={"embedder": {"dim": DIM}})
    vectors = sentence_vectors.path_of(index)  # type: ignore[arg-type]
    return index, vectors, vectors.with_suffix(sentence_vectors.TEXTS_SUFFIX)


def _measure(folder: str, mode: str) -> None:
    from rag import sentence_vectors

    index, vectors, sentences = _files(folder)
    before = _rss_mb()
    t0 = time.perf_counter()
    if mode == "mapped":
        stored = sentence_vectors.load(index)  # type: ignore[arg-type]
    else:
        texts = json.loads(sentences.read_text(encoding="utf-8"))
        stored = dict(zip(texts, np.load(vectors).astype("float32")))
    opened = time.perf_counter() - t0
    keys = list(stored)
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    for _ in range(100):
        np.stack([stored[keys[i]] for i in rng.integers(0, len(keys), 30)])
    lookup = (time.perf_counter() - t0) / 100
    print(json.dumps({"mode": mode, "rss_mb": round(_rss_mb() - before, 1), "open_s": round(opened, 3),
                      "lookup_30_ms": round(lookup * 1000, 3)}))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--measure"]:
        _measure(argv[1], argv[2])
        return 0
    for n in [int(a) for a in argv] or [10_000, 100_000]:
        with tempfile.TemporaryDirectory() as folder:
            _, vectors, sentences = _files(folder)
            texts = [f"Synthetic sentence number {i} of the benchmark." for i in range(n)]
            np.save(vectors, np.random.default_rng(1).standard_normal((n, DIM)).astype("float32"))
            sentences.write_text(json.dumps(texts), encoding="utf-8")
            for mode in ("mapped", "in memory"):
                out = subprocess.run([sys.executable, "-m", "benchmarks.sentence_vectors_memory", "--measure", folder, mode],
                                     capture_output=True, text=True, check=True).stdout.strip()
                print(f"{n} sentences: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
