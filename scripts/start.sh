#!/usr/bin/env bash
# From a fresh clone to the chat on the bundled article:
# install everything, fetch and verify the models, build the index, start the chat.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install.sh ui
.venv/bin/rag index build
exec .venv/bin/rag chat
