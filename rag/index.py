"""Build, open and search a knowledge base.

>>> kb = build_index(["notes.md", "report.pdf"], "my-index/")   # doctest: +SKIP
>>> kb = open_index("my-index/")                                 # doctest: +SKIP
>>> hits = kb.search("Who chairs the committee?", k=3)         # doctest: +SKIP

Building is incremental: a source whose sha256, chunker settings and embedder
are unchanged keeps its chunks and vectors (no re-embedding); a changed source
is replaced; a source no longer listed is dropped.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

import numpy as np

from . import store
from .chunking import chunk_text, segmenter
from .hashing import sha256_file
from .embedder import Embedder, get_embedder
from .errors import DocumentError, IndexError_
from .loaders import examples_of, expand, read_documents
from .paths import bundled_sources_dir
from .settings import Settings, settings_or_env
from .types import Chunk, Hit



class Generation(Protocol):
    """One stored version of a knowledge base, opened: `rag.store.FileGeneration` (FAISS + BM25 on
    disk, the default) or `rag.qdrant_store.QdrantGeneration` (RAG_STORE=qdrant)."""

    name: str

    def source_text(self, name: str) -> str: ...

    def search(self, query: str, query_vector: np.ndarray, k: int, candidates: int) -> list[tuple[int, float]]: ...


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # name -> error message
    embedded_chunks: int = 0
    written: bool = True  # False: nothing changed, the live generation was left as it was


class Index:
    """A loaded knowledge base: chunks, vectors, FAISS and BM25, and source texts."""

    def __init__(self, path: Path, manifest: dict[str, Any], chunks: list[Chunk],
                 vectors: np.ndarray, generation: Generation, settings: Settings) -> None:
        self.path = path
        self.settings = settings  # those it was opened with: its embedder's models folder and threads
        self.manifest = manifest
        self.chunks = chunks
        self.vectors = vectors
        self.generation = generation  # where it is stored: files (rag.store) or Qdrant (rag.qdrant_store)
        self._texts: dict[str, str] = {}
        self.report: BuildReport | None = None

    @functools.cached_property
    def row_of(self) -> dict[str, int]:
        """Chunk id -> its row in `chunks` and `vectors`."""
        return {c.id: i for i, c in enumerate(self.chunks)}

    @property
    def version(self) -> str:
        """Changes whenever the content changes (used to key caches)."""
        return hashlib.sha256(self.generation.name.encode() + str(self.manifest["sources"]).encode()).hexdigest()[:16]

    @property
    def embedder_name(self) -> str:
        return self.manifest["embedder"]["name"]

    def sources(self) -> list[dict[str, Any]]:
        return [{"name": n, **{k: v for k, v in s.items() if k != "chunks"}, "chunks": len(s["chunks"])}
                for n, s in self.manifest["sources"].items()]

    def examples(self) -> list[str]:
        """Example questions of the documents in this knowledge base (`rag.loaders.examples_of`), in document order."""
        return [q for s in self.manifest["sources"].values() for q in s.get("examples", [])]

    def source_text(self, name: str) -> str:
        """The stored text of a source; citation offsets point into it."""
        if name not in self._texts:
            if name not in self.manifest["sources"]:
                raise KeyError(name)
            self._texts[name] = self.generation.source_text(name)
        return self._texts[name]

    def embedder(self, settings: Settings | None = None) -> Embedder:
        settings = settings or self.settings
        emb = get_embedder(self.embedder_name, settings.models.models_dir, settings.models.n_threads)
        if emb.fingerprint != self.manifest["embedder"]["fingerprint"] or emb.dim != self.manifest["embedder"]["dim"]:
            raise IndexError_(f"index at {self.path} was built with other embedder weights than the installed "
                              f"{self.embedder_name}; rebuild it with `rag index build --index {self.path}`")
        return emb

    def search(self, query: str, k: int = 3, candidates: int = 12, settings: Settings | None = None,
               query_vector: np.ndarray | None = None) -> list[Hit]:
        """Hybrid retrieval: dense and BM25 lists fused by reciprocal rank (by the store: FAISS and BM25
        here, or Qdrant's own engine)."""
        if not self.chunks:
            return []
        if query_vector is None:
            query_vector = self.embedder(settings).queries([query])[0]
        ranked = self.generation.search(query, query_vector, k, candidates)
        rows = [r for r, _ in ranked]
        cosines = self.vectors[rows] @ query_vector if rows else []
        return [Hit(self.chunks[r], score, float(cos)) for (r, score), cos in zip(ranked, cosines)]


def open_index(path: str | Path, settings: Settings | None = None) -> Index:
    """Open an index folder written by `build_index`; refuses a missing, corrupt or mismatched one."""
    path = Path(path).expanduser()
    settings = settings_or_env(settings)
    if settings.retrieval.store == "qdrant":
        from . import qdrant_store

        opened = qdrant_store.read_generation(qdrant_store.Target.of(path, settings))
    else:
        gen = store.current_generation(path)
        try:
            opened = store.read_generation(gen) if gen else None
        except IndexError_:
            if gen == store.current_generation(path):
                raise
            gen = store.current_generation(path)  # a build switched generations while this one was read
            opened = store.read_generation(gen) if gen else None
    if opened is None:
        raise IndexError_(f"no index at {path} (store: {settings.retrieval.store}); build one with "
                          f"`rag index build FILES… --index {path}`")
    return Index(path, *opened, settings)


@dataclass
class _Source:
    """One document as it goes into a new generation: its passages, their vectors, its text and entry."""

    chunks: list[Chunk]
    vectors: np.ndarray
    text: str
    entry: dict[str, Any]


def _source(name: str, doc: dict[str, Any], previous: Index | None, reusable: bool, emb: Embedder,
            settings: Settings, report: BuildReport, progress: bool) -> _Source:
    """Reuse a document's passages and vectors when it is unchanged, else chunk and embed it."""
    old = previous.manifest["sources"].get(name) if previous else None
    text = doc["text"] if "text" in doc else previous.source_text(name)  # type: ignore[union-attr]
    if reusable and old and old["sha256"] == doc["sha256"]:
        rows = [previous.row_of[cid] for cid in old["chunks"]]  # type: ignore[union-attr]
        chunks, vecs = [previous.chunks[r] for r in rows], previous.vectors[rows]  # type: ignore[union-attr]
        report.unchanged.append(name)
    else:
        chunks = chunk_text(name, text, settings.retrieval.chunk_chars)
        vecs = emb.documents([f"{c.context} {c.text}".strip() for c in chunks], progress=progress) \
            if chunks else np.zeros((0, emb.dim), "float32")
        report.embedded_chunks += len(chunks)
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
    chunker = _chunker(settings)
    embedder_info = {"name": emb.name, "fingerprint": emb.fingerprint, "dim": emb.dim}
    reusable = reuse and previous is not None and previous.manifest["chunker"] == chunker and previous.manifest["embedder"] == embedder_info
    sources = {name: _source(name, doc, previous, reusable, emb, settings, report, progress) for name, doc in docs.items()}
    if previous:
        report.removed = [n for n in previous.manifest["sources"] if n not in docs]
    vectors = np.concatenate([s.vectors for s in sources.values()]) if sources else np.zeros((0, emb.dim), "float32")
    manifest = {"format_version": store.FORMAT_VERSION, "embedder": embedder_info, "chunker": chunker,
                "sources": {n: s.entry for n, s in sources.items()},
                "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if reusable and _same(manifest, previous.manifest):  # type: ignore[union-attr]
        report.written = False  # no new generation: readers of the live one keep it (and nothing is rewritten)
        previous.report = report  # type: ignore[union-attr]
        return previous  # type: ignore[return-value]
    chunks, texts = [c for s in sources.values() for c in s.chunks], {n: s.text for n, s in sources.items()}
    if settings.retrieval.store == "qdrant":
        from . import qdrant_store

        qdrant_store.write_generation(qdrant_store.Target.of(path, settings), manifest, chunks, vectors, texts)
    else:
        store.write_generation(path, manifest, chunks, vectors, texts)
    index = open_index(path, settings)
    index.report = report
    return index


def _same(manifest: dict[str, Any], previous: dict[str, Any]) -> bool:
    """Would this manifest describe the same knowledge base as the live one (its time stamp aside)?"""
    return {k: v for k, v in manifest.items() if k != "updated"} == {k: v for k, v in previous.items() if k != "updated"}


def _chunker(settings: Settings) -> dict[str, object]:
    """What the manifest records of the chunker (segmentation library and version, the hash of the
    chunking rules, passage size): derived, so any change re-chunks every source."""
    return {**segmenter(), "chunk_chars": settings.retrieval.chunk_chars}


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


_DEFAULT_LOCK = threading.Lock()
_DEFAULT: dict[Path, Index] = {}


def default_index(settings: Settings | None = None, on_build: Callable[[str], None] | None = None) -> Index:
    """The bundled knowledge base, built on first use and refreshed if the bundle changed."""
    settings = settings_or_env(settings)
    with _DEFAULT_LOCK:
        cached = _DEFAULT.get(settings.retrieval.index_dir)
        if cached is not None:
            return cached
        files = expand([bundled_sources_dir()])
        wanted = {f.name: (sha256_file(f), examples_of(f)) for f in files}
        chunker = _chunker(settings)
        try:
            index = open_index(settings.retrieval.index_dir, settings)
            current = index.manifest["sources"]
            # Stale when a bundled document is missing or changed (documents added by the user stay).
            stale = any((current.get(n, {}).get("sha256"), current.get(n, {}).get("examples", [])) != w
                        for n, w in wanted.items()) \
                or index.embedder_name != settings.models.embedder or index.manifest["chunker"] != chunker
        except IndexError_:
            index, stale = None, True
        if stale:
            if on_build:
                on_build(f"building the default index at {settings.retrieval.index_dir}…")
            index = add_documents(files, settings.retrieval.index_dir, settings) if index is not None \
                and index.embedder_name == settings.models.embedder else build_index(files, settings.retrieval.index_dir, settings)
        _DEFAULT[settings.retrieval.index_dir] = index  # type: ignore[assignment]
        return index  # type: ignore[return-value]
