"""Warm-up: both models loaded and the answer prompt's fixed start read before the first question."""

from __future__ import annotations

import time

from . import lang
from .context import build_context
from .index import Index, default_index
from .llm import get_check_llm, get_llm
from .settings import Settings, settings_or_env


def warm_up(index: Index | None = None, settings: Settings | None = None) -> dict[str, float]:
    """Load both models, read the fixed start of the answer prompt (with a small knowledge base
    shown whole, restore or compute its saved state) and the holiday tables, so that the first question pays only for
    itself. Returns the seconds each step took. The chat calls it in the background at start."""
    settings = settings_or_env(settings)
    index = index or default_index(settings)
    t0 = time.perf_counter()
    index.embedder(settings).queries(["warm up"])
    t1 = time.perf_counter()
    llm = get_llm(settings)
    get_check_llm(settings, llm)  # loaded too when the verification has a model of its own
    t2 = time.perf_counter()
    context = build_context(index, [], settings)
    for language in ("en", "fr") if context.whole else ("en",):
        messages = context.messages("?", language)
        llm.complete(messages, max_tokens=1, temperature=0.0, seed=settings.generation.seed, keep=context.marks(messages))
    t3 = time.perf_counter()
    lang.dated("Christmas Day")  # the holiday tables (`lang.dates`), read once a process
    return {"embedder_s": t1 - t0, "llm_load_s": t2 - t1, "prompt_s": t3 - t2, "holidays_s": time.perf_counter() - t3}
