"""Kept model states of fixed prompt starts (llama.cpp KV cache), in RAM and on disk.

A prompt that always starts the same way (the whole knowledge base, the answer's system prompt, the
coverage check's template) has the llama.cpp state after that start saved once and restored when
another prompt came between, so only the rest of the prompt is read. On disk (`state_dir`) the
states outlive the process: a new process skips reading the start again.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
from pathlib import Path
from typing import Any

import numpy as np

KEPT = 4  # states kept, in RAM and on disk


class PrefixStates:
    """The states of a few prompt prefixes of one model, by a hash of the model and the tokens."""

    def __init__(self, model: str, state_dir: Path | None) -> None:
        self.model = model  # the model file (name and size); the key adds the context size and llama.cpp version
        self.state_dir = state_dir
        self.states: dict[str, bytes] = {}  # key -> llama.cpp context state, most recent first

    def restore(self, llama: Any, prefix: list[int]) -> None:
        """Make `llama`'s context hold the state after `prefix`: already there, restored, or read
        and then kept."""
        tokens = np.asarray(prefix, dtype=np.intc)
        if holds(llama, tokens):
            return  # already there
        import llama_cpp as C

        key = hashlib.sha256(f"{self.model}|{llama.n_ctx()}|{C.__version__}|".encode() + tokens.tobytes()).hexdigest()[:24]
        blob = self.states.get(key) or self._read(key)
        if blob is None:
            llama.reset()
            llama.eval(tokens.tolist())
            blob = _context_state(llama)
            self._write(key, blob)
        elif not put_state(llama, tokens, blob):
            return
        self.states = {key: blob, **{k: v for k, v in list(self.states.items())[: KEPT - 1] if k != key}}

    def _read(self, key: str) -> bytes | None:
        path = self.state_dir / f"{key}.kvstate" if self.state_dir else None
        try:
            return path.read_bytes() if path else None
        except OSError:
            return None

    def _write(self, key: str, blob: bytes) -> None:
        """Save a state on disk (atomic; the most recent few kept) so a new process skips reading it."""
        if not self.state_dir:
            return
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            tmp = self.state_dir / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(blob)
            os.replace(tmp, self.state_dir / f"{key}.kvstate")
            old = sorted(self.state_dir.glob("*.kvstate"), key=lambda p: p.stat().st_mtime, reverse=True)[KEPT:]
            for path in old:
                path.unlink(missing_ok=True)
        except OSError:
            pass  # a cache: answering works without it


def holds(llama: Any, tokens: Any) -> bool:
    """Does `llama`'s context hold the state of these tokens (and maybe more after them)?"""
    n = len(tokens)
    return llama.n_tokens >= n and np.array_equal(llama.input_ids[:n], np.asarray(tokens, dtype=np.intc))


def shared_prefix(a: Any, b: Any) -> int:
    """How many tokens two token sequences share from the start."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def hold_stretches(llama: Any, tokens: list[int], held: int, ends: list[int]) -> None:
    """Make `llama`'s context hold `tokens` up to the last of `ends`, and no more, given that it holds
    the first `held`. Each stretch up to the next end is kept when the context already holds it and
    otherwise read on its own, from the end before. What follows the last end is then always read from
    there: an answer does not depend on which prompt came before it. (llama.cpp would reuse every
    token shared with the previous prompt; the rest, read from another position, in other batches,
    gives slightly different numbers, and now and then another greedy answer.)"""
    for end in ends:
        if end <= held:
            continue
        if not holds(llama, tokens[:end]):
            llama.n_tokens = held  # eval() drops the model state after n_tokens
            llama.eval(tokens[held:end])
        held = end
    llama.n_tokens = min(llama.n_tokens, held)


def put_state(llama: Any, tokens: Any, blob: bytes) -> bool:
    """Make `llama`'s context the saved state `blob` of `tokens` (False, and an empty context, when
    llama.cpp refuses it)."""
    import llama_cpp as C

    buf = (ctypes.c_uint8 * len(blob)).from_buffer_copy(blob)
    if C.llama_state_set_data(llama._ctx.ctx, buf, len(blob)) != len(blob):
        llama.reset()
        return False
    llama.input_ids[: len(tokens)] = tokens
    llama.n_tokens = len(tokens)
    llama._requires_eval = True  # the logits are not restored: the rest of the next prompt refreshes them
    return True


def held_state(llama: Any) -> tuple[Any, bytes] | None:
    """The tokens llama.cpp's context holds and their state, to put back with `put_state` (None when empty)."""
    n = llama.n_tokens
    return (np.array(llama.input_ids[:n], dtype=np.intc), _context_state(llama)) if n else None


def _context_state(llama: Any) -> bytes:
    import llama_cpp as C

    ctx = llama._ctx.ctx
    size = C.llama_state_get_size(ctx)
    buf = (ctypes.c_uint8 * size)()
    n = C.llama_state_get_data(ctx, buf, size)
    return bytes(memoryview(buf)[:n])
