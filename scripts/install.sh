#!/usr/bin/env bash
# Shared install step: a virtual environment in .venv with the project and the
# extras named in $1 (e.g. "ui" or "test"). Sourced by start.sh and test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
.venv/bin/pip install --quiet torch==2.13.0
# llama-cpp-python compiles from source (about 4 min on 2 cores here without the multimodal part,
# once: pip caches the wheel). An OpenBLAS build was measured slower on this CPU (README, Speed).
# On CPUs with AMX (Intel Sapphire Rapids and later) the native build also compiles llama.cpp's AMX
# backend, whose Q4_K kernels crash the process at the first prompt (a general protection fault in
# libggml-cpu, seen on this workplace's Xeon VMs; llama.cpp issue 20824): built without it there.
NO_AMX=""
if grep -qw amx_int8 /proc/cpuinfo 2>/dev/null; then
  F="-mno-amx-tile\\ -mno-amx-int8\\ -mno-amx-bf16"
  NO_AMX=" -DCMAKE_C_FLAGS=$F -DCMAKE_CXX_FLAGS=$F"
fi
export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF$NO_AMX}" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
.venv/bin/pip install --quiet -e ".[${1:-ui}]"
# pip's wheel cache does not know the build flags: a wheel built here before with AMX is built again.
AMX_BUILT=$(.venv/bin/python -c "from rag.llama_build import has_amx; print(int(has_amx()))")
if [ -n "$NO_AMX" ] && [ "$AMX_BUILT" = 1 ]; then
  echo "llama-cpp-python was built with AMX, which crashes on this CPU: building it again without (about 4 minutes)" >&2
  .venv/bin/pip cache remove llama_cpp_python >/dev/null 2>&1 || true
  .venv/bin/pip install --quiet --force-reinstall --no-deps "$(.venv/bin/python -c 'import importlib.metadata as m; print("llama-cpp-python==" + m.version("llama-cpp-python"))')"
fi
# Assemble and verify the models (idempotent: a verified model is not redone).
.venv/bin/rag models fetch
