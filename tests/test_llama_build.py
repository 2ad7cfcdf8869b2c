"""The compiled llama.cpp runs on this CPU (llama-cpp-python is built from source by the set-up step).

llama.cpp's AMX backend, which a native build compiles on Intel CPUs with AMX, crashes the process with
a general protection fault at the first prompt of a Q4_K model (seen on this workplace's Xeon VMs;
llama.cpp issue 20824): `scripts/install.sh` builds without it there. A crash is a signal, not an
exception, so the prompt is read in a child process and its exit status checked.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    line = next((ln for ln in text.splitlines() if ln.startswith("flags")), "")
    return set(line.partition(":")[2].split())


def test_llama_cpp_is_built_without_amx_on_a_cpu_with_amx():
    if "amx_int8" not in _cpu_flags():
        pytest.skip("this CPU has no AMX")
    import llama_cpp

    info = llama_cpp.llama_print_system_info()
    assert b"AMX_INT8 = 1" not in info, (
        "llama-cpp-python was built with llama.cpp's AMX backend, which crashes on this CPU: run "
        f"scripts/install.sh again (it rebuilds it without), or build with -mno-amx-tile -mno-amx-int8 ({info!r})")


READ_A_PROMPT = """
import sys
from llama_cpp import Llama
llm = Llama(sys.argv[1], n_ctx=512, n_batch=512, n_threads=2, n_threads_batch=2, verbose=False)
tokens = llm.tokenize(("The quick brown fox jumps over the lazy dog. " * 20).encode())
llm.eval(tokens)
out = llm.create_completion(tokens[:30], max_tokens=4, temperature=0.0)
print(len(tokens), out["usage"]["completion_tokens"])
"""


@pytest.mark.integration
def test_llama_cpp_reads_a_prompt_of_many_tokens_in_a_child_process(real_settings):
    """The batched prompt path (where the AMX kernels crashed) and a few generated tokens, with the
    fast model: a crash shows as a negative exit status, with a message saying what to do."""
    from rag.models import resolve_llm

    path = resolve_llm("qwen2.5-0.5b", real_settings.models.models_dir)
    done = subprocess.run([sys.executable, "-c", READ_A_PROMPT, str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (f"llama.cpp ended with status {done.returncode} reading a prompt; rebuild "
                                  f"llama-cpp-python with scripts/install.sh: {done.stderr[-500:]}")
    read, generated = map(int, done.stdout.split())
    assert read > 200 and generated >= 1
