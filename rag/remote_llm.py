"""The LLM behind an OpenAI-compatible server (llama.cpp's server, llama-cpp-python's, vLLM, Ollama).

Set `RAG_LLM_URL` (for example http://127.0.0.1:8080/v1) and, if the server wants them,
`RAG_LLM_MODEL` and `RAG_LLM_API_KEY`. The messages are the same as in-process; the server applies
its model's chat template. The answer's JSON schema goes as `response_format`: first in the OpenAI
form (`{"type": "json_schema", …}`, vLLM, llama.cpp, Ollama); a server that refuses it (llama-cpp-
python's own accepts only `{"type": "json_object", "schema": …}`) gets that form from then on.
"""

from __future__ import annotations

import json
import sys
import threading
from contextlib import nullcontext
from typing import Any, ContextManager, Iterator, Sequence

import httpx

from .errors import ModelError
from .text_model import Usage
from .models import resolve_llm
from .settings import Settings


def llama_cpp_server_command(settings: Settings, port: int, host: str = "127.0.0.1") -> list[str]:
    """llama-cpp-python's own server (`python -m llama_cpp.server`, the `llm-server` extra) with the
    configured GGUF, context, threads and seed, the model named by its key (for RAG_LLM_MODEL)."""
    m = settings.models
    return [sys.executable, "-m", "llama_cpp.server", "--model", str(resolve_llm(m.llm, m.models_dir)),
            "--model_alias", m.llm, "--host", host, "--port", str(port), "--n_ctx", str(settings.generation.n_ctx),
            "--n_threads", str(m.n_threads), "--n_threads_batch", str(m.n_threads),
            "--seed", str(settings.generation.seed), "--verbose", "False"]


def _one_line(text: str, limit: int = 200) -> str:
    return " ".join(text.split())[:limit]


class RemoteLLM:
    def __init__(self, url: str, model: str, api_key: str = "", timeout_s: float = 300.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.name = f"{model} at {self.url}"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(headers=headers, timeout=httpx.Timeout(timeout_s, connect=10.0), transport=transport)
        self._format = "json_schema"  # becomes "json_object" for servers that only take that form
        self._local = threading.local()

    @property
    def last(self) -> Usage:
        """What the last generation of this thread used (see `rag.text_model.Usage`)."""
        return getattr(self._local, "usage", Usage())

    def _body(self, messages: list[dict[str, str]], max_tokens: int, temperature: float, seed: int,
              schema: dict[str, Any] | None) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "messages": messages, "max_tokens": max_tokens,
                                "temperature": temperature, "seed": seed, "stream": True,
                                "stream_options": {"include_usage": True}}
        if temperature == 0:
            body["top_k"] = 1  # greedy, as in-process (servers that do not know it ignore it)
        if schema is not None:
            body["response_format"] = {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema, "strict": True}} \
                if self._format == "json_schema" else {"type": "json_object", "schema": schema}
        return body

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float, seed: int,
               schema: dict[str, Any] | None = None, lazy_grammar: bool = True, keep: str | Sequence[str] | None = None,
               fast_forward: bool = True) -> Iterator[str]:
        """Yield the generated text in pieces. `lazy_grammar`, `keep` and `fast_forward` are in-process
        speed-ups: the server has its own (its prompt cache keeps the shared start of the prompts)."""
        usage = Usage()
        self._local.usage = usage
        for attempt in range(2):
            try:
                with self._http.stream("POST", f"{self.url}/chat/completions",
                                       json=self._body(messages, max_tokens, temperature, seed, schema)) as r:
                    if r.status_code != 200:
                        r.read()
                        if schema is not None and self._format == "json_schema" and attempt == 0 \
                                and r.status_code in (400, 422, 500) and "json_schema" in r.text:
                            self._format = "json_object"  # the server does not take the OpenAI form: the other one
                            continue
                        raise ModelError(self._refused(r))
                    yield from self._pieces(r, usage)
                    return
            except httpx.TransportError as exc:
                raise ModelError(f"cannot reach the LLM server at {self.url} ({exc.__class__.__name__}: "
                                 f"{_one_line(str(exc))}); start it, or fix RAG_LLM_URL") from None

    def _refused(self, r: httpx.Response) -> str:
        if r.status_code in (401, 403):
            return f"the LLM server at {self.url} refused the key ({r.status_code}); set RAG_LLM_API_KEY"
        try:
            detail = r.json().get("error", r.json())
            detail = detail.get("message", detail) if isinstance(detail, dict) else detail
        except (ValueError, AttributeError):
            detail = r.text
        return (f"the LLM server at {self.url} answered {r.status_code}: {_one_line(str(detail))}; "
                f"check RAG_LLM_URL and RAG_LLM_MODEL")

    def _pieces(self, r: httpx.Response, usage: Usage) -> Iterator[str]:
        for line in r.iter_lines():
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            try:
                event = json.loads(data)
            except ValueError:
                raise ModelError(f"the LLM server at {self.url} sent something that is not JSON: "
                                 f"{_one_line(data, 80)}") from None
            if "error" in event:
                raise ModelError(f"the LLM server at {self.url} failed: {_one_line(str(event['error']))}")
            if event.get("usage"):
                usage.prompt_tokens = event["usage"].get("prompt_tokens")
                usage.completion_tokens = event["usage"].get("completion_tokens")
            for choice in event.get("choices") or []:
                text = (choice.get("delta") or {}).get("content")
                if text:
                    yield text

    def yes_probability(self, messages: list[dict[str, str]], keep: str | None = None) -> float | None:
        """Not read through a server (llama-cpp-python's gives token probabilities only with all logits
        kept): the checks that need it are skipped."""
        return None

    def aside(self) -> ContextManager[None]:
        """Nothing to keep: the server manages its own prompt cache."""
        return nullcontext()

    def complete(self, messages: list[dict[str, str]], **kwargs: Any) -> str:
        return "".join(self.stream(messages, **kwargs))
