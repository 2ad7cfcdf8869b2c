"""Build a knowledge base: read documents, chunk and embed them, write a new generation atomically.

>>> kb = build_index(["notes.md", "report.pdf"], "my-index/")   # doctest: +SKIP
>>> kb = add_documents(["minutes.txt"], "my-index/")            # doctest: +SKIP

Building is incremental: a source whose sha256, chunker settings and embedder
are unchanged keeps its chunks and vectors (no re-embedding); a changed source
is replaced; a source no longer listed is dropped. A build that changes nothing
writes nothing.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from . import sentence_vectors, store
from .chunking import chunk_text, is_heading
from .segment import segmenter
from .embedder import Embedder, get_embedder
from .errors import DocumentError, IndexError_
from .index import BuildReport, Index, open_index
from .keywords import tokenizer_record
from .loaders import expand, read_documents, reader_record
from .sentences import document_title
from .settings import Settings, settings_or_env
from .types import Chunk


@dataclass
class _Source:
    """One document as it goes into a new generation: its passages, their vectors, its text and entry."""

    chunks: list[Chunk]
    vectors: np.ndarray
    text: str
    entry: dict[str, Any]


def _embedded_texts(chunks: list[Chunk], title: str) -> list[str]:
    """What the vectors of a document's passages (in order) are computed from: the sentence before each,
    then its text; a passage that opens a section (the passage before it is the section's heading, its
    context) also has the document's title line (`title`) first ("Riverside Sports Centre — visitor
    information" over "Opening hours" over a timetable: which place's hours they are)."""
    out = []
    for before, chunk in zip([None, *chunks], chunks):
        opens = _after_heading(before, chunk) and chunk.context != title
        out.append(f"{title} {chunk.context} {chunk.text}" if title and opens else f"{chunk.context} {chunk.text}".strip())
    return out


def _after_heading(before: Chunk | None, chunk: Chunk) -> bool:
    """Is `before` a heading passage, the context of `chunk` (the passage that opens its section)?"""
    return before is not None and before.text == chunk.context and is_heading(before.text)


def _known_vectors(previous: Index) -> dict[str, np.ndarray]:
    """The previous generation's vectors by the text each was computed from."""
    known: dict[str, np.ndarray] = {}
    for name in previous.manifest["sources"]:
        rows = [previous.row_of[cid] for cid in previous.manifest["sources"][name]["chunks"]]
        chunks = [previous.chunks[r] for r in rows]
        # the stored text is read only for its title line, which only a passage opening a section uses
        sections = any(_after_heading(b, c) for b, c in zip([None, *chunks], chunks))
        texts = _embedded_texts(chunks, document_title(previous.source_text(name)) if sections else "")
        known.update(zip(texts, previous.vectors[rows]))
    return known


def _source(name: str, doc: dict[str, Any], previous: Index | None, reusable: bool, emb: Embedder,
            settings: Settings, report: BuildReport, progress: bool, known: dict[str, np.ndarray]) -> _Source:
    """Reuse a document's passages and vectors when it is unchanged, else chunk it; a passage embedded
    before (`known`: its embedded text -> vector, same embedder) keeps its vector, the others are embedded."""
    old = previous.manifest["sources"].get(name) if previous else None
    text = doc["text"] if "text" in doc else previous.source_text(name)  # type: ignore[union-attr]
    if reusable and old and old["sha256"] == doc["sha256"]:
        rows = [previous.row_of[cid] for cid in old["chunks"]]  # type: ignore[union-attr]
        chunks, vecs = [previous.chunks[r] for r in rows], previous.vectors[rows]  # type: ignore[union-attr]
        report.unchanged.append(name)
    else:
        chunks = chunk_text(name, text, settings.retrieval.chunk_chars)
        title = document_title(text)
        embedded = _embedded_texts(chunks, title)
        todo = list(dict.fromkeys(t for t in embedded if t not in known))
        fresh = dict(zip(todo, emb.documents(todo, progress=progress))) if todo else {}
        vecs = np.stack([known[t] if t in known else fresh[t] for t in embedded]) \
            if chunks else np.zeros((0, emb.dim), "float32")
        report.embedded_chunks += len(todo)
        (report.updated if old else report.added).append(name)
    entry = {"sha256": doc["sha256"], "path": doc.get("path", old.get("path") if old else ""),
             "chars": len(text), "chunks": [c.id for c in chunks],
             "examples": doc.get("examples", (old or {}).get("examples", [])),
             "added": (old or {}).get("added", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))}
    return _Source(chunks, vecs.reshape(-1, emb.dim), text, entry)


