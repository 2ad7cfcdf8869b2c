"""What-if on recorded answers, no LLM: a question word that the cited sentences' whole document lacks.

    python -m benchmarks.document_words REPORT.json:INDEX_DIR[:SPLIT] ...

A rule not built, measured first (docs/quality-log.md, twenty-fifth step). French answers are not put to
the coverage check's every-word yes/no (measured noisy in French), so an answer taken from another
document of the knowledge base, about something else, can stand: "La clinique est-elle ouverte le
samedi ?" answered from a library's opening days. The library's document never says "clinique", in any
form. For each report's answered rows whose question and cited documents share a language, prints how
many right answers and how many wrong ones (wrong answers and answered unanswerable questions) have a
content word of the question that none of the cited sentences' documents holds in any form (the crude
stems of claim support), and those rows.
"""

from __future__ import annotations

from rag import lang
from rag.coverage import unmatched

from .recorded import recorded_runs


def absent_from_documents(question: str, documents: list[str]) -> list[str]:
    """The question's content words that none of the documents holds, in any form."""
    return unmatched(question, " ".join(documents))


def main(argv: list[str] | None = None) -> None:
    for path, report, index, split in recorded_runs(__doc__.splitlines()[0], argv):
        counts = {True: [0, 0], False: [0, 0]}  # right? -> [rows, rows with a word absent]
        listed = []
        for row in report["rows"]:
            if (split and row["split"] != split) or row["abstained"] or not row["citations"]:
                continue
            sources = list(dict.fromkeys(c["source"] for c in row["citations"]))
            documents = [index.source_text(s) for s in sources]
            if any(lang.language_of(d[:2000]) != row["language"] for d in documents):
                continue
            right = bool(row["metrics"]["correct"])
            absent = absent_from_documents(row["rewritten_query"] or row["question"], documents)
            counts[right][0] += 1
            if absent:
                counts[right][1] += 1
                listed.append((right, row["id"], absent, row["question"]))
        print(f"{path}{':' + split if split else ''}: right answers {counts[True][1]} of {counts[True][0]}, "
              f"wrong {counts[False][1]} of {counts[False][0]} have a question word their documents lack")
        for right, rid, absent, question in listed:
            print(f"  {'right' if right else 'WRONG':<5} {rid:<20} {', '.join(absent):<30} {question[:70]}")


if __name__ == "__main__":
    main()
