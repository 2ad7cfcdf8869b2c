"""A knowledge base shared by the chat page and the HTTP API: uploads, removals and rebuilds swap
its index atomically, with the same limits and checks wherever they come from."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import rag
from rag.errors import DocumentError
from rag.loaders import SUPPORTED
from rag.settings import Settings


class KnowledgeBase:
    """The shared index behind the page; uploads and removals swap it atomically."""

    def __init__(self, settings: Settings, index: rag.Index | None = None) -> None:
        self.settings = settings
        self.index = index or rag.default_index(settings)
        self.folder = Path(self.index.path) / "uploads"
        self._lock = threading.Lock()

    def safe_name(self, name: str) -> str:
        """A plain file name inside the knowledge-base folder (no directories, no tricks)."""
        base = Path(name.replace("\\", "/")).name
        base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
        if not base or Path(base).suffix.lower() not in SUPPORTED:
            raise DocumentError(f"{name!r}: unsupported file name; upload a .txt, .md, .html or .pdf file")
        return base

    def add(self, uploads: list[str], progress=None) -> tuple[list[str], list[str]]:
        """Copy uploads into the folder and index them; returns (added, refused messages)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        staged, refused = [], []
        for path in uploads:
            try:
                name = self.safe_name(Path(path).name)
                size = Path(path).stat().st_size
                if size > self.settings.limits.max_upload_bytes:
                    raise DocumentError(f"{name}: {size:,} bytes is over the {self.settings.limits.max_upload_bytes:,}-byte upload limit")
                target = (self.folder / name).resolve()
                if target.parent != self.folder.resolve():
                    raise DocumentError(f"{name}: refused, the name leaves the knowledge-base folder")
                rag.loaders.load_text(path, self.settings.limits.max_upload_bytes)  # refuse bad files before copying
                shutil.copyfile(path, target)
                staged.append(target)
            except DocumentError as exc:
                refused.append(str(exc))
        if not staged:
            return [], refused
        with self._lock:
            if progress:
                progress(0.1, desc="indexing…")
            index = rag.add_documents(staged, self.index.path, self.settings)
            refused += list(index.report.skipped.values())
            self.index = index
        return [p.name for p in staged if p.name not in index.report.skipped], refused

    def remove(self, names: list[str]) -> None:
        with self._lock:
            self.index = rag.remove_documents(names, self.index.path, self.settings)
            for n in names:
                if Path(n).suffix.lower() in SUPPORTED:
                    (self.folder / self.safe_name(n)).unlink(missing_ok=True)

    def rebuild(self) -> rag.Index:
        """Re-chunk and re-embed every document from the index's own copies (after a settings change)."""
        with self._lock:
            self.index = rag.rebuild_index(self.index.path, self.settings)
        return self.index
