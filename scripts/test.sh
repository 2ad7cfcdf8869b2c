#!/usr/bin/env bash
# Install what the tests need, then run every tier (unit and integration, on the real models).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install.sh test
.venv/bin/python -m pytest "$@"
