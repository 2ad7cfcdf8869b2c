"""Greedy decoding under the answer grammar, checked lazily; the schema's fixed text read rather
than generated; and the model's confidence in "answerable" read from the logits on the way
(in-process llama.cpp only)."""

from __future__ import annotations

import ctypes
import json
import re
from typing import Any

import numpy as np

from .errors import ModelError


class GreedyGrammarSampler:
    """Greedy decoding under a grammar, checking the grammar lazily.

    llama-cpp-python runs the grammar over the whole vocabulary (151k tokens for Qwen) at every
    step, which costs about a third of the generation time on 2 cores. Like llama.cpp's own
    common sampler, this first checks only the most likely token and falls back to filtering the
    whole vocabulary when the grammar rejects it. The chosen token is the same either way: the most
    likely token the grammar allows.
    """

    def __init__(self, llama: Any, grammar: Any, probe: "Probe | None" = None) -> None:
        import llama_cpp as C

        self._c = C
        self._probe = probe
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
        if self._probe is not None:
            self._probe.see(token, logits)
        self._c.llama_sampler_accept(self._sampler, token)
        return token

    def close(self) -> None:
        if self._sampler:
            self._c.llama_sampler_free(self._sampler)
            self._sampler = None

    def __del__(self) -> None:
        self.close()


class Probe:
    """The model's confidence in the first JSON boolean it writes (the answer schema's "answerable"):
    the probability of `true` against `false` at that step, from the logits the sampler already has."""

    def __init__(self, true_ids: set[int], false_ids: set[int]) -> None:
        self.true_ids, self.false_ids = true_ids, false_ids
        self.p_true: float | None = None

    def see(self, token: int, logits: np.ndarray) -> None:
        if self.p_true is None and (token in self.true_ids or token in self.false_ids):
            t = max(float(logits[i]) for i in self.true_ids)
            f = max(float(logits[i]) for i in self.false_ids)
            self.p_true = 1.0 / (1.0 + float(np.exp(f - t)))


def schema_segments(schema: dict[str, Any]) -> list[tuple[str, str]] | None:
    """A JSON object schema whose properties are all required, split at its fixed text: for each
    property, the text before its value (`{"key":`, then ` "key":`) and a grammar for the value with
    the comma (or closing brace) after it. None for any other schema.

    The fixed text is the same in every reply, so it is read as part of the prompt, in one batch,
    instead of being generated one token at a time: on 2 cores a batch of 13 tokens takes about
    0.23 s where 13 generation steps take 0.47 s (docs/quality-log.md, sixth step). The value grammars together accept
    the replies the whole schema's grammar accepts with the model's usual spacing."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    properties = schema.get("properties") if schema.get("type") == "object" else None
    if not properties or list(schema.get("required", [])) != list(properties):
        return None
    out = []
    for i, (key, value) in enumerate(properties.items()):
        gbnf = re.sub(r"^root ::=", "segment-value ::=", json_schema_to_gbnf(json.dumps(value)), flags=re.M)
        if not re.search(r"^space ::=", gbnf, flags=re.M):
            gbnf += '\nspace ::= " "?'
        after = '"}"' if i == len(properties) - 1 else '","'
        out.append((("{" if i == 0 else " ") + json.dumps(key) + ":", f"{gbnf}\nroot ::= space segment-value {after}\n"))
    return out
