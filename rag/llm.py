"""The local LLM (llama-cpp-python), loaded once per process and shared.

Prompts go through the model's own chat template (read from the GGUF). The
llama.cpp context is not re-entrant, so every generation holds the model's
lock; llama-cpp-python reuses the longest common token prefix with the previous
prompt, so the fixed system prompt is only read once.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import os
import threading
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .errors import ModelError
from .models import resolve_llm
from .settings import Settings

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, int, int], "LLM"] = {}

CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


class _GreedyGrammarSampler:
    """Greedy decoding under a grammar, checking the grammar lazily.

    llama-cpp-python runs the grammar over the whole vocabulary (151k tokens for Qwen) at every
    step, which costs about a third of the generation time on 2 cores. Like llama.cpp's own
    common sampler, this first checks only the most likely token and falls back to filtering the
    whole vocabulary when the grammar rejects it. The chosen token is the same either way: the most
    likely token the grammar allows.
    """

    def __init__(self, llama: Any, grammar: Any) -> None:
        import llama_cpp as C

        self._c = C
        self._n_vocab = llama.n_vocab()
        self._sampler = C.llama_sampler_init_grammar(
            llama._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        if not self._sampler:
            raise ModelError("llama.cpp rejected the answer grammar")
        self._one = (C.llama_token_data * 1)()
        self._all = (C.llama_token_data * self._n_vocab)()
        self._all_np = np.ctypeslib.as_array(self._all)
        self._all_np["id"] = np.arange(self._n_vocab, dtype=np.int32)

    def _allowed(self, data: Any, size: int) -> None:
        arr = self._c.llama_token_data_array(data=data, size=size, selected=-1, sorted=False)
        self._c.llama_sampler_apply(self._sampler, ctypes.byref(arr))

    def sample(self, ctx: Any, idx: int = -1) -> int:
        logits = np.ctypeslib.as_array(self._c.llama_get_logits_ith(ctx.ctx, idx), shape=(self._n_vocab,))
        token = int(np.argmax(logits))
        self._one[0].id, self._one[0].logit, self._one[0].p = token, float(logits[token]), 0.0
        self._allowed(self._one, 1)
        if not np.isfinite(self._one[0].logit):
            self._all_np["logit"] = logits
            self._all_np["p"] = 0.0
            self._allowed(self._all, self._n_vocab)
            token = int(np.argmax(self._all_np["logit"]))
        self._c.llama_sampler_accept(self._sampler, token)
        return token

    def close(self) -> None:
        if self._sampler:
            self._c.llama_sampler_free(self._sampler)
            self._sampler = None

    def __del__(self) -> None:
        self.close()


class LLM:
    def __init__(self, path: Path, settings: Settings) -> None:
        try:
            from llama_cpp import Llama
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelError("llama-cpp-python is not installed; run the README's setup command") from exc
        try:
            self.llama = Llama(
                model_path=str(path), n_ctx=settings.n_ctx, n_threads=settings.n_threads,
                n_threads_batch=settings.n_threads, n_batch=settings.n_batch, seed=settings.seed,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"cannot load LLM {path} ({exc}); check it is a valid GGUF file or run `rag models fetch`") from exc
        if settings.llm_cache_bytes:
            # Keep recent prompt states in RAM, so that after another prompt (a follow-up rewrite) a
            # long shared prefix (the whole knowledge base, see Settings.whole_kb_chars) is reloaded,
            # not read again.
            from llama_cpp import LlamaRAMCache

            self.llama.set_cache(LlamaRAMCache(capacity_bytes=settings.llm_cache_bytes))
        self.path = path
        self.name = path.name
        eos_id = self.llama.token_eos()
        bos_id = self.llama.token_bos()
        eos = self.llama._model.token_get_text(eos_id) if eos_id >= 0 else ""
        bos = self.llama._model.token_get_text(bos_id) if bos_id >= 0 else ""
        template = self.llama.metadata.get("tokenizer.chat_template") or CHATML
        self._formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos,
                                              stop_token_ids=[eos_id] if eos_id >= 0 else None)
        self.lock = threading.Lock()
        self._default_init_sampler = self.llama._init_sampler
        self._grammar: Any = None

    def _init_sampler(self, **kwargs: Any) -> Any:
        """Called by llama-cpp-python's `generate`; greedy grammar decoding gets the lazy sampler."""
        if self._grammar is not None and kwargs.get("temp") == 0.0:
            return _GreedyGrammarSampler(self.llama, self._grammar)
        return self._default_init_sampler(**kwargs)

    def format(self, messages: list[dict[str, str]]) -> tuple[str, list[str]]:
        response = self._formatter(messages=messages)
        stop = response.stop if isinstance(response.stop, list) else [response.stop] if response.stop else []
        return response.prompt, stop

    def count_tokens(self, text: str) -> int:
        return len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float, seed: int,
               schema: dict[str, Any] | None = None, lazy_grammar: bool = True) -> Iterator[str]:
        """Yield generated text pieces. Holds the model lock until exhausted or closed.

        `lazy_grammar` (greedy decoding only) checks the schema's grammar on the most likely token
        first; the output is the same, only faster (see `_GreedyGrammarSampler`).
        """
        from llama_cpp import LlamaGrammar

        prompt, stop = self.format(messages)
        grammar = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False) if schema else None
        with self.lock:
            self.llama.set_seed(seed)
            lazy = grammar is not None and temperature == 0 and lazy_grammar
            self._grammar = grammar if lazy else None
            self.llama._init_sampler = self._init_sampler
            try:
                for part in self.llama.create_completion(
                    prompt, max_tokens=max_tokens, temperature=temperature, top_k=1 if temperature == 0 else 40,
                    stop=stop, grammar=None if lazy else grammar, stream=True,
                ):
                    text = part["choices"][0]["text"]
                    if text:
                        yield text
            finally:
                self._grammar = None
                self.llama._init_sampler = self._default_init_sampler

    def complete(self, messages: list[dict[str, str]], **kwargs: Any) -> str:
        return "".join(self.stream(messages, **kwargs))


@atexit.register
def _close_all() -> None:
    """Free llama.cpp contexts before interpreter teardown (avoids noisy __del__ errors)."""
    for llm in _CACHE.values():
        try:
            llm.llama.close()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
    _CACHE.clear()


def get_llm(settings: Settings) -> LLM:
    """The process-wide LLM for these settings (loaded on first use)."""
    path = resolve_llm(settings.llm, settings.models_dir)
    key = (str(path), settings.n_ctx, settings.n_threads)
    with _LOCK:
        if key not in _CACHE:
            os.environ.setdefault("LLAMA_LOG_LEVEL", "error")
            _CACHE[key] = LLM(path, settings)
        return _CACHE[key]
