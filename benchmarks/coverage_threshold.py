"""What each threshold of the coverage check would do, from `rag eval` reports.

Run `rag eval` with the check on at a threshold so low it never fires (every unmatched word's P(yes)
is then recorded in the report's rows), then sweep thresholds over those reports:

    RAG_MIN_ASKED_P=0.001 rag eval --questions Q.jsonl --index IDX --out OUT
    python -m benchmarks.coverage_threshold OUT/report.json [more reports...]

For each threshold: right answers it would turn into abstentions (lost), wrong answers to answerable
questions it would turn into abstentions, and unanswerable questions it would newly abstain on
(gained), plus the check's mean time per question it ran on. Nothing is re-run; the LLM is not loaded.

The check runs last, so each answer's latency without it is its total less its `coverage_s`: the
p50/p95 printed with and without the check come from the same run. That difference understates the
check's cost when its prompt makes the next question slower (it did once: the check's prompt evicted
the answer prompt's cached start, docs/quality-log.md, fourth step); compare with a run of the check switched off
(`RAG_MIN_ASKED_P=0`) for the whole cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from rag.evaluate import percentile

THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.76, 0.765, 0.77, 0.775, 0.8, 0.85, 0.9)


def sweep(rows: list[dict], thresholds: tuple[float, ...] = THRESHOLDS) -> list[dict]:
    """Per threshold, what the check would change among the answered rows that it ran on."""
    checked = [r for r in rows if not r["abstained"] and r.get("coverage") is not None]
    out = []
    for t in thresholds:
        fires = [r for r in checked if any(p < t for p in r["coverage"].values())]
        out.append({
            "threshold": t,
            "right_lost": sum(1 for r in fires if r["question_answerable"] and r["metrics"]["correct"]),
            "wrong_abstained": sum(1 for r in fires if r["question_answerable"] and not r["metrics"]["correct"]),
            "unanswerable_gained": sum(1 for r in fires if not r["question_answerable"]),
        })
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.coverage_threshold", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reports", nargs="+", type=Path)
    ap.add_argument("--split", choices=("dev", "heldout"), help="only this part of the question sets")
    args = ap.parse_args(argv)
    rows = []
    for path in args.reports:
        report = json.loads(path.read_text(encoding="utf-8"))
        rows += [r for r in report["rows"] if not args.split or r.get("split", "dev") == args.split]
    checked = [r for r in rows if r.get("coverage") is not None]
    answered = [r for r in rows if not r["abstained"]]
    unanswerable_answered = sum(1 for r in answered if not r["question_answerable"])
    times = [r["timings"]["coverage_s"] for r in checked if r["timings"].get("coverage_s") is not None]
    print(f"{len(rows)} questions, {len(answered)} answered ({unanswerable_answered} of them unanswerable), "
          f"check ran on {len(checked)}; words asked: {sum(len(r['coverage']) for r in checked)}; "
          f"time per checked question: mean {statistics.mean(times) if times else 0:.2f} s")
    with_check = sorted(r["timings"]["total_s"] for r in rows)
    without = sorted(r["timings"]["total_s"] - (r["timings"].get("coverage_s") or 0.0) for r in rows)
    print(f"latency p50/p95 with the check {percentile(with_check, .5)}/{percentile(with_check, .95)} s, "
          f"without it {percentile(without, .5)}/{percentile(without, .95)} s (same run)")
    print("threshold  right answers lost  wrong answers abstained  unanswerables newly abstained")
    for s in sweep(rows):
        print(f"{s['threshold']:9.3f}  {s['right_lost']:18d}  {s['wrong_abstained']:23d}  {s['unanswerable_gained']:29d}")
    for line in near_the_lowest_right(rows):
        print(line)
    return 0


def near_the_lowest_right(rows: list[dict], below: float = 0.02) -> list[str]:
    """The lowest word of each right answer's check, the lowest first, and the words of wrong answers
    and unanswerable questions within `below` under the lowest: where a threshold has room."""
    checked = [r for r in rows if not r["abstained"] and r.get("coverage")]
    right = sorted((min(r["coverage"].values()), r["id"]) for r in checked
                   if r["question_answerable"] and r["metrics"]["correct"])
    if not right:
        return []
    low = right[0][0]
    under = sorted(((p, w, r["id"]) for r in checked if not (r["question_answerable"] and r["metrics"]["correct"])
                    for w, p in r["coverage"].items() if low - below <= p < low), reverse=True)
    return (["lowest words of right answers: " + ", ".join(f"{p:.4f} ({i})" for p, i in right[:3])]
            + [f"  under it: {p:.4f} '{w}' ({i})" for p, w, i in under])


if __name__ == "__main__":
    raise SystemExit(main())
