"""Sentence-transformers embeddings, loaded once per process.

Queries and documents go through the model's own prompts (`encode_query` /
`encode_document`, e.g. EmbeddingGemma's "task: search result | query: ");
vectors are L2-normalised so that inner product is cosine similarity.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import numpy as np

from .errors import ModelError
from .models import MODELS, resolve_embedder

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str, int], "Embedder"] = {}


class Embedder:
    def __init__(self, name: str, location: str, n_threads: int) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(n_threads)
        try:  # no "Loading weights" progress bar on every start
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
        except ImportError:  # pragma: no cover
            pass
        try:
            self.model = SentenceTransformer(location, device="cpu", local_files_only=True)  # never a hub
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load embedder {name!r} ({str(exc).splitlines()[0]}); check the name or run `rag models fetch`") from exc
        self.name = name
        self.location = location
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.fingerprint = _fingerprint(name, location)
        self._lock = threading.Lock()  # torch modules are not guaranteed re-entrant

    def _encode(self, fn_name: str, texts: list[str], batch_size: int = 16, progress: bool = False) -> np.ndarray:
        fn = getattr(self.model, fn_name, None) or self.model.encode
        with self._lock:
            vectors = fn(texts, batch_size=batch_size, normalize_embeddings=True,
                         convert_to_numpy=True, show_progress_bar=progress)
        return np.asarray(vectors, dtype="float32").reshape(len(texts), self.dim)

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode("encode_query", texts)

    def documents(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._encode("encode_document", texts, progress=progress)


def _fingerprint(name: str, location: str) -> str:
    """A stable id of the embedder's weights, cheap to compute."""
    spec = MODELS.get(name)
    if spec is not None:
        return spec.sha256
    folder = Path(location)
    if not folder.is_dir():
        return hashlib.sha256(name.encode()).hexdigest()
    h = hashlib.sha256()
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            h.update(f"{f.relative_to(folder)}:{f.stat().st_size}".encode())
            if f.suffix == ".json":
                h.update(f.read_bytes())
    return h.hexdigest()


def get_embedder(name: str, models_dir: Path, n_threads: int) -> Embedder:
    """The process-wide embedder for `name` from `models_dir` with `n_threads` (loaded on first use)."""
    location = resolve_embedder(name, models_dir)
    key = (name, location, n_threads)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = Embedder(name, location, n_threads)
        return _CACHE[key]

