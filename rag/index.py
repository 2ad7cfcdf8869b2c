"""Open and search a knowledge base (building one is `rag.build`).

>>> kb = open_index("my-index/")                                 # doctest: +SKIP
>>> hits = kb.search("Who chairs the committee?", k=3)         # doctest: +SKIP
"""

from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

import numpy as np

from . import fusion, sentence_rank, sentence_vectors, store
from .chunking import is_heading
from .hashing import sha256_file
from .errors import IndexError_
from .embedder import Embedder, get_embedder
from .lang import detect, language_of
from .loaders import examples_of, expand
from .names import VectorCache
from .paths import bundled_sources_dir
from .settings import Settings, settings_or_env
from .types import Chunk, Hit



class Generation(Protocol):
    """One stored version of a knowledge base, opened: `rag.store.FileGeneration` (FAISS + BM25 on
    disk, the default) or `rag.qdrant_store.QdrantGeneration` (RAG_STORE=qdrant)."""

    name: str

    def source_text(self, name: str) -> str: ...

    def candidates(self, query: str, query_vector: np.ndarray, n: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]: ...


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # name -> error message
    embedded_chunks: int = 0
    embedded_sentences: int = 0  # sentences embedded for verification (rag.sentence_vectors)
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
        self._languages: dict[int, str] = {}  # row -> its passage's language (`passage_language`)
        self.report: BuildReport | None = None

    @functools.cached_property
    def row_of(self) -> dict[str, int]:
        """Chunk id -> its row in `chunks` and `vectors`."""
        return {c.id: i for i, c in enumerate(self.chunks)}

    @functools.cached_property
    def version(self) -> str:
        """Changes whenever the content changes (used to key caches; an opened index never changes, so
        it is computed once: each question reads it more than once)."""
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
        """The `k` best passages of `ranked` (`best`: with the headings among them when they ride along)."""
        settings = settings or self.settings
        return best(self.ranked(query, candidates, settings, query_vector), k, settings.retrieval.headings_ride)

    def ranked(self, query: str, candidates: int = 12, settings: Settings | None = None,
               query_vector: np.ndarray | None = None) -> list[Hit]:
        """Every candidate passage, best first. Hybrid retrieval: dense and BM25 lists (`candidates` each,
        from the store: FAISS and BM25 files, or Qdrant) fused by reciprocal rank (`hybrid`), then, with
        `RAG_SENTENCE_RANK`, fused again with the order of the candidates' sentences closest to the
        question (`rag.sentence_rank`). Each hit keeps its passage's own cosine with the question."""
        if not self.chunks:
            return []
        settings = settings or self.settings
        if query_vector is None:
            query_vector = self.embedder(settings).queries([query])[0]
        ranked = self.hybrid(query, query_vector, candidates, settings)
        if settings.retrieval.sentence_rank != "off" and ranked:
            best = sentence_rank.best_sentence_cosines(
                [self.chunks[r] for r, _ in ranked], sentence_vectors.sentences_in,
                self._sentence_vectors.get, query_vector)
            ranked = sentence_rank.fuse(ranked, best, keep_first=settings.retrieval.sentence_rank == "after-first")
        rows = [r for r, _ in ranked]
        cosines = self.vectors[rows] @ query_vector if rows else []
        return [Hit(self.chunks[r], score, float(cos)) for (r, score), cos in zip(ranked, cosines)]

    def hybrid(self, query: str, query_vector: np.ndarray, candidates: int, settings: Settings | None = None) -> list[tuple[int, float]]:
        """The store's dense and BM25 candidates fused (`rag.fusion`; `RAG_FUSION`): (row, score), best first."""
        settings = settings or self.settings
        dense, keywords = self.generation.candidates(query, query_vector, candidates)
        if settings.retrieval.fusion == "plain":
            return fusion.fuse(dense, keywords)
        return fusion.fuse(dense, keywords, lambda: detect(query), self.passage_language)

    def passage_language(self, row: int) -> str:
        """The language of a passage ('en' or 'fr', `lang.language_of`), worked out when first asked for."""
        if row not in self._languages:  # a race computes it twice, the same
            self._languages[row] = language_of(self.chunks[row].text)
        return self._languages[row]

    @functools.cached_property
    def _sentence_vectors(self) -> VectorCache:
        """Passage sentences' vectors: those stored at build time (`rag.sentence_vectors`), others (an index
        built by an older version) embedded when first asked for and kept."""
        cache = VectorCache(self.embedder())
        cache.use(self.version, lambda: sentence_vectors.load(self))
        return cache


def best(ranked: list[Hit], k: int, headings_ride: bool = False) -> list[Hit]:
    """The first `k` hits; with `headings_ride`, the first `k` that are more than a heading, with the
    headings ranked among them: a title or section line ("Operating modes", "Mort de X, pionnière de…")
    is short and ranks high on the names it shares with every question about its page, and it would
    take the place of a passage that states something."""
    if not headings_ride:
        return ranked[:k]
    out, body = [], 0
    for hit in ranked:
        if body == k:
            break
        out.append(hit)
        body += not is_heading(hit.chunk.text)
    return out


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


_DEFAULT_LOCK = threading.Lock()
_DEFAULT: dict[Path, Index] = {}


def default_index(settings: Settings | None = None, on_build: Callable[[str], None] | None = None) -> Index:
    """The bundled knowledge base, built on first use and refreshed if the bundle changed."""
    settings = settings_or_env(settings)
    with _DEFAULT_LOCK:
        cached = _DEFAULT.get(settings.retrieval.index_dir)
        if cached is not None:
            return cached
        from .build import add_documents, build_index, chunker_record

        files = expand([bundled_sources_dir()])
        wanted = {f.name: (sha256_file(f), examples_of(f)) for f in files}
        chunker = chunker_record(settings)
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
