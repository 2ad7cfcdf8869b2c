"""The index in Qdrant (`RAG_STORE=qdrant`): the file store's promises (rag/store.py) in a vector
engine that scales out.

Embedded (the data in INDEX_DIR/qdrant, one process at a time) or a Qdrant server or cluster
(`RAG_QDRANT_URL`), with the same code. A knowledge base is an alias, `rag-<index folder name>`,
naming one collection per generation, `<alias>-gen-<id>`, which holds:

- one point per passage: the embedder's vector ("dense", cosine) and a sparse BM25 vector ("sparse":
  term-frequency weights here, inverse document frequency by the engine), the chunk as payload;
- one point per document with its stored text (citation offsets point into it);
- one point with the manifest (format version, embedder, chunker, sources and their sha256).

A build writes a complete new collection, then moves the alias in one atomic operation; an
interrupted build leaves the alias on the previous generation. The two previous generations stay
(workers that opened them keep answering), older ones are dropped. The engine gives the dense and the
sparse candidates (one batch query); they are fused by reciprocal rank as the file store's are (`rag.fusion`).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import IndexError_, SettingsError
from .keywords import tokenize
from .settings import Settings
from .store import FORMAT_VERSION, REBUILD_HINT
from .types import Chunk

K1, B = 1.5, 0.75  # BM25 term-frequency saturation and length normalisation (bm25s' defaults)
BATCH = 256
KEEP_PREVIOUS = 2  # superseded generations kept for workers still reading them
_MANIFEST_ID = str(uuid.UUID(int=0))
_CLIENTS: dict[str, Any] = {}
_CLIENTS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Target:
    """Which Qdrant (a server URL, or an embedded folder) and which alias."""

    url: str
    path: Path | None
    alias: str
    api_key: str = ""

    @classmethod
    def of(cls, index_dir: Path, settings: Settings) -> "Target":
        r = settings.retrieval
        alias = "rag-" + re.sub(r"[^A-Za-z0-9_-]", "_", Path(index_dir).expanduser().resolve().name)
        return cls(r.qdrant_url, None if r.qdrant_url else Path(index_dir).expanduser() / "qdrant", alias, r.qdrant_api_key)

    @property
    def where(self) -> str:
        return self.url or str(self.path)

    def client(self, create: bool = True) -> Any:
        """One client per Qdrant in this process (embedded Qdrant allows one per folder); None when an
        embedded folder does not exist and `create` is False."""
        try:
            from qdrant_client import QdrantClient
        except ImportError:
            raise SettingsError("RAG_STORE=qdrant needs the `qdrant` extra: pip install -e '.[qdrant]' "
                                "(the test extra has it)") from None
        with _CLIENTS_LOCK:
            if self.where not in _CLIENTS:
                if self.path is not None and not create and not self.path.is_dir():
                    return None
                try:
                    _CLIENTS[self.where] = QdrantClient(url=self.url, api_key=self.api_key or None) if self.url \
                        else QdrantClient(path=str(self.path))
                except RuntimeError as exc:  # embedded Qdrant: one process per folder
                    raise IndexError_(f"the embedded Qdrant at {self.path} is open in another process ({exc}); stop "
                                      f"that one, or run a Qdrant server and set RAG_QDRANT_URL") from None
            return _CLIENTS[self.where]


@atexit.register
def _close_all() -> None:
    """Close the clients before interpreter teardown (embedded Qdrant writes its folder on close)."""
    for client in _CLIENTS.values():
        try:
            client.close()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
    _CLIENTS.clear()


def _point_id(key: str) -> str:
    return str(uuid.UUID(hashlib.sha256(key.encode()).hexdigest()[:32]))


def _term(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big") & 0x7FFFFFFF


def _sparse(weights: dict[str, float]) -> Any:
    from qdrant_client import models as M

    by_term: dict[int, float] = {}
    for word, w in weights.items():
        by_term[_term(word)] = by_term.get(_term(word), 0.0) + w
    return M.SparseVector(indices=list(by_term), values=list(by_term.values()))


def _document_vectors(chunks: list[Chunk]) -> list[Any]:
    """BM25 term weights of each passage, tf·(k1+1) / (tf + k1·(1-b+b·len/avglen)); the engine adds IDF."""
    tokens = [tokenize(f"{c.context} {c.text}") for c in chunks]
    avg = max(1.0, sum(len(t) for t in tokens) / max(1, len(tokens)))
    out = []
    for words in tokens:
        tf = Counter(words)
        norm = K1 * (1 - B + B * len(words) / avg)
        out.append(_sparse({w: n * (K1 + 1) / (n + norm) for w, n in tf.items()}) if tf else None)
    return out


def write_generation(target: Target, manifest: dict[str, Any], chunks: list[Chunk], vectors: np.ndarray,
                     texts: dict[str, str]) -> str:
    """Write a complete generation as a new collection, then move the alias to it atomically."""
    from qdrant_client import models as M

    client = target.client()
    name = f"{target.alias}-gen-{time.time_ns() // 1_000_000:013d}-{uuid.uuid4().hex[:6]}"  # sorts by age
    client.create_collection(name, vectors_config={"dense": M.VectorParams(size=int(manifest["embedder"]["dim"]),
                                                                            distance=M.Distance.COSINE)},
                             sparse_vectors_config={"sparse": M.SparseVectorParams(modifier=M.Modifier.IDF)})
    try:
        sparse = _document_vectors(chunks)
        points = []
        for row, (chunk, vec, sp) in enumerate(zip(chunks, vectors, sparse)):
            vector: dict[str, Any] = {"dense": vec.astype(float).tolist()}
            if sp is not None:
                vector["sparse"] = sp
            points.append(M.PointStruct(id=_point_id("chunk:" + chunk.id), vector=vector,
                                        payload={"kind": "chunk", "row": row, **asdict(chunk)}))
        points += [M.PointStruct(id=_point_id("source:" + n), vector={}, payload={"kind": "source", "name": n, "text": t})
                   for n, t in texts.items()]
        for i in range(0, len(points), BATCH):
            client.upsert(name, points[i:i + BATCH], wait=True)
        client.upsert(name, [M.PointStruct(id=_MANIFEST_ID, vector={}, payload={
            "kind": "manifest", "manifest": json.dumps(manifest, ensure_ascii=False)})], wait=True)  # last: complete
        current = _current(client, target.alias)
        ops = [M.DeleteAliasOperation(delete_alias=M.DeleteAlias(alias_name=target.alias))] if current else []
        ops.append(M.CreateAliasOperation(create_alias=M.CreateAlias(collection_name=name, alias_name=target.alias)))
        client.update_collection_aliases(change_aliases_operations=ops)
    except BaseException:
        client.delete_collection(name)  # an interrupted build leaves the alias where it was
        raise
    # Superseded generations: the two newest stay, for workers that opened one before this switch (they
    # answer from it until they reopen the knowledge base); older ones and leftovers of crashed builds go.
    older = sorted((c.name for c in client.get_collections().collections
                    if c.name.startswith(f"{target.alias}-gen-") and c.name != name), reverse=True)
    for old in older[KEEP_PREVIOUS:]:
        client.delete_collection(old)
    return name


def _current(client: Any, alias: str) -> str | None:
    return next((a.collection_name for a in client.get_aliases().aliases if a.alias_name == alias), None)


def read_generation(target: Target) -> tuple[dict[str, Any], list[Chunk], np.ndarray, "QdrantGeneration"] | None:
    """Load and cross-check the live generation; None when there is none, `IndexError_` when broken."""
    client = target.client(create=False)
    collection = _current(client, target.alias) if client is not None else None
    if collection is None:
        return None
    hint = f"{REBUILD_HINT.format(dir=target.where)} (RAG_STORE=qdrant)"
    try:
        found = client.retrieve(collection, [_MANIFEST_ID], with_payload=True)
        manifest = json.loads(found[0].payload["manifest"]) if found else None
    except Exception as exc:  # noqa: BLE001 - a missing collection or an engine error: the index is unusable
        raise IndexError_(f"index {target.alias} in Qdrant at {target.where} is corrupt ({type(exc).__name__}); {hint}") from None
    if manifest is None:
        raise IndexError_(f"index {target.alias} in Qdrant at {target.where} is corrupt (no manifest); {hint}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexError_(f"index {target.alias} has format version {manifest.get('format_version')}, this version of "
                          f"rag reads {FORMAT_VERSION}; {hint}")
    from qdrant_client import models as M

    rows: list[tuple[int, Chunk, list[float]]] = []
    offset = None
    only_chunks = M.Filter(must=[M.FieldCondition(key="kind", match=M.MatchValue(value="chunk"))])
    while True:
        points, offset = client.scroll(collection, scroll_filter=only_chunks, limit=BATCH, offset=offset,
                                       with_payload=True, with_vectors=["dense"])
        for p in points:
            fields = {k: v for k, v in p.payload.items() if k not in ("kind", "row")}
            rows.append((p.payload["row"], Chunk(**fields), p.vector["dense"]))
        if offset is None:
            break
    rows.sort(key=lambda r: r[0])
    chunks = [c for _, c, _ in rows]
    dim = manifest["embedder"]["dim"]
    vectors = np.asarray([v for _, _, v in rows], dtype="float32").reshape(-1, dim)
    expected = sum(len(s["chunks"]) for s in manifest["sources"].values())
    if len(chunks) != expected or [r for r, _, _ in rows] != list(range(len(rows))):
        raise IndexError_(f"index {target.alias} in Qdrant at {target.where} is corrupt (chunk counts differ); {hint}")
    # Qdrant keeps cosine vectors normalised; the file store's are too (the embedder normalises)
    return manifest, chunks, vectors, QdrantGeneration(client, collection)


class QdrantGeneration:
    def __init__(self, client: Any, collection: str) -> None:
        self.client = client
        self.name = collection

    def source_text(self, name: str) -> str:
        found = self.client.retrieve(self.name, [_point_id("source:" + name)], with_payload=True)
        if not found:
            raise KeyError(name)
        return found[0].payload["text"]

    def candidates(self, query: str, query_vector: np.ndarray, n: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """The dense and the sparse (BM25) candidates, `n` each, in one round trip: (row, score), best first,
        ties (to six digits) by row; `rag.fusion` fuses them, as it fuses the file store's."""
        from qdrant_client import models as M

        requests = [M.QueryRequest(query=query_vector.astype(float).tolist(), using="dense", limit=n, with_payload=["row"])]
        counts = Counter(tokenize(query))
        if counts:
            requests.append(M.QueryRequest(query=_sparse(dict(counts)), using="sparse", limit=n, with_payload=["row"]))
        found = self.client.query_batch_points(self.name, requests=requests)
        lists = [sorted(((int(p.payload["row"]), float(p.score)) for p in r.points), key=lambda rs: (-round(rs[1], 6), rs[0]))
                 for r in found]
        return lists[0], (lists[1] if len(lists) > 1 else [])
