#!/usr/bin/env bash
# Warm latency of the answer path at several commits, one after the other on this machine: each commit
# in a worktree of its own (with its own index of the six SQuAD articles) answers the 90 SQuAD
# questions of ../shared/eval-squad with `rag eval`; p50 and p95 are printed per commit. Run it with
# nothing else on the machine: only runs of one invocation are comparable.
#   bash scripts/latency_at.sh 3537fa2 HEAD      (reports in eval-out/latency/<commit>/)
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 GRADIO_ANALYTICS_ENABLED=False
SHARED="$(cd "${SHARED:-../shared}" && pwd)"
OUT="${OUT:-eval-out/latency}"
mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)"
PY="$PWD/.venv/bin/python"
for rev in "$@"; do
  sha="$(git rev-parse --short "$rev")"
  tree="$OUT/tree-$sha"
  [ -d "$tree" ] || git worktree add --detach "$tree" "$sha" >/dev/null
  # `python -m rag` in the worktree runs that commit's code with this checkout's installed packages
  (cd "$tree" && "$PY" -m rag index build "$SHARED"/eval-squad/docs/*.txt --index "$OUT/index-$sha" >/dev/null \
     && "$PY" -m rag eval --questions "$SHARED/eval-squad/questions.jsonl" --index "$OUT/index-$sha" --out "$OUT/$sha" >/dev/null)
  "$PY" -c 'import json, sys; o = json.load(open(sys.argv[1]))["overall"]
print("%s: p50 %.2f s, p95 %.2f s, first token p50 %.2f s" % (sys.argv[2], o["latency_p50_s"], o["latency_p95_s"], o["ttft_p50_s"]))' \
    "$OUT/$sha/report.json" "$sha"
  git worktree remove --force "$tree"
done
