"""The embeddings of every passage sentence, computed when the index is built, not when a question comes.

Verification compares each claim with the numbered sentences the model was shown (`rag.verify`), so it
needs their embeddings. Computed at question time they cost about 0.25 s on 2 cores whenever the
retrieved passages hold sentences not seen before (most questions of an evaluation run; the first
question on any passage for a user). The build embeds them once, with the same embedder call
(`Embedder.documents`), and keeps them beside the generation they belong to:
`<index>/sentences-<index version>.npy` (the float32 vectors, one row a sentence) and `.json` (the
sentences, in row order), written atomically after the generation is live, for either store. The
vectors are memory-mapped when read: a question reads the rows of its own sentences, so a large
knowledge base does not hold every sentence's vector in memory (3 KB a sentence with EmbeddingGemma).
A line of a list or a table is also stored as verification reads it, under its headings
(`Sentence.headed`). A missing or unreadable pair only means the sentences are embedded at question
time, as before; a rebuild writes it. Unchanged sentences are reused from the previous generation's file, like unchanged
passages.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .segment import split_sentences

if TYPE_CHECKING:
    from .embedder import Embedder
    from .index import Index
    from .types import Chunk

PREFIX, SUFFIX, TEXTS_SUFFIX = "sentences-", ".npy", ".json"


class Stored(Mapping):
    """Sentence -> vector over a memory-mapped matrix: a vector is read (and copied) when asked for."""

    def __init__(self, texts: list[str], matrix: np.ndarray) -> None:
        self._rows = {t: i for i, t in enumerate(texts)}
        self._matrix = matrix

    def __getitem__(self, text: str) -> np.ndarray:
        return np.array(self._matrix[self._rows[text]], dtype="float32")

    def __contains__(self, text: object) -> bool:
        return text in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def sentences_in(chunk: "Chunk") -> list[str]:
    """The sentences of a passage's own text, in order: those whose vectors the build stores."""
    return [chunk.text[s:e] for s, e in split_sentences(chunk.text)]


def texts_of(index: "Index") -> list[str]:
    """Every sentence `rag.sentences.sentences_of` can show from this index's passages: each passage's
    sentences and the sentence before it (its context), once each, in passage order; then each line of a
    list or a table as verification also reads it, under its headings (`Sentence.headed`: about 70 ms a
    line on 2 cores when embedded at question time)."""
    from .sentences import sentences_of
    from .types import Hit

    out: dict[str, None] = {}
    for c in index.chunks:
        if c.context:
            out[c.context] = None
        out.update(dict.fromkeys(sentences_in(c)))
    lines = sentences_of([Hit(c, 0.0, 0.0) for c in index.chunks], paragraphs=index.source_text)
    out.update(dict.fromkeys(s.headed for s in lines if s.headed))
    return list(out)


def path_of(index: "Index") -> Path:
    """The vectors' file of this index's live generation (the sentences' file is beside it)."""
    return Path(index.path) / f"{PREFIX}{index.version}{SUFFIX}"


def _texts_path(vectors: Path) -> Path:
    return vectors.with_suffix(TEXTS_SUFFIX)


def load(index: "Index") -> Mapping[str, np.ndarray]:
    """The stored sentence vectors of this index's live generation: text -> vector ({} when none)."""
    vectors = path_of(index)
    try:
        texts = json.loads(_texts_path(vectors).read_text(encoding="utf-8"))
        matrix = np.load(vectors, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(texts, list) or matrix.dtype != np.float32 or matrix.ndim != 2 \
            or len(texts) != matrix.shape[0] or matrix.shape[1] != index.manifest["embedder"]["dim"]:
        return {}
    return Stored(texts, matrix)


def write(index: "Index", emb: "Embedder", previous: Mapping[str, np.ndarray] | None = None,
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
    # the vectors first, then the sentences: a reader needs both, so a crash between them leaves the
    # pair unreadable (embedded at question time), never sentences matched to another file's rows
    _replace(target, lambda fh: np.save(fh, matrix, allow_pickle=False))
    _replace(_texts_path(target), lambda fh: fh.write(json.dumps(texts, ensure_ascii=False).encode("utf-8")))
    for old in target.parent.glob(f"{PREFIX}*"):
        if old not in (target, _texts_path(target)):
            try:
                old.unlink(missing_ok=True)  # older generations' pairs, and the single .npz file of before
            except OSError:
                pass  # still mapped by a reader on a system that forbids that: the next build removes it
    return len(todo)


def _replace(target: Path, fill) -> None:
    """Write `target` through a temporary file in its folder, synced, then renamed over it."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
