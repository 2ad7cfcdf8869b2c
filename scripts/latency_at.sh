#!/usr/bin/env bash
# Warm latency of the answer path at several commits, one after the other on this machine: each commit
# in a worktree of its own (with its own index of the six SQuAD articles) answers the 90 SQuAD
# questions of ../shared/eval-squad with `rag eval`; p50 and p95 are printed per commit and run. Run it
# with nothing else on the machine: only runs of one invocation are comparable.
#   bash scripts/latency_at.sh 3537fa2 HEAD             (reports in eval-out/latency/<commit>/)
#   ROUNDS=2 bash scripts/latency_at.sh 3537fa2 HEAD    (A B, then B A: reports in <commit>-r1/, <commit>-r2/)
# With ROUNDS=2 the commits run in order, then in reverse order, and each commit's two runs are
# averaged: a machine that drifts during the invocation (these VMs' timings vary by 5-15% between
# runs of the same code) then weighs on every commit alike.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 GRADIO_ANALYTICS_ENABLED=False
SHARED="$(cd "${SHARED:-../shared}" && pwd)"
OUT="${OUT:-eval-out/latency}"
ROUNDS="${ROUNDS:-1}"
mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)"
PY="$PWD/.venv/bin/python"
shas=()
for rev in "$@"; do
  sha="$(git rev-parse --short "$rev")"
  shas+=("$sha")
  tree="$OUT/tree-$sha"
  [ -d "$tree" ] || git worktree add --detach "$tree" "$sha" >/dev/null
  # `python -m rag` in the worktree runs that commit's code with this checkout's installed packages
  (cd "$tree" && "$PY" -m rag index build "$SHARED"/eval-squad/docs/*.txt --index "$OUT/index-$sha" >/dev/null)
done
run() {  # run SHA REPORT_DIR
  (cd "$OUT/tree-$1" && "$PY" -m rag eval --questions "$SHARED/eval-squad/questions.jsonl" --index "$OUT/index-$1" --out "$2" >/dev/null)
  "$PY" -c 'import json, sys; o = json.load(open(sys.argv[1]))["overall"]
print("%s: p50 %.2f s, p95 %.2f s, first token p50 %.2f s" % (sys.argv[2], o["latency_p50_s"], o["latency_p95_s"], o["ttft_p50_s"]))' \
    "$2/report.json" "$3"
}
if [ "$ROUNDS" = 1 ]; then
  for sha in "${shas[@]}"; do run "$sha" "$OUT/$sha" "$sha"; done
else
  order=("${shas[@]}")
  for r in $(seq 1 "$ROUNDS"); do
    for sha in "${order[@]}"; do run "$sha" "$OUT/$sha-r$r" "$sha (run $r)"; done
    reversed=(); for ((i=${#order[@]}-1; i>=0; i--)); do reversed+=("${order[i]}"); done; order=("${reversed[@]}")
  done
  "$PY" - "$OUT" "$ROUNDS" "${shas[@]}" <<'EOF'
import json, sys
out, rounds, shas = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
mean = {}
for sha in shas:
    runs = [json.load(open(f"{out}/{sha}-r{r}/report.json"))["overall"] for r in range(1, rounds + 1)]
    mean[sha] = [sum(o[k] for o in runs) / rounds for k in ("latency_p50_s", "latency_p95_s")]
base = mean[shas[0]]
for sha in shas:
    p50, p95 = mean[sha]
    print(f"{sha}: mean of {rounds} runs p50 {p50:.2f} s ({100 * (p50 / base[0] - 1):+.1f}%), "
          f"p95 {p95:.2f} s ({100 * (p95 / base[1] - 1):+.1f}%)")
EOF
fi
for sha in "${shas[@]}"; do git worktree remove --force "$OUT/tree-$sha"; done
