"""Would the LLM's yes/no answer tell right answers from wrong ones? Two checks, measured on `rag eval` reports.

    python -m benchmarks.yes_no_checks REPORT.json [more reports...]   (development rows only)

- `claim`: each answer put to the model in a prompt of its own, beside the sentences it cites: "Do the
  sentences give this answer to the question?" (`claim+question`) and "Do the sentences state this
  claim?" (`claim`). A claim-level entailment judge, one prompt per answer.
- `french words`: the coverage check (`rag/coverage.py`, English only by default) on French questions
  over French evidence, with its own English prompt (`prompts/coverage.user.txt`) and with the same
  question asked in French, read as P("oui") against P("non").

For each threshold: right answers the check would withhold, and wrong answers (or answered
unanswerable questions) it would catch, per report. Nothing is changed in the product; each prompt's
time is printed. The model is the default LLM (RAG_LLM to change it); held-out rows are never read.
"""

from __future__ import annotations

import argparse
import json
import re
import string
import time
from pathlib import Path

import numpy as np

from rag import lang, prompts
from rag.coverage import unmatched
from rag.llm import LLM, get_llm
from rag.settings import set_offline_environment, settings_or_env

THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
CLAIM_PROMPTS = {
    "claim+question": 'Sentences: "$evidence"\n\nQuestion: "$question"\n\nAnswer: "$claim"\n\nDo the sentences give '
                      "this answer to the question (the same people, things, numbers and dates, in the same "
                      "relation)? Answer yes or no.",
    "claim": 'Sentences: "$evidence"\n\nClaim: "$claim"\n\nDo the sentences state this claim (the same people, '
             "things, numbers and dates, in the same relation)? Answer yes or no.",
}
FRENCH_WORD_PROMPT = ("Phrase : « $sentence »\n\nQuestion : « $question »\n\nLa phrase dit-elle « $word » (le même "
                      "mot, ou un mot de même sens que « $word » dans la question, pas un mot différent ou "
                      "contraire) ? Réponds oui ou non.")


def probability(llm: LLM, text: str, yes: str = "yes", no: str = "no") -> float:
    """P(yes) / (P(yes) + P(no)) as the reply's first token."""
    return llm.yes_probability([{"role": "user", "content": text}], answers=(yes, no))


def measure(llm: LLM, row: dict) -> dict:
    """The row's probabilities under every prompt (a French row's words under both coverage prompts)."""
    claim = re.sub(r"\s*\[\d+\]", "", row["answer"]).strip()
    evidence = " ".join(c["quote"] for c in row["citations"])
    out: dict = {"right": bool(row["question_answerable"] and row["metrics"]["correct"]), "seconds": {}}
    for name, template in CLAIM_PROMPTS.items():
        t = time.perf_counter()
        out[name] = probability(llm, string.Template(template).safe_substitute(
            evidence=evidence, question=row["question"], claim=claim))
        out["seconds"][name] = time.perf_counter() - t
    if row["language"] == "fr" and lang.language_of(evidence) == "fr":  # as the check would run
        english, french = [], []
        for word in unmatched(row["question"], evidence):
            english.append(probability(llm, prompts.render("coverage.user", sentence=evidence, question=row["question"], word=word)))
            french.append(probability(llm, string.Template(FRENCH_WORD_PROMPT).safe_substitute(
                sentence=evidence, question=row["question"], word=word), "oui", "non"))
        out["french words, English prompt"] = min(english, default=1.0)
        out["french words, French prompt"] = min(french, default=1.0)
    return out


def sweep(measured: list[dict], check: str) -> list[tuple[float, int, int]]:
    """(threshold, right answers withheld, wrong answers caught) for one check."""
    rows = [m for m in measured if check in m]
    return [(t, sum(m[check] < t and m["right"] for m in rows), sum(m[check] < t and not m["right"] for m in rows))
            for t in THRESHOLDS]


def main(argv: list[str] | None = None) -> int:
    set_offline_environment()
    ap = argparse.ArgumentParser(prog="python -m benchmarks.yes_no_checks", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reports", nargs="+", type=Path)
    args = ap.parse_args(argv)
    llm = get_llm(settings_or_env(None))
    for path in args.reports:
        rows = [r for r in json.loads(path.read_text(encoding="utf-8"))["rows"]
                if r.get("split", "dev") == "dev" and not r["abstained"] and r["citations"]]
        measured = [measure(llm, r) for r in rows]
        right = sum(m["right"] for m in measured)
        print(f"\n{path}: {len(measured)} answered development questions, {right} right, {len(measured) - right} wrong")
        for check in (*CLAIM_PROMPTS, "french words, English prompt", "french words, French prompt"):
            table = sweep(measured, check)
            if not any(check in m for m in measured):
                continue
            seconds = [m["seconds"][check] for m in measured if check in m["seconds"]]
            cost = f", {np.mean(seconds):.2f} s per answer" if seconds else ""
            print(f"  {check}{cost}: " + "; ".join(f"{t:.2f}: -{lost} right, +{caught} wrong caught" for t, lost, caught in table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
