"""What the answer pipeline needs of an LLM (`TextModel`), and what one generation used (`Usage`).

Implemented by the in-process `rag.llm.LLM` and by `rag.remote_llm.RemoteLLM`; the unit tests' fakes
implement it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ContextManager, Iterator, Protocol, Sequence


@dataclass
class Usage:
    """What one generation used, read after its stream ends (per thread: answers may run in parallel)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    p_true: float | None = None  # the model's probability of "answerable": true (in-process lazy grammar only)


class TextModel(Protocol):
    """What the answer pipeline needs of an LLM: the in-process `LLM` or a `rag.remote_llm.RemoteLLM`."""

    name: str

    @property
    def last(self) -> Usage: ...

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float, seed: int,
               schema: dict[str, Any] | None = None, lazy_grammar: bool = True,
               keep: str | Sequence[str] | None = None, fast_forward: bool = True) -> Iterator[str]: ...

    def complete(self, messages: list[dict[str, str]], **kwargs: Any) -> str: ...

    def yes_probability(self, messages: list[dict[str, str]], keep: str | None = None) -> float | None:
        """P("yes") against P("no") as the reply's first token (None: this model gives no probabilities).
        `keep`: as in `stream`, the end of the prompt's fixed start, whose model state may be kept."""
        ...

    def aside(self) -> ContextManager[None]:
        """Prompts read inside leave the model's cache as they found it."""
        ...
