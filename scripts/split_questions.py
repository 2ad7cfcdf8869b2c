"""Assign every question of a question file to the development or the held-out part, once.

Within each category, questions are ordered by the sha256 of their id (not by content or results),
and a third of them (rounded up), alternating languages, go to the held-out part. Questions that
already have a "split" keep it, so adding questions never moves old ones. Run once after adding
questions, before any result on them is seen:

    python scripts/split_questions.py eval/questions.jsonl
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections import defaultdict


def assign(items: list[dict]) -> None:
    groups: dict[str, list[dict]] = defaultdict(list)
    for q in items:
        if "split" not in q:
            groups[q.get("category", "fact")].append(q)
    for qs in groups.values():
        by_lang: dict[str, list[dict]] = defaultdict(list)
        for q in sorted(qs, key=lambda q: hashlib.sha256(q["id"].encode()).hexdigest()):
            by_lang[q.get("language", "en")].append(q)
        held = math.ceil(len(qs) / 3)
        langs = sorted(by_lang)
        i = 0
        while held > 0:
            pool = by_lang[langs[i % len(langs)]]
            if pool:
                pool.pop(0)["split"] = "heldout"
                held -= 1
            i += 1
        for q in qs:
            q.setdefault("split", "dev")


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        items = [json.loads(line) for line in f if line.strip()]
    assign(items)
    with open(path, "w", encoding="utf-8") as f:
        for q in items:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
