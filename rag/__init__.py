"""Offline question answering over documents, with verified citations.

>>> import rag
>>> a = rag.answer("Who chairs the committee?")   # doctest: +SKIP
>>> print(a.text); print(a.citations[0].quote)          # doctest: +SKIP
"""

from .errors import DocumentError, IndexError_, InputError, ModelError, RagError, SettingsError
from .index import Index, add_documents, build_index, default_index, open_index, remove_documents
from .pipeline import answer, stream_answer, warm_up
from .settings import Settings
from .types import Answer, Chunk, Citation, Hit

__all__ = [
    "Answer", "Chunk", "Citation", "DocumentError", "Hit", "Index", "IndexError_", "InputError", "ModelError",
    "RagError", "Settings", "SettingsError", "add_documents", "answer", "build_index", "default_index", "open_index",
    "remove_documents", "stream_answer", "warm_up",
]
__version__ = "0.1.0"
