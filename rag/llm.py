"""The local LLM (llama-cpp-python), loaded once per process and shared.

Prompts go through the model's own chat template (read from the GGUF). The
llama.cpp context is not re-entrant, so every generation holds the model's
lock; llama-cpp-python reuses the longest common token prefix with the previous
prompt, so the fixed system prompt is only read once.
"""

from __future__ import annotations

import atexit
import json
import threading
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from .errors import ModelError
from .llama_build import model_params_for_this_build
from .models import resolve_llm
from .prefix_state import PrefixStates, held_state, hold_stretches, holds, put_state, shared_prefix
from .sampling import GreedyGrammarSampler, Probe, schema_segments
from .settings import Settings
from .text_model import TextModel, Usage

_LOCK = threading.Lock()
_CACHE: dict[tuple, Any] = {}

CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


class LLM:
    """The in-process model (a `TextModel`)."""

    def __init__(self, path: Path, settings: Settings) -> None:
        try:
            from llama_cpp import Llama
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelError("llama-cpp-python is not installed; run the README's setup command") from exc
        try:
            draft = None
            if settings.generation.prompt_lookup:  # off by default: measured no faster on 2 cores (README, benchmark levers)
                from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

                draft = LlamaPromptLookupDecoding(num_pred_tokens=settings.generation.prompt_lookup)
            with model_params_for_this_build():  # no AMX kernels: they crash (rag/llama_build.py)
                self.llama = Llama(
                    model_path=str(path), n_ctx=settings.generation.n_ctx, n_threads=settings.models.n_threads,
                    n_threads_batch=settings.models.n_threads, n_batch=settings.generation.n_batch, seed=settings.generation.seed,
                    # llama-cpp-python sizes its logits buffer from this flag, not from the draft model
                    draft_model=draft, logits_all=draft is not None, verbose=False,
                )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"cannot load LLM {path} ({exc}); check it is a valid GGUF file or run `rag models fetch`") from exc
        self.path = path
        self.name = path.name
        self.states = PrefixStates(f"{path.name}|{path.stat().st_size}", settings.models.state_dir)
        eos_id = self.llama.token_eos()
        bos_id = self.llama.token_bos()
        eos = self.llama._model.token_get_text(eos_id) if eos_id >= 0 else ""
        bos = self.llama._model.token_get_text(bos_id) if bos_id >= 0 else ""
        template = self.llama.metadata.get("tokenizer.chat_template") or CHATML
        self._formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos,
                                              stop_token_ids=[eos_id] if eos_id >= 0 else None)
        self.lock = threading.Lock()
        self._default_init_sampler = self.llama._init_sampler
        self._grammar: Any = None  # set while a lazily checked grammar generation runs
        self.llama._init_sampler = self._init_sampler
        self._probe: Probe | None = None
        self._local = threading.local()

    @property
    def last(self) -> Usage:
        """What the last generation of this thread used."""
        return getattr(self._local, "usage", Usage())

    def _init_sampler(self, **kwargs: Any) -> Any:
        """Called by llama-cpp-python's `generate`; greedy grammar decoding gets the lazy sampler."""
        if self._grammar is not None and kwargs.get("temp") == 0.0:
            return GreedyGrammarSampler(self.llama, self._grammar, self._probe)
        return self._default_init_sampler(**kwargs)

    def format(self, messages: list[dict[str, str]]) -> tuple[str, list[str]]:
        response = self._formatter(messages=messages)
        stop = response.stop if isinstance(response.stop, list) else [response.stop] if response.stop else []
        return response.prompt, stop

    def tokenize(self, text: str) -> list[int]:
        return self.llama.tokenize(text.encode("utf-8"), add_bos=self.llama._model.add_bos_token(), special=True)

    def count_tokens(self, text: str) -> int:
        return len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float, seed: int,
               schema: dict[str, Any] | None = None, lazy_grammar: bool = True,
               keep: str | Sequence[str] | None = None, fast_forward: bool = True) -> Iterator[str]:
        """Yield generated text pieces. Holds the model lock until exhausted or closed.

        `lazy_grammar` (greedy decoding only) checks the schema's grammar on the most likely token
        first; the output is the same, only faster (see `GreedyGrammarSampler`).
        `fast_forward`: the fixed text of an object schema (its braces and keys) is read with the
        prompt instead of generated token by token (see `schema_segments`); `max_tokens` then counts
        only the generated values.
        `keep` is a text of the prompt that every prompt of this kind starts with up to its end
        (the whole knowledge base): the model state after it is computed once, kept in RAM and in
        `state_dir`, and restored when another prompt came between, so only the rest is read. It
        may be followed by more texts of the prompt, in order (the passages shown): see `_hold_marks`.
        """
        from llama_cpp import LlamaGrammar

        prompt, stop = self.format(messages)
        tokens = self.tokenize(prompt)
        segments = schema_segments(schema) if schema and fast_forward else None
        steps = [(fixed, LlamaGrammar.from_string(g, verbose=False)) for fixed, g in segments] if segments else \
            [("", LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False) if schema else None)]
        with self.lock:
            if keep:
                self._hold_marks(tokens, prompt, (keep,) if isinstance(keep, str) else tuple(keep))
            self.llama.set_seed(seed)
            lazy = schema is not None and temperature == 0 and lazy_grammar
            self._probe = Probe(self._token_ids("true"), self._token_ids("false")) if lazy else None
            usage = self._local.usage = Usage(prompt_tokens=len(tokens))
            written: list[str] = []
            try:
                budget = max_tokens
                for fixed, grammar in steps:
                    # The fixed text goes out with the first piece the model writes after it: the first
                    # piece of the stream stays the model's first token.
                    pending = fixed
                    tokens = tokens + self.llama.tokenize(fixed.encode("utf-8"), add_bos=False, special=False)
                    self._grammar = grammar if lazy else None
                    finish = None
                    for part in self.llama.create_completion(
                        tokens, max_tokens=budget, temperature=temperature, top_k=1 if temperature == 0 else 40,
                        stop=stop, grammar=None if lazy else grammar, stream=True,
                    ):
                        text, finish = part["choices"][0]["text"], part["choices"][0]["finish_reason"] or finish
                        if text:
                            written.append(pending + text)
                            pending = ""
                            yield written[-1]
                    if pending:
                        written.append(pending)
                        yield pending
                    # What this step generated (and the model read: the token after it was sampled).
                    generated = [int(t) for t in self.llama.input_ids[len(tokens):self.llama.n_tokens]]
                    tokens, budget = tokens + generated, budget - max(1, len(generated))
                    if finish != "stop" or budget <= 0:
                        break  # the token limit: the reply stays cut where it is
            finally:
                self._grammar = None
                usage.p_true = self._probe.p_true if self._probe else None
                usage.completion_tokens = self.count_tokens("".join(written))
                self._probe = None

    @contextmanager
    def aside(self) -> Iterator[None]:
        """Prompts read inside (the coverage check's) leave llama.cpp's context as they found it: its
        state is kept and put back after, so the next answer's prompt still shares its start with the
        previous one's (a question on the same passages reads only what differs). A few ms each way."""
        with self.lock:
            held = held_state(self.llama)
        try:
            yield
        finally:
            if held is not None:
                with self.lock:
                    put_state(self.llama, *held)

    def _token_ids(self, word: str) -> set[int]:
        """First tokens of `word` as JSON may write it (with or without a space before)."""
        return {ids[0] for ids in (self.llama.tokenize(w.encode(), add_bos=False, special=False)
                                   for w in (word, " " + word)) if ids}

    def _restore_prefix(self, tokens: list[int], prompt: str, keep: str, min_tokens: int = 64) -> int:
        """Make the llama.cpp context hold the state after the prompt's stable prefix, up to the end of
        `keep` (when it is at least `min_tokens` tokens long). Returns how many tokens it holds (0: none)."""
        n = self._mark_end(tokens, prompt, keep)
        if n < min_tokens:
            return 0
        self.states.restore(self.llama, tokens[:n])
        return n if holds(self.llama, tokens[:n]) else 0

    def _mark_end(self, tokens: list[int], prompt: str, mark: str) -> int:
        """The number of the prompt's tokens up to the end of the text `mark`, the last one left out:
        it may merge with what follows it in another prompt."""
        return shared_prefix(self.tokenize(prompt[: prompt.index(mark) + len(mark)]), tokens) - 1

    def _hold_marks(self, tokens: list[int], prompt: str, marks: tuple[str, ...]) -> None:
        """Make the context hold the state of the prompt up to the end of its last mark, and no more:
        the first mark's state restored (`_restore_prefix`), the stretches to the later ones held by
        `hold_stretches` (so the question is always read from the last mark)."""
        held = self._restore_prefix(tokens, prompt, marks[0])
        hold_stretches(self.llama, tokens, held, [self._mark_end(tokens, prompt, m) for m in marks[1:]])

    def complete(self, messages: list[dict[str, str]], **kwargs: Any) -> str:
        return "".join(self.stream(messages, **kwargs))

    def yes_probability(self, messages: list[dict[str, str]], keep: str | None = None,
                        answers: tuple[str, str] = ("yes", "no")) -> float | None:
        """P("yes") / (P("yes") + P("no")) for the reply's first token, read from the logits after the
        prompt (nothing is sampled); `answers` may name other words ("oui", "non"). The common prefix
        with the previous prompt is kept in the cache; with `keep`, the state after the prompt's fixed
        start is restored when another prompt came between (as in `stream`)."""
        prompt, _ = self.format(messages)
        tokens = self.tokenize(prompt)
        yes = set().union(*(self._token_ids(w) for w in (answers[0], answers[0].title())))
        no = set().union(*(self._token_ids(w) for w in (answers[1], answers[1].title())))
        with self.lock:
            if keep:
                self._restore_prefix(tokens, prompt, keep, min_tokens=8)
            llama = self.llama
            n = shared_prefix(llama.input_ids[: llama.n_tokens], tokens[:-1])  # kept; at least one token is read
            llama.n_tokens = n
            llama.eval(tokens[n:])
            logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),)).astype(np.float64)
        p = np.exp(logits - logits.max())
        p_yes, p_no = float(p[list(yes)].sum()), float(p[list(no)].sum())
        return p_yes / (p_yes + p_no) if p_yes + p_no > 0 else None


