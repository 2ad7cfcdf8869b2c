"""What-if on recorded answers, no LLM: the subject of a yes/no question, in the cited documents; a
question's word that another document is about.

    python -m benchmarks.subject_gate [--min-similarity X ...] REPORT.json:INDEX_DIR[:SPLIT] ...

`rag.subject` withholds a yes/no answer when no cited document names the question's subject in any form
nor has a sentence close to it (`verification.min_subject_similarity`). It is the last check of an
answer and retries nothing, so on a report recorded without it (or with it off) what it changes is
exactly the answered rows it withholds. For each report's answered yes/no rows (of SPLIT when given:
run the held-out part only to report), prints the subject and how close the cited documents come to
it (1.0: named), then how many right answers, wrong answers and answered unanswerable questions each
threshold withholds, and which. Then the answered rows of any question that `rag.subject.other_topic`
withholds (a word of the question that another document's title and text name and no cited document
does), with their kind: it too is a last check that retries nothing.
"""

from __future__ import annotations

import argparse

from rag import sentence_vectors
from rag.names import VectorCache
from rag.subject import closeness, other_topic
from rag.verification_settings import VerificationSettings

from .recorded import recorded_runs


def _vectors(index) -> VectorCache:
    """A verification vector cache holding the index's stored sentence vectors, as the answer path reads them."""
    vectors = VectorCache(index.embedder())
    vectors.use(index.version, lambda: sentence_vectors.load(index))
    return vectors


def _answered(report: dict, split: str = ""):
    """(row, question as answered, cited documents) for each answered row with citations (of `split`)."""
    for row in report["rows"]:
        if (split and row["split"] != split) or row["abstained"] or not row["citations"]:
            continue
        yield row, row.get("rewritten_query") or row["question"], [c["source"] for c in row["citations"]]


def _kind(row: dict) -> str:
    return "unanswerable" if not row["question_answerable"] else "right" if row["metrics"]["correct"] else "wrong"


def rows_with_subjects(report: dict, index, split: str = "") -> list[tuple[str, str, str, float]]:
    """(id, kind, subject, closeness) for the answered rows whose question is yes/no with a subject; kind
    is "right", "wrong" or "unanswerable"."""
    vectors = _vectors(index)
    return [(row["id"], _kind(row), *found) for row, question, sources in _answered(report, split)
            if (found := closeness(question, sources, index, vectors)) is not None]


def rows_on_other_topics(report: dict, index, split: str = "",
                         min_word_similarity: float = 0.0) -> list[tuple[str, str, str, str]]:
    """(id, kind, word, document) for the answered rows `other_topic` withholds (with a title word in
    another form or language counted from `min_word_similarity` on, when above 0)."""
    vectors = _vectors(index) if min_word_similarity > 0 else None
    return [(row["id"], _kind(row), *found) for row, question, sources in _answered(report, split)
            if (found := other_topic(question, sources, index, vectors, min_word_similarity)) is not None]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--min-similarity", type=float, action="append")
    parser.add_argument("--min-word-similarity", type=float, action="append")
    known, rest = parser.parse_known_args(argv)
    defaults = VerificationSettings()
    thresholds = known.min_similarity or [defaults.min_subject_similarity]
    word_thresholds = known.min_word_similarity or [defaults.min_title_word_similarity]
    for report_path, report, index, split in recorded_runs(__doc__.splitlines()[0], rest):
        rows = rows_with_subjects(report, index, split)
        print(f"{report_path}" + (f" ({split})" if split else "") + f": {len(rows)} answered yes/no rows with a subject")
        for row_id, kind, subject, close in rows:
            print(f"  {row_id} {kind}: {subject!r} {close:.3f}")
        for t in thresholds:
            withheld = {k: [r[0] for r in rows if r[1] == k and r[3] < t] for k in ("right", "wrong", "unanswerable")}
            print(f"  at {t}: " + ", ".join(f"{k} withheld {len(v)}" + (f" ({' '.join(v)})" if v else "")
                                           for k, v in withheld.items()))
        for word_threshold in word_thresholds:
            others = rows_on_other_topics(report, index, split, word_threshold)
            print(f"  another document's subject (title words from {word_threshold} similar): "
                  f"{len(others)} answered rows withheld")
            for row_id, kind, word, document in others:
                print(f"  {row_id} {kind}: {word!r} ({document})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
