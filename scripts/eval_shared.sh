#!/usr/bin/env bash
# The development sets nobody on the team wrote, from ../shared (beside every checkout):
# English SQuAD 2.0 (six articles, answerable and adversarial unanswerable questions) and French PIAF
# (eight articles). Each is one knowledge base of all its articles, built under $OUT.
#   bash scripts/eval_shared.sh [squad|piaf]...      (default: both; reports in eval-out/<set>/)
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 GRADIO_ANALYTICS_ENABLED=False
SHARED="${SHARED:-../shared}"
OUT="${OUT:-eval-out}"
for set in "${@:-squad piaf}"; do
  for s in $set; do
    .venv/bin/rag index build "$SHARED/eval-$s"/docs/*.txt --index "$OUT/index-$s"
    .venv/bin/rag eval --questions "$SHARED/eval-$s/questions.jsonl" --index "$OUT/index-$s" --out "$OUT/$s"
  done
done