@atexit.register
def _close_all() -> None:
    """Free llama.cpp contexts before interpreter teardown (avoids noisy __del__ errors)."""
    for llm in _CACHE.values():
        try:
            if isinstance(llm, LLM):
                llm.llama.close()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
    _CACHE.clear()


def get_llm(settings: Settings) -> TextModel:
    """The process-wide LLM for these settings (loaded on first use): in-process, or the
    OpenAI-compatible server at `RAG_LLM_URL` when one is set."""
    m = settings.models
    if m.llm_url:
        from .remote_llm import RemoteLLM

        remote = ("remote", m.llm_url, m.llm_model or m.llm, m.llm_api_key)
        with _LOCK:
            if remote not in _CACHE:
                _CACHE[remote] = RemoteLLM(m.llm_url, m.llm_model or m.llm, m.llm_api_key)  # type: ignore[assignment]
            return _CACHE[remote]
    path = resolve_llm(settings.models.llm, settings.models.models_dir)
    # Everything the loaded model depends on (not the sampling options, which each call passes).
    key = (str(path), settings.generation.n_ctx, settings.models.n_threads, settings.generation.n_batch, settings.generation.seed, settings.generation.prompt_lookup,
           str(settings.models.state_dir))
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = LLM(path, settings)
        return _CACHE[key]


def get_check_llm(settings: Settings, llm: TextModel) -> TextModel:
    """The LLM that answers the verification's yes/no questions: `verification.check_llm` when set
    (a smaller model reads the check's prompt faster), else `llm`, the answering one. A server
    (`RAG_LLM_URL`) answers both."""
    check = settings.verification.check_llm
    if not check or check == settings.models.llm or settings.models.llm_url:
        return llm
    return get_llm(replace(settings, models=replace(settings.models, llm=check)))