def _write(path: Path, docs: dict[str, dict[str, Any]], previous: Index | None, settings: Settings,
           report: BuildReport, progress: bool, reuse: bool = True) -> Index:
    """Write a new generation holding exactly `docs` (reusing what did not change, when `reuse`), then open it."""
    emb = get_embedder(settings.models.embedder, settings.models.models_dir, settings.models.n_threads)
    chunker = chunker_record(settings)
    embedder_info = {"name": emb.name, "fingerprint": emb.fingerprint, "dim": emb.dim, "passage_text": passage_text_record()}
    same_embedder = reuse and previous is not None and previous.manifest["embedder"] == embedder_info
    reusable = same_embedder and previous.manifest["chunker"] == chunker  # type: ignore[union-attr]
    # Passages embedded before keep their vectors, whatever else changed (an edited document's untouched
    # passages; every passage when only the chunker's rules or the keyword tokenizer changed).
    known = _known_vectors(previous) if same_embedder else {}
    sources = {name: _source(name, doc, previous, reusable, emb, settings, report, progress, known) for name, doc in docs.items()}
    if previous:
        report.removed = [n for n in previous.manifest["sources"] if n not in docs]
    vectors = np.concatenate([s.vectors for s in sources.values()]) if sources else np.zeros((0, emb.dim), "float32")
    manifest = {"format_version": store.FORMAT_VERSION, "embedder": embedder_info, "chunker": chunker,
                "sources": {n: s.entry for n, s in sources.items()},
                "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    old_sentences = sentence_vectors.load(previous) if reusable else {}  # type: ignore[arg-type]
    if reusable and _same(manifest, previous.manifest):  # type: ignore[union-attr]
        report.written = False  # no new generation: readers of the live one keep it (and nothing is rewritten)
        if not old_sentences and previous.chunks:  # type: ignore[union-attr]
            # an index built before sentence vectors were stored (or whose file was lost) gets them now
            report.embedded_sentences = sentence_vectors.write(previous, emb, progress=progress)  # type: ignore[arg-type]
        previous.report = report  # type: ignore[union-attr]
        return previous  # type: ignore[return-value]
    chunks, texts = [c for s in sources.values() for c in s.chunks], {n: s.text for n, s in sources.items()}
    if settings.retrieval.store == "qdrant":
        from . import qdrant_store

        qdrant_store.write_generation(qdrant_store.Target.of(path, settings), manifest, chunks, vectors, texts)
    else:
        store.write_generation(path, manifest, chunks, vectors, texts)
    index = open_index(path, settings)
    report.embedded_sentences = sentence_vectors.write(index, emb, old_sentences, progress=progress)
    index.report = report
    return index


def _same(manifest: dict[str, Any], previous: dict[str, Any]) -> bool:
    """Would this manifest describe the same knowledge base as the live one (its time stamp aside)?"""
    return {k: v for k, v in manifest.items() if k != "updated"} == {k: v for k, v in previous.items() if k != "updated"}


@functools.lru_cache(maxsize=1)
def passage_text_record() -> str:
    """What the manifest records of how a passage's embedded text is made (`_embedded_texts`, with the
    heading and title rules it reads): a hash of their code, so that vectors made another way are never
    reused for a text that is now made differently."""
    code = inspect.getsource(_embedded_texts) + inspect.getsource(document_title) + segmenter()["rules"]
    return hashlib.sha256(code.encode()).hexdigest()[:12]


def chunker_record(settings: Settings) -> dict[str, object]:
    """What the manifest records of the chunker (segmentation library and version, the hash of the
    chunking rules, passage size, the hash of the keyword tokenizer, the hash of the file readers,
    `loaders.reader_record`): derived, so any change re-chunks
    every source (a passage that comes out as before keeps its vector)."""
    return {**segmenter(), "chunk_chars": settings.retrieval.chunk_chars, "keywords": tokenizer_record(),
            "reader": reader_record()}


def _read_docs(files: list[Path], settings: Settings, report: BuildReport) -> dict[str, dict[str, Any]]:
    return read_documents(files, settings.limits.max_file_bytes, report.skipped)


def _previous(path: Path, settings: Settings) -> Index | None:
    try:
        return open_index(path, settings)
    except IndexError_:
        return None  # nothing usable to reuse: build from scratch (the old generation stays live until then)


def build_index(paths: Iterable[str | Path], path: str | Path, settings: Settings | None = None,
                progress: bool = False) -> Index:
    """Make the index at `path` hold exactly these documents (files or folders).

    Unreadable files are skipped and listed in `index.report.skipped`.
    """
    settings = settings_or_env(settings)
    path = Path(path).expanduser()
    report = BuildReport()
    docs = _read_docs(expand(paths), settings, report)
    if not docs:
        detail = "; ".join(report.skipped.values()) or "no .txt, .md, .html or .pdf file found"
        raise DocumentError(f"nothing to index: {detail}")
    return _write(path, docs, _previous(path, settings), settings, report, progress)


def add_documents(paths: Iterable[str | Path], path: str | Path, settings: Settings | None = None,
                  progress: bool = False) -> Index:
    """Add (or replace) documents in an existing index, keeping the others."""
    settings = settings_or_env(settings)
    path = Path(path).expanduser()
    previous = _previous(path, settings)
    report = BuildReport()
    new = _read_docs(expand(paths), settings, report)
    docs: dict[str, dict[str, Any]] = {}
    if previous:
        docs = {n: {"sha256": s["sha256"], "path": s.get("path", "")} for n, s in previous.manifest["sources"].items()}
    docs.update(new)
    if not new and report.skipped:
        raise DocumentError("; ".join(report.skipped.values()))
    if previous:  # keep the embedder the index was built with
        settings = settings.replace(embedder=previous.embedder_name)
    return _write(path, docs, previous, settings, report, progress)


def remove_documents(names: Iterable[str], path: str | Path, settings: Settings | None = None) -> Index:
    settings = settings_or_env(settings)
    path = Path(path).expanduser()
    previous = open_index(path, settings)
    names = list(names)
    unknown = [n for n in names if n not in previous.manifest["sources"]]
    if unknown:
        raise DocumentError(f"not in the index: {', '.join(unknown)}; see `rag index list --index {path}`")
    docs = {n: {"sha256": s["sha256"], "path": s.get("path", "")} for n, s in previous.manifest["sources"].items() if n not in names}
    return _write(path, docs, previous, settings.replace(embedder=previous.embedder_name), BuildReport(), False)


def rebuild_index(path: str | Path, settings: Settings | None = None, progress: bool = False) -> Index:
    """Chunk and embed every document again from the index's own copies of their text (with the
    embedder it was built with), e.g. after a change of passage size; atomic like every build."""
    settings = settings_or_env(settings)
    path = Path(path).expanduser()
    previous = open_index(path, settings)
    docs = {n: {"sha256": s["sha256"], "path": s.get("path", "")} for n, s in previous.manifest["sources"].items()}
    return _write(path, docs, previous, settings.replace(embedder=previous.embedder_name), BuildReport(), progress,
                  reuse=False)
