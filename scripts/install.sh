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
export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
.venv/bin/pip install --quiet -e ".[${1:-ui}]"
# Assemble and verify the models (idempotent: a verified model is not redone).
.venv/bin/rag models fetch
