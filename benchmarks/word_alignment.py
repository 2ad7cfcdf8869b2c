"""What-if on recorded answers, no LLM: a question word with no close word in the cited sentences.

    python -m benchmarks.word_alignment REPORT.json:INDEX_DIR[:SPLIT] ...

A rule not built (docs/quality-log.md, twenty-fourth step), measured before building it. The coverage
check (`rag.coverage`) runs only where the question and its evidence share a language: across languages
every word is "missing". Each of the question's content words that the cited sentences lack in any
form would be matched to its closest content word of those sentences by the embedder (query vectors, as
names are matched across languages: `rag.names`), and an answer whose worst word comes under a threshold
withheld. For each report's answered rows (of SPLIT when given), prints how many right answers and how
many wrong ones (wrong answers and answered unanswerable questions) each threshold would withhold, for
questions in the evidence's language and across languages.
"""

from __future__ import annotations

from rag import lang
from rag.coverage import unmatched
from rag.names import VectorCache

from .recorded import recorded_runs

THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7)


def worst_word(question: str, evidence: str, vectors: VectorCache) -> float:
    """The lowest, over the question's words the evidence lacks, of the highest cosine with an evidence word (1: none lacking)."""
    missing = unmatched(question, evidence)
    words = lang.content_words(evidence)
    if not missing or not words:
        return 1.0
    return float((vectors.get(missing, "queries") @ vectors.get(words, "queries").T).max(axis=1).min())


def rows_of(report: dict, index, split: str = "") -> list[tuple[bool, bool, float]]:
    """(across languages, right, worst word) for each answered row."""
    vectors = VectorCache(index.embedder())
    out = []
    for row in report["rows"]:
        if (split and row["split"] != split) or row["abstained"] or not row["citations"]:
            continue
        evidence = " ".join(c["quote"] for c in row["citations"])
        right = bool(row["question_answerable"] and row["metrics"]["answer_correct"])
        across = lang.detect(row["question"]) != lang.language_of(evidence)
        out.append((across, right, worst_word(row["question"], evidence, vectors)))
    return out


def main(argv: list[str] | None = None) -> int:
    rows: list[tuple[bool, bool, float]] = []
    for _, report, index, split in recorded_runs(__doc__.splitlines()[0], argv):
        rows += rows_of(report, index, split)
    for across in (False, True):
        part = [(right, worst) for a, right, worst in rows if a == across]
        right = sum(r for r, _ in part)
        print(f"{'across languages' if across else 'same language'}: {right} right, {len(part) - right} wrong answered")
        for t in THRESHOLDS:
            lost = sum(r and w < t for r, w in part)
            caught = sum(not r and w < t for r, w in part)
            print(f"  under {t}: right withheld {lost}, wrong withheld {caught}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
