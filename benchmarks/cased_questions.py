"""A question file with every question written in capitals or in title case, to run `rag eval` on.

    python -m benchmarks.cased_questions QUESTIONS.jsonl OUT.jsonl --case upper|title

People type questions in capitals ("WHEN DOES THE POOL OPEN?") or capitalise every word; the answers
should not depend on it. Writes the same questions (ids, keys, gold spans unchanged; follow-up history
too) in that case, for `rag eval --questions OUT.jsonl` beside a run of the original file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rag.lang.words import WORD


def recased(text: str, case: str) -> str:
    if case == "upper":
        return text.upper()
    return WORD.sub(lambda m: m.group()[:1].upper() + m.group()[1:], text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cased_questions", description=__doc__.splitlines()[0])
    parser.add_argument("questions")
    parser.add_argument("out")
    parser.add_argument("--case", choices=("upper", "title"), required=True)
    args = parser.parse_args(argv)
    lines = []
    for line in Path(args.questions).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        q["question"] = recased(q["question"], args.case)
        q["history"] = [[recased(turn[0], args.case), *turn[1:]] for turn in q.get("history") or []]
        lines.append(json.dumps(q, ensure_ascii=False))
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} questions in {args.case} case -> {args.out}")


if __name__ == "__main__":
    main()
