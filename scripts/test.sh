#!/usr/bin/env bash
# Install what the tests need, then run every tier (unit and integration, on the real models,
# and the browser tests in Debian's headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "the browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    exit 2
  fi
fi
source scripts/install.sh test
.venv/bin/python -m pytest "$@"
