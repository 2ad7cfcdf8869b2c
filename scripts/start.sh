#!/usr/bin/env bash
# From a fresh clone to the chat on the bundled article:
# install everything, fetch and verify the models, build the index, open the browser chat
# on http://127.0.0.1:7860.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install.sh ui
.venv/bin/rag index build
exec .venv/bin/rag ui
