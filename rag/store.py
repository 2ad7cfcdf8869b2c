"""The index on disk: generations, a versioned manifest, atomic switch-over.

An index folder holds `CURRENT` (the name of the live generation) and one
`gen-<id>/` folder per generation:

    gen-<id>/manifest.json   format version, embedder, chunker, sources (sha256…)
    gen-<id>/chunks.jsonl    one chunk per line, in vector order
    gen-<id>/vectors.npy     float32, L2-normalised
    gen-<id>/dense.faiss     the FAISS index over those vectors
    gen-<id>/sources/*.txt   the text of each source (offsets point into it)

A build writes a whole new generation, then replaces `CURRENT` with
`os.replace` (atomic). An interrupted build therefore leaves the previous
generation live; stale generations are removed after the switch.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from .errors import IndexError_
from .types import Chunk

FORMAT_VERSION = 1
REBUILD_HINT = "rebuild it with `rag index build FILES… --index {dir}`"


def _fsync_write(path: Path, data: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def safe_source_file(name: str) -> str:
    """File name under which a source's text is stored (no path can escape)."""
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{digest}.txt"


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text().strip()
    gen = index_dir / name
    if not name.startswith("gen-") or "/" in name or not gen.is_dir():
        raise IndexError_(f"index at {index_dir} is corrupt (CURRENT names a missing generation); " + REBUILD_HINT.format(dir=index_dir))
    return gen


def write_generation(index_dir: Path, manifest: dict[str, Any], chunks: list[Chunk],
                     vectors: np.ndarray, texts: dict[str, str]) -> Path:
    """Write a complete generation, then make it live atomically."""
    import faiss

    from .dense import make_faiss_index

    index_dir.mkdir(parents=True, exist_ok=True)
    gen_name = f"gen-{uuid.uuid4().hex[:12]}"
    tmp = index_dir / f".tmp-{gen_name}"
    (tmp / "sources").mkdir(parents=True)
    try:
        for name, text in texts.items():
            _fsync_write(tmp / "sources" / safe_source_file(name), text.encode("utf-8"))
        lines = "".join(json.dumps(asdict(c), ensure_ascii=False) + "\n" for c in chunks)
        _fsync_write(tmp / "chunks.jsonl", lines.encode("utf-8"))
        with (tmp / "vectors.npy").open("wb") as fh:
            np.save(fh, vectors.astype("float32"))
        faiss.write_index(make_faiss_index(vectors), str(tmp / "dense.faiss"))
        _fsync_write(tmp / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"))
        os.replace(tmp, index_dir / gen_name)
        pointer_tmp = index_dir / f".CURRENT.{gen_name}"
        _fsync_write(pointer_tmp, gen_name.encode())
        os.replace(pointer_tmp, index_dir / "CURRENT")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for old in index_dir.iterdir():  # drop superseded generations and leftovers of crashed builds
        if old.name != gen_name and (old.name.startswith("gen-") or old.name.startswith(".tmp-gen-") or old.name.startswith(".CURRENT.")):
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    return index_dir / gen_name


class FileGeneration:
    """One generation on disk, opened: its stored texts, FAISS over its vectors and BM25 over its chunks."""

    def __init__(self, path: Path, chunks: list[Chunk], dense: Any, texts: dict[str, str]) -> None:
        from .keywords import KeywordIndex

        self.path = path
        self.name = path.name
        self.dense = dense
        self._texts = texts  # read at open: a later build may remove this generation's folder
        self.keywords = KeywordIndex([f"{c.context} {c.text}" for c in chunks])  # BM25 over the chunks

    def source_text(self, name: str) -> str:
        return self._texts[name]

    def candidates(self, query: str, query_vector: np.ndarray, n: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """The dense (FAISS) and the BM25 candidates, `n` each: (row, score), best first (`rag.fusion` fuses them)."""
        from . import dense

        return dense.search(self.dense, query_vector, n), self.keywords.search(query, n)


def read_generation(gen: Path) -> tuple[dict[str, Any], list[Chunk], np.ndarray, FileGeneration]:
    """Load and cross-check one generation; any inconsistency is an `IndexError_`."""
    import faiss

    index_dir = gen.parent
    hint = REBUILD_HINT.format(dir=index_dir)
    try:
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexError_(f"index at {index_dir} is corrupt (unreadable manifest); {hint}") from exc
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexError_(f"index at {index_dir} has format version {version}, this version of rag reads {FORMAT_VERSION}; {hint}")
    try:
        with (gen / "chunks.jsonl").open(encoding="utf-8") as fh:
            chunks = [Chunk(**json.loads(line)) for line in fh if line.strip()]
        vectors = np.load(gen / "vectors.npy")
        dense = faiss.read_index(str(gen / "dense.faiss"))
        texts = {name: (gen / "sources" / safe_source_file(name)).read_text(encoding="utf-8")
                 for name in manifest.get("sources", {})}
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise IndexError_(f"index at {index_dir} is corrupt ({type(exc).__name__}); {hint}") from exc
    expected = sum(len(s["chunks"]) for s in manifest.get("sources", {}).values())
    if not (len(chunks) == vectors.shape[0] == dense.ntotal == expected):
        raise IndexError_(f"index at {index_dir} is corrupt (chunk and vector counts differ); {hint}")
    if vectors.ndim != 2 or vectors.shape[1] != manifest["embedder"]["dim"]:
        raise IndexError_(f"index at {index_dir} is corrupt (vector size differs from the manifest); {hint}")
    return manifest, chunks, vectors, FileGeneration(gen, chunks, dense, texts)
