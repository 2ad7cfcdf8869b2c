"""What-if, no LLM: the "no relevant passage" gate read on the best sentence as well as the best passage.

    python -m benchmarks.relevance_gate REPORT.json:INDEX_DIR[:SPLIT] ...

The pipeline abstained before generating when the best candidate passage's cosine with the question was
under `retrieval.min_relevance` (and no passage named every name the question gives). A passage that
joins unrelated paragraphs ("The clinic does not offer teeth whitening. / Please note: … / The practice
manager, Tom Beale, handles all questions about bills.") comes far from a question about one of its
sentences (0.21 to "Who handles questions about bills?", where the sentence alone is at 0.70). Here each
question's best passage cosine (over the candidates, as the gate reads it) and best sentence cosine (over
the sentences of the top-k passages, the build's stored sentence vectors) are printed for the rows the
gate stops now, and, for each sentence threshold, how many of the rows the gate stops would pass, and
how many of the rows it lets through have a passage close to the gate and such a sentence. Measured
before `retrieval.min_sentence_relevance` (0.5) was built: run on reports made with it, the rows it
frees are no longer "stopped".
"""

from __future__ import annotations

from rag import sentence_vectors
from rag.names import VectorCache
from rag.pipeline import best_sentence
from rag.settings import Settings

from .recorded import recorded_runs

THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6)


def best_similarities(question: str, index, settings: Settings, vectors: VectorCache) -> tuple[float, float]:
    """(best candidate passage cosine, best cosine of a sentence of the top-k passages) with the question."""
    qvec = index.embedder(settings).queries([question])[0]
    ranked = index.ranked(question, settings.retrieval.pool, settings, query_vector=qvec)
    return max((h.dense for h in ranked), default=0.0), best_sentence(ranked[: settings.retrieval.top_k], qvec, vectors)


def main(argv: list[str] | None = None) -> None:
    settings = Settings.from_env()
    for path, report, index, split in recorded_runs(__doc__.splitlines()[0], argv):
        vectors = VectorCache(index.embedder(settings))
        vectors.use(index.version, lambda: sentence_vectors.load(index))
        gate = settings.retrieval.min_relevance
        stopped, passed = [], []
        for row in report["rows"]:
            if split and row["split"] != split:
                continue
            if row["history"]:  # the gate reads the rewritten question: not recorded here
                continue
            passage, sentence = best_similarities(row["question"], index, settings, vectors)
            (stopped if row.get("abstain_reason") == "no relevant passage" else passed).append((row, passage, sentence))
        print(f"{path}{':' + split if split else ''}: {len(stopped)} stopped by the gate (passage cosine < {gate}), {len(passed)} not")
        for row, passage, sentence in stopped:
            kind = "answerable" if row["question_answerable"] else "unanswerable"
            print(f"  {row['id']:<22} {kind:<13} passage {passage:.3f} sentence {sentence:.3f}  {row['question'][:70]}")
        low = [(r, p, s) for r, p, s in passed if p < gate + 0.1]
        for t in THRESHOLDS:
            freed = [r for r, _, s in stopped if s >= t]
            print(f"  sentence >= {t}: frees {sum(r['question_answerable'] for r in freed)} answerable, "
                  f"{sum(not r['question_answerable'] for r in freed)} unanswerable; of the {len(low)} let through "
                  f"with a passage under {gate + 0.1:.2f}, {sum(s >= t for _, _, s in low)} have such a sentence")


if __name__ == "__main__":
    main()
