"""Content hashes: the one way files are hashed (documents in the index, model files)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

Progress = Callable[[str, int, int], None]


def sha256_file(path: Path, progress: Progress | None = None, label: str = "") -> str:
    """The sha256 of a file, read in blocks; `progress(label, done, total)` after each block."""
    h = hashlib.sha256()
    total, done = path.stat().st_size, 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 22):
            h.update(block)
            done += len(block)
            if progress:
                progress(label, done, total)
    return h.hexdigest()
