"""What the installed llama.cpp build needs on this CPU when a model loads.

llama.cpp's AMX backend, which a native build compiles on Intel CPUs with AMX, crashes the process
with a general protection fault at the first batched prompt of these Q4_K models (llama.cpp issue
20824; seen on Xeon VMs). `scripts/install.sh` builds llama-cpp-python without it; a build that has
it anyway (installed another way) loads its models without llama.cpp's extra weight buffers, AMX's
among them, so those kernels never run. Measured on such a CPU: prompts read faster, tokens generated
slower, answers about 5% slower (p50) than with the buffers (docs/quality-log.md, tenth step).
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Iterator


@functools.lru_cache(maxsize=1)
def has_amx() -> bool:
    """Was the installed llama.cpp built with its AMX backend?"""
    import llama_cpp

    return b"AMX_INT8 = 1" in llama_cpp.llama_print_system_info()


@contextmanager
def model_params_for_this_build() -> Iterator[None]:
    """Inside, llama-cpp-python's `Llama(...)` loads its model with the parameters this build needs
    (it takes no argument for them: its default parameters are replaced meanwhile, under the caller's
    load lock)."""
    if not has_amx():
        yield
        return
    import llama_cpp.llama_cpp as bindings

    default = bindings.llama_model_default_params

    def without_extra_buffers():
        params = default()
        params.use_extra_bufts = False
        return params

    bindings.llama_model_default_params = without_extra_buffers
    try:
        yield
    finally:
        bindings.llama_model_default_params = default
