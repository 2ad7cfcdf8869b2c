"""Is the cited document about what a yes/no question asks about (rag.subject)? Fake index and vectors."""

import numpy as np
import pytest

from rag.subject import missing_subject
from rag.types import Chunk

pytestmark = pytest.mark.unit

TENNIS = "Les courts sont ouverts tous les jours. Ils sont fermés le 1er janvier."
HOSTEL = "Towels are not provided. Breakfast is included."


class Index:
    def __init__(self, **texts):
        self.texts = {f"{k}.txt": v for k, v in texts.items()}
        self.chunks = [Chunk(id=k, source=k, text=v, start=0, end=len(v)) for k, v in self.texts.items()]

    def source_text(self, name):
        return self.texts[name]


class Vectors:
    """Sentence and word vectors on two axes: the sentences of `near` point along the subject's."""

    def __init__(self, near=(), similarity=0.0):
        self.near, self.similarity, self.asked = set(near), similarity, []

    def get(self, texts, kind="documents"):
        self.asked.append((kind, list(texts)))
        if kind == "queries":
            return np.array([[1.0, 0.0]] * len(texts))
        s = self.similarity
        return np.array([[s, np.sqrt(1 - s * s)] if t in self.near else [0.0, 1.0] for t in texts])


def test_a_subject_the_cited_page_never_speaks_of_is_missing():
    vectors = Vectors()
    assert missing_subject("L'auberge est-elle fermée le 1er janvier ?", ["tennis.txt"], Index(tennis=TENNIS), vectors,
                           0.22) == "auberge"
    assert vectors.asked == [("documents", ["Les courts sont ouverts tous les jours.", "Ils sont fermés le 1er janvier."]),
                             ("queries", ["auberge"])]


def test_a_subject_named_in_any_form_anywhere_in_a_cited_page_is_not_missing():
    vectors = Vectors()
    # "court" is a form of "courts", in the sentence before the cited one: no embedding is needed
    assert missing_subject("Le court est-il fermé le 1er janvier ?", ["tennis.txt"], Index(tennis=TENNIS), vectors, 0.22) is None
    assert vectors.asked == []
    # one of the cited pages is enough
    index = Index(tennis=TENNIS, hostel=HOSTEL)
    assert missing_subject("Is breakfast included?", ["tennis.txt", "hostel.txt"], index, Vectors(), 0.22) is None


@pytest.mark.parametrize("similarity, missing", [(0.41, False), (0.22, False), (0.17, True)])
def test_a_translation_or_synonym_counts_when_a_sentence_is_close_enough(similarity, missing):
    # "serviettes" over "Towels are not provided.": no common form, a close sentence
    vectors = Vectors(near=["Towels are not provided."], similarity=similarity)
    result = missing_subject("Les serviettes sont-elles fournies ?", ["hostel.txt"], Index(hostel=HOSTEL), vectors, 0.22)
    assert result == ("serviettes" if missing else None)


@pytest.mark.parametrize("question, sources, min_similarity", [
    ("Quand l'auberge ferme-t-elle ?", ["tennis.txt"], 0.22),      # not a yes/no question
    ("Peut-on venir le 1er janvier ?", ["tennis.txt"], 0.22),      # no subject noun
    ("L'auberge est-elle fermée ?", [], 0.22),                     # nothing cited
    ("L'auberge est-elle fermée ?", ["tennis.txt"], 0.0),          # off
])
def test_the_subject_check_does_not_apply(question, sources, min_similarity):
    vectors = Vectors()
    assert missing_subject(question, sources, Index(tennis=TENNIS), vectors, min_similarity) is None
    assert vectors.asked == []


def test_the_what_if_replays_recorded_yes_no_answers(monkeypatch):
    from benchmarks import subject_gate

    class Embedder:
        def documents(self, texts):
            return Vectors().get(texts)

        def queries(self, texts):
            return Vectors().get(texts, "queries")

    index = Index(tennis=TENNIS)
    index.version, index.embedder = "v1", Embedder
    monkeypatch.setattr(subject_gate.sentence_vectors, "load", lambda index: {})

    def row(i, question, answerable=True, correct=True, abstained=False):
        return {"id": i, "split": "dev", "question": question, "question_answerable": answerable, "abstained": abstained,
                "metrics": {"correct": correct}, "citations": [] if abstained else [{"source": "tennis.txt"}]}

    report = {"rows": [row("a", "L'auberge est-elle fermée le 1er janvier ?", answerable=False, correct=False),
                       row("b", "Les courts sont-ils fermés le 1er janvier ?"),
                       row("c", "Quand les courts ferment-ils ?"),
                       row("d", "La piscine est-elle fermée ?", abstained=True)]}
    assert subject_gate.rows_with_subjects(report, index) == [("a", "unanswerable", "auberge", 0.0),
                                                              ("b", "right", "courts", 1.0)]
