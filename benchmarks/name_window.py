"""What-if on recorded answers, no LLM: a name the question gives, missing around the answer's evidence.

    python -m benchmarks.name_window [--paragraph] REPORT.json:INDEX_DIR[:SPLIT] ...

A rule not built (docs/quality-log.md, sixteenth step), measured before building it: an answer whose
question names someone or something ("Which animals did Louis Pasteur find immune…?") that neither the
answer, nor its cited sentences with the sentence before each, nor the cited documents' file names
give, is about someone else ("Maupertuis observed…") and would abstain. (`exact.named_elsewhere` already
withholds a claim that restates such a name away from its evidence's paragraph; this asks the same of
the names the claim leaves out, on the narrower window.) For each report's answered rows (of SPLIT
when given: run the held-out part only to report), prints how many right answers, wrong answers and
answered unanswerable questions the rule would withhold, and which.
"""

from __future__ import annotations

import re

from rag import lang
from rag.segment import split_sentences
from rag.names import VectorCache, name_stated

from .recorded import recorded_runs


def unnamed(question: str, answer: str, window: str, titles: str, vectors: VectorCache | None) -> list[str]:
    """The question's names that the answer, the window of its cited sentences and the titles all lack."""
    translated = lang.language_of(window) != lang.detect(question)
    return [n for n in lang.names(question) if not lang.mentions(answer, n)
            and not name_stated(n, window, vectors, translated, False) and not name_stated(n, titles, vectors, True, False)]


def window_of(text: str, start: int) -> str:
    """The sentence of `text` at `start`, with the sentence before it; with `--paragraph`, the paragraph
    it stands in (between blank lines) and the document's first line."""
    if PARAGRAPH:
        paragraphs = [(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)]
        found = next((text[s:e] for s, e in paragraphs if s <= start < e), "")
        return f"{text.strip().splitlines()[0] if text.strip() else ''} {found}"
    spans = split_sentences(text)
    i = next((k for k, (s, e) in enumerate(spans) if s <= start < e), None)
    if i is None:
        return ""
    return " ".join(text[s:e] for s, e in spans[max(0, i - 1): i + 1])


def withheld(report: dict, index, split: str = "") -> dict[str, list[tuple[str, list[str]]]]:
    """Answered rows the rule would withhold, by kind ("right", "wrong", "unanswerable")."""
    vectors = VectorCache(index.embedder())
    texts: dict[str, str] = {}
    out: dict[str, list[tuple[str, list[str]]]] = {"right": [], "wrong": [], "unanswerable": []}
    for row in report["rows"]:
        if (split and row["split"] != split) or row["abstained"] or not row["citations"]:
            continue
        cites = row["citations"]
        window = " ".join(window_of(texts.setdefault(c["source"], index.source_text(c["source"])), c["start"]) for c in cites)
        titles = " ".join(re.sub(r"[\W_]+", " ", c["source"].rsplit(".", 1)[0]).title() for c in cites)
        missing = unnamed(row["question"], row["answer"], window, titles, vectors)
        if missing:
            kind = "unanswerable" if not row["question_answerable"] else "right" if row["metrics"]["correct"] else "wrong"
            out[kind].append((row["id"], missing))
    return out


PARAGRAPH = False


def main(argv: list[str] | None = None) -> int:
    global PARAGRAPH
    argv = list(argv if argv is not None else __import__("sys").argv[1:])
    if "--paragraph" in argv:  # the rule on the cited sentences' paragraphs instead of the two-sentence window
        argv.remove("--paragraph")
        PARAGRAPH = True
    for report_path, report, index, split in recorded_runs(__doc__.splitlines()[0], argv):
        result = withheld(report, index, split)
        print(f"{report_path}" + (f" ({split})" if split else ""))
        for kind, rows in result.items():
            print(f"  {kind} withheld: {len(rows)}" + "".join(f"\n    {i}: {', '.join(names)}" for i, names in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
