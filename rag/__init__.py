"""Offline question answering over documents, with verified citations.

>>> import rag
>>> a = rag.answer("Who chairs the committee?")   # doctest: +SKIP
>>> print(a.text); print(a.citations[0].quote)          # doctest: +SKIP

The names below load on first use (PEP 562), so that `import rag` and commands that need no model
(`rag settings`, `rag --help`) do not pay for numpy, FAISS and torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import DocumentError, IndexError_, InputError, ModelError, RagError, SettingsError

if TYPE_CHECKING:
    from .build import add_documents, build_index, rebuild_index, remove_documents
    from .index import Index, default_index, open_index
    from .pipeline import answer, stream_answer
    from .settings import Settings
    from .types import Answer, Chunk, Citation, Hit
    from .warmup import warm_up

_LAZY = {
    "Index": "index", "default_index": "index", "open_index": "index",
    "add_documents": "build", "build_index": "build", "rebuild_index": "build", "remove_documents": "build",
    "answer": "pipeline", "stream_answer": "pipeline", "warm_up": "warmup",
    "Settings": "settings", "Answer": "types", "Chunk": "types", "Citation": "types", "Hit": "types",
}

__all__ = sorted([*_LAZY, "DocumentError", "IndexError_", "InputError", "ModelError", "RagError", "SettingsError"])
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rag' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
