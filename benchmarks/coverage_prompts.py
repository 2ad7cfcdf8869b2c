"""The coverage check's yes/no under another prompt, on the words a recording run asked.

A recording run (`RAG_MIN_ASKED_P=0.001 RAG_MIN_NOUN_P=0.001 rag eval …`, see
`benchmarks/coverage_threshold.py`) keeps every answer and each asked word's P("yes") under the
shipped prompt. This asks the same words again, about the same cited sentences and question, under a
candidate prompt, then prints for each threshold what the check would do under the shipped prompt (as
recorded) and under the candidate: right answers lost, wrong answers withheld, unanswerable questions
withheld; and the candidate's time per word. Only the development part of a question set is read.

    python -m benchmarks.coverage_prompts CANDIDATE REPORT.json [REPORT.json…]

CANDIDATE is a folder holding `user.txt` (with $sentence, $question and $word) and optionally
`system.txt`, or `shipped` for prompts/coverage.user.txt. The variants of the twenty-first step of
docs/quality-log.md are in benchmarks/coverage_candidates/. Asked again under the shipped prompt, the
probabilities come back within a few hundredths of those recorded (the same words, read in other
batches).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from string import Template

THRESHOLDS = (0.5, 0.55, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.72, 0.75, 0.78, 0.8)


def sweep(rows: list[dict], key: str, thresholds: tuple[float, ...] = THRESHOLDS) -> list[tuple[float, int, int, int]]:
    """(threshold, right answers lost, wrong answers withheld, unanswerables withheld) under `key`."""
    out = []
    for t in thresholds:
        fires = [r for r in rows if any(p < t for p in r[key].values())]
        right = sum(1 for r in fires if r["answerable"] and r["correct"])
        unanswerable = sum(1 for r in fires if not r["answerable"])
        out.append((t, right, len(fires) - right - unanswerable, unanswerable))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.coverage_prompts", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("candidate", type=Path)
    ap.add_argument("reports", nargs="+", type=Path)
    args = ap.parse_args(argv)
    from rag.llm import get_llm
    from rag.paths import prompts_dir
    from rag.settings import Settings, set_offline_environment

    set_offline_environment()

    shipped = str(args.candidate) == "shipped"
    system_file = args.candidate / "system.txt"
    system = system_file.read_text(encoding="utf-8").strip() if not shipped and system_file.exists() else None
    user_file = prompts_dir() / "coverage.user.txt" if shipped else args.candidate / "user.txt"
    user = Template(user_file.read_text(encoding="utf-8").rstrip("\n"))
    keep = system or user.template.split("$", 1)[0]
    llm = get_llm(Settings.from_env())
    rows, asked, spent = [], 0, 0.0
    for path in args.reports:
        for r in json.loads(path.read_text(encoding="utf-8"))["rows"]:
            if r["abstained"] or not r.get("coverage") or r.get("split", "dev") != "dev":
                continue
            evidence = " ".join(c["quote"] for c in r["citations"])
            question = r["rewritten_query"] or r["question"]
            new = {}
            for word in r["coverage"]:
                messages = ([{"role": "system", "content": system}] if system else []) + \
                    [{"role": "user", "content": user.substitute(sentence=evidence, question=question, word=word)}]
                t0 = time.perf_counter()
                p = llm.yes_probability(messages, keep=keep)
                spent += time.perf_counter() - t0
                asked += 1
                new[word] = round(p, 4) if p is not None else 1.0
            rows.append({"answerable": r["question_answerable"], "correct": r["metrics"]["correct"],
                         "recorded": r["coverage"], "candidate": new})
    print(f"{len(rows)} answers checked, {asked} words asked, {spent / max(asked, 1):.3f} s a word under the candidate")
    print("threshold  recorded: right lost / wrong withheld / unanswerable withheld   candidate: the same")
    for (t, *a), (_, *b) in zip(sweep(rows, "recorded"), sweep(rows, "candidate")):
        print(f"    {t:.2f}            {a[0]:3d} / {a[1]:3d} / {a[2]:3d}                                 {b[0]:3d} / {b[1]:3d} / {b[2]:3d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
