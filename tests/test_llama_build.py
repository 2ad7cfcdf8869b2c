"""The compiled llama.cpp runs on this CPU (llama-cpp-python is built from source by the set-up step).

llama.cpp's AMX backend, which a native build compiles on Intel CPUs with AMX, crashes the process with
a general protection fault at the first prompt of a Q4_K model (seen on this workplace's Xeon VMs;
llama.cpp issue 20824): `scripts/install.sh` builds without it there. A crash is a signal, not an
exception, so the prompt is read in a child process and its exit status checked. A build with AMX
installed another way loads its models without the extra weight buffers that hold AMX's (`rag.llama_build`).
"""

from __future__ import annotations

import os
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
    from rag.llama_build import has_amx

    assert not has_amx(), (
        "llama-cpp-python was built with llama.cpp's AMX backend, which crashes on this CPU: run "
        "scripts/install.sh again (it rebuilds it without), or build with -mno-amx-tile -mno-amx-int8")


READ_A_PROMPT = """
from rag.llm import get_llm
from rag.settings import Settings
llm = get_llm(Settings.from_env(llm="qwen2.5-0.5b"))
text = "The quick brown fox jumps over the lazy dog. " * 20
out = llm.complete([{"role": "user", "content": text + "What does the fox do?"}], max_tokens=4, temperature=0.0, seed=0)
print(llm.last.prompt_tokens, len(out))
"""


@pytest.mark.integration
def test_the_llm_reads_a_prompt_of_many_tokens_in_a_child_process(tmp_path):
    """The product's LLM (the fast model) reads a batched prompt, where the AMX kernels crashed, and
    writes a few tokens: a crash shows as a negative exit status, with a message saying what to do."""
    env = {**os.environ, "RAG_STATE_DIR": str(tmp_path / "states")}
    done = subprocess.run([sys.executable, "-c", READ_A_PROMPT], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, (f"llama.cpp ended with status {done.returncode} reading a prompt; rebuild "
                                  f"llama-cpp-python with scripts/install.sh: {done.stderr[-500:]}")
    read, written = map(int, done.stdout.split()[-2:])
    assert read > 200 and written >= 1


def test_a_build_with_amx_loads_models_without_the_extra_weight_buffers(monkeypatch):
    """Installed another way, with AMX: models load without llama.cpp's extra buffers (AMX's), and the
    default parameters are put back after."""
    import llama_cpp.llama_cpp as bindings

    from rag import llama_build

    default = bindings.llama_model_default_params
    monkeypatch.setattr(llama_build, "has_amx", lambda: True)
    with llama_build.model_params_for_this_build():
        assert bindings.llama_model_default_params().use_extra_bufts is False
    assert bindings.llama_model_default_params is default
    assert default().use_extra_bufts is True
    monkeypatch.setattr(llama_build, "has_amx", lambda: False)
    with llama_build.model_params_for_this_build():
        assert bindings.llama_model_default_params is default
