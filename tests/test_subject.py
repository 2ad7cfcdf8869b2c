"""Is the cited document about what a yes/no question asks about (rag.subject)? Fake index and vectors."""

import hashlib

import numpy as np
import pytest

from rag.subject import missing_subject, other_topic
from rag.types import Chunk

pytestmark = pytest.mark.unit

TENNIS = "Les courts sont ouverts tous les jours. Ils sont fermés le 1er janvier."
HOSTEL = "Towels are not provided. Breakfast is included."


class Index:
    def __init__(self, **texts):
        self.texts = {f"{k}.txt": v for k, v in texts.items()}
        self.version = "idx-" + hashlib.sha256(repr(sorted(self.texts.items())).encode()).hexdigest()[:12]
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


def test_a_heading_of_the_cited_page_is_no_sentence_close_to_the_subject():
    page = "Réservation\nChaque membre réserve les courts en ligne."
    index = Index(tennis=page)
    index.chunks = [Chunk(id="h", source="tennis.txt", text="Réservation", start=0, end=11),
                    Chunk(id="b", source="tennis.txt", text="Chaque membre réserve les courts en ligne.", start=12, end=len(page))]
    vectors = Vectors(near=["Réservation"], similarity=0.31)  # a word embeds close to many a subject
    assert missing_subject("Le restaurant est-il ouvert le week-end ?", ["tennis.txt"], index, vectors, 0.22) == "restaurant"


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


POOL = ("Piscine municipale des Tilleuls – informations pratiques\n\nLa piscine est ouverte du lundi au samedi. "
        "Une entrée coûte 4,50 euros.")
BIKES = ("Greenway Bike Share – frequently asked questions\n\nWhat does it cost?\nAn annual membership costs £90. "
         "A day pass costs £3.")
MUSEUM = "Harbour Museum to reopen after long renovation\n\nThe museum reopens in March."


class Titled(Index):
    """An index whose manifest lists its documents, as `rag.index.Index`'s does."""

    def __init__(self, version, **texts):
        super().__init__(**texts)
        self.version, self.manifest = version, {"sources": {name: {} for name in self.texts}}


def test_a_question_naming_what_another_page_is_about_was_answered_from_the_wrong_page():
    index = Titled("t1", piscine=POOL, bikes=BIKES)
    question = "Combien coûte l'abonnement annuel à la piscine ?"
    assert other_topic(question, ["bikes.txt"], index) == ("piscine", "piscine.txt")
    assert other_topic(question, ["piscine.txt"], index) is None  # cited from the pool's own page
    assert other_topic(question, ["bikes.txt", "piscine.txt"], index) is None
    assert other_topic("Combien coûte une entrée ?", ["bikes.txt"], index) is None  # names no page's subject
    assert other_topic(question, [], index) is None


def test_a_word_a_title_holds_once_or_a_page_without_a_title_line_is_no_subject():
    museum = Titled("t2", museum=MUSEUM, bikes=BIKES)
    assert other_topic("How long is a day pass?", ["bikes.txt"], museum) is None  # "long" only in the title
    untitled = Titled("t3", piscine=POOL.split("\n\n", 1)[1], bikes=BIKES)  # the pool's page without its title
    assert other_topic("Combien coûte l'abonnement annuel à la piscine ?", ["bikes.txt"], untitled) is None
    one_line = Titled("t4", note="La piscine", bikes=BIKES)  # a one-line document is not a title over a text
    assert other_topic("Combien coûte la piscine ?", ["bikes.txt"], one_line) is None
    across = Titled("t5", piscine=POOL, bikes=BIKES)  # another language: crude stems do not match
    assert other_topic("How much is an annual membership at the pool?", ["bikes.txt"], across) is None


def test_the_what_if_replays_recorded_answers_read_from_another_page():
    from benchmarks import subject_gate

    index = Titled("t6", piscine=POOL, bikes=BIKES)

    def row(i, question, source, answerable=True, correct=True):
        return {"id": i, "split": "dev", "question": question, "question_answerable": answerable, "abstained": False,
                "metrics": {"correct": correct}, "citations": [{"source": source}]}

    report = {"rows": [row("a", "Combien coûte l'abonnement annuel à la piscine ?", "bikes.txt", False, False),
                       row("b", "Combien coûte une entrée à la piscine ?", "piscine.txt"),
                       row("c", "How much is a day pass?", "bikes.txt")]}
    assert subject_gate.rows_on_other_topics(report, index) == [("a", "unanswerable", "piscine", "piscine.txt")]


class Words:
    """Word vectors on two axes: each word of `table` at its cosine with the first axis, every other
    word (or sentence) on the second."""

    def __init__(self, **table):
        self.table, self.asked = table, []

    def get(self, texts, kind="documents"):
        self.asked.append((kind, list(texts)))
        return np.array([[c, np.sqrt(1 - c * c)] if (c := self.table.get(t)) is not None else [0.0, 1.0] for t in texts])


HOSTEL_FR = "Auberge du Lac – règlement\n\nLes serviettes sont fournies à l'accueil. Le petit-déjeuner est servi à 8 h."
TOWELS = "Towel shop – prices\n\nA bath towel costs £5. Towels are sold every day."


def test_a_title_word_in_another_language_counts_when_close_enough():
    index = Titled("t8", piscine=POOL, bikes=BIKES)
    question = "How much is an annual membership at the pool?"
    assert other_topic(question, ["bikes.txt"], index, Words(pool=1.0, piscine=0.58), 0.5) == ("pool", "piscine.txt")
    assert other_topic(question, ["bikes.txt"], index, Words(pool=1.0, piscine=0.58), 0.6) is None  # not close enough
    assert other_topic(question, ["bikes.txt"], index, Words(pool=1.0, piscine=0.58), 0.0) is None  # off
    assert other_topic(question, ["piscine.txt"], index, Words(pool=1.0, piscine=0.58), 0.5) is None  # its own page
    # "municipale" is in the title once and in no text again: not the page's subject, however close
    assert other_topic(question, ["bikes.txt"], index, Words(pool=1.0, municipale=0.9), 0.5) is None


def test_a_cited_page_that_names_the_word_in_another_language_names_it():
    index = Titled("t9", hostel=HOSTEL_FR, towels=TOWELS)
    question = "Are towels provided at the hostel?"
    # "towels" is the towel shop's subject in its own words; the cited French page says "serviettes"
    assert other_topic(question, ["hostel.txt"], index) == ("towels", "towels.txt")
    assert other_topic(question, ["hostel.txt"], index, Words(towels=1.0, serviettes=0.55), 0.5) is None
    assert other_topic(question, ["hostel.txt"], index, Words(towels=1.0, serviettes=0.3), 0.5) == ("towels", "towels.txt")
