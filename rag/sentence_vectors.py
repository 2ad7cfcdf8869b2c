"""The embeddings of every passage sentence, computed when the index is built, not when a question comes.

Verification compares each claim with the numbered sentences the model was shown (`rag.verify`), so it
needs their embeddings. Computed at question time they cost about 0.25 s on 2 cores whenever the
retrieved passages hold sentences not seen before (most questions of an evaluation run; the first
question on any passage for a user). The build embeds them once, with the same embedder call
(`Embedder.documents`), and keeps them beside the generation they belong to:
`<index>/sentences-<index version>.npz` (texts and float32 vectors), written atomically after the
generation is live, for either store. A missing or unreadable file only means the sentences are
embedded at question time, as before; a rebuild writes it. Unchanged sentences are reused from the
previous generation's file, like unchanged passages.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .chunking import split_sentences

if TYPE_CHECKING:
    from .embedder import Embedder
    from .index import Index

PREFIX, SUFFIX = "sentences-", ".npz"


def texts_of(index: "Index") -> list[str]:
    """Every sentence `rag.sentences.sentences_of` can show from this index's passages: each passage's
    sentences and the sentence before it (its context), once each, in passage order."""
    out: dict[str, None] = {}
    for c in index.chunks:
        if c.context:
            out[c.context] = None
        for s, e in split_sentences(c.text):
            out[c.text[s:e]] = None
    return list(out)


def path_of(index: "Index") -> Path:
    return Path(index.path) / f"{PREFIX}{index.version}{SUFFIX}"


def load(index: "Index") -> dict[str, np.ndarray]:
    """The stored sentence vectors of this index's live generation: text -> vector ({} when none)."""
    try:
        with np.load(path_of(index), allow_pickle=False) as data:
            texts, vectors = json.loads(data["texts"].tobytes().decode("utf-8")), data["vectors"]
    except (OSError, ValueError, KeyError, UnicodeDecodeError):
        return {}
    if not isinstance(texts, list) or vectors.ndim != 2 or len(texts) != vectors.shape[0] or vectors.shape[1] != index.manifest["embedder"]["dim"]:
        return {}
    return dict(zip(texts, vectors.astype("float32")))


def write(index: "Index", emb: "Embedder", previous: dict[str, np.ndarray] | None = None,
          progress: bool = False) -> int:
    """Embed the sentences of `index` that `previous` (the last generation's, same embedder) lacks and
    store them all; older generations' files are removed. Returns how many were embedded."""
    texts = texts_of(index)
    known = previous or {}
    todo = [t for t in texts if t not in known]
    fresh = emb.documents(todo, progress=progress) if todo else np.zeros((0, emb.dim), "float32")
    vectors = dict(zip(todo, fresh))
    matrix = np.stack([known[t] if t in known else vectors[t] for t in texts]).astype("float32") if texts \
        else np.zeros((0, emb.dim), "float32")
    target = path_of(index)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            # the texts as one JSON string (as bytes): no fixed-width array sized by the longest one
            np.savez(fh, texts=np.frombuffer(json.dumps(texts, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
                     vectors=matrix)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    for old in target.parent.glob(f"{PREFIX}*{SUFFIX}"):
        if old != target:
            old.unlink(missing_ok=True)
    return len(todo)
