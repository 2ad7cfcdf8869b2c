"""Candidate passages ranked again by their sentence closest to the question (rag.sentence_rank)."""

import numpy as np
import pytest

from rag import build_index, sentence_rank, sentence_vectors
from rag.types import Chunk


def _chunk(i: int, text: str) -> Chunk:
    return Chunk(id=f"c{i}", source="doc.txt", start=0, end=len(text), text=text)


def test_best_sentence_cosine_is_the_closest_sentence_of_each_chunk():
    vec = {"a one.": [1.0, 0.0], "a two.": [0.0, 1.0], "b one.": [0.6, 0.8]}
    chunks = [_chunk(0, "a one. a two."), _chunk(1, "b one."), _chunk(2, "")]
    asked: list[list[str]] = []

    def vectors_of(texts):
        asked.append(texts)
        return np.array([vec[t] for t in texts])

    best = sentence_rank.best_sentence_cosines(chunks, sentence_vectors.sentences_in, vectors_of, np.array([0.0, 1.0]))
    assert best == [1.0, 0.8, -1.0]
    assert asked == [["a one.", "a two.", "b one."]]  # one read, each sentence once


def test_fusion_moves_up_the_passage_whose_sentence_answers():
    ranked = [(7, 0.03), (3, 0.02), (5, 0.01)]  # hybrid order 7, 3, 5
    fused = sentence_rank.fuse(ranked, [0.2, 0.1, 0.9])  # sentence order 5, 7, 3
    assert [r for r, _ in fused] == [7, 5, 3]  # 7: ranks 1 and 2; 5: 3 and 1; 3: 2 and 3
    scores = dict(fused)
    assert scores[7] == 1 / 61 + 1 / 62 and scores[5] == 1 / 63 + 1 / 61


def test_after_first_keeps_the_hybrid_first_passage_first_and_orders_the_rest_fused():
    ranked = [(7, 0.03), (3, 0.02), (5, 0.01), (8, 0.005)]  # hybrid order 7, 3, 5, 8
    best = [0.1, 0.2, 0.9, 0.8]  # sentence order 5, 8, 3, 7
    assert [r for r, _ in sentence_rank.fuse(ranked, best)] == [5, 7, 3, 8]
    assert [r for r, _ in sentence_rank.fuse(ranked, best, keep_first=True)] == [7, 5, 3, 8]


def test_a_sentence_rank_setting_that_is_not_a_mode_is_refused():
    from rag.errors import SettingsError
    from rag.settings import Settings

    with pytest.raises(SettingsError, match="sentence_rank|SENTENCE_RANK"):
        Settings.from_env(sentence_rank="yes")


def test_fusion_breaks_ties_by_row():
    fused = sentence_rank.fuse([(9, 0.5), (4, 0.5)], [0.1, 0.9])  # 9: ranks 1, 2; 4: ranks 2, 1
    assert [r for r, _ in fused] == [4, 9]


def test_search_ranks_by_the_answering_sentence_when_turned_on(tmp_path, small_settings, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The lighthouse keeper paints the lighthouse white. Visitors climb its stairs.")
    (docs / "b.txt").write_text("Fishing boats leave the harbour at dawn. The gulls follow them out to sea. "
                                "The lighthouse was built in 1898.")
    (docs / "c.txt").write_text("The lamp of the lighthouse turns all night. Ships see it from far away.")
    kb = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    assert len(sentence_vectors.load(kb)) > 0  # the build stored the sentence vectors the ranking reads
    row = {c.source: kb.row_of[c.id] for c in kb.chunks}
    hybrid = [(row["a.txt"], 0.03), (row["c.txt"], 0.02), (row["b.txt"], 0.01)]  # the answering passage last
    monkeypatch.setattr(kb, "hybrid", lambda query, vector, candidates, settings=None: hybrid)
    q = "When was the lighthouse built?"
    on_settings = small_settings.replace(sentence_rank="all")
    on = [h.chunk.source for h in kb.search(q, k=3, settings=on_settings)]
    off = [h.chunk.source for h in kb.search(q, k=3, settings=small_settings)]  # the default: off
    assert off == ["a.txt", "c.txt", "b.txt"]
    assert on.index("b.txt") < 2, on  # its sentence about the building is the closest to the question
    hits = {h.chunk.source: h.dense for h in kb.search(q, k=3, settings=on_settings)}
    # each passage keeps its own cosine with the question, whatever its rank
    assert hits == pytest.approx({h.chunk.source: h.dense for h in kb.search(q, k=3, settings=small_settings.replace(sentence_rank="off"))})


def test_an_index_without_stored_sentence_vectors_embeds_them(tmp_path, small_settings):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Tea grows on the hills. The pickers start at six.")
    kb = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    stored = kb._sentence_vectors.get(["The pickers start at six."])
    sentence_vectors.path_of(kb).unlink()  # as an index built by an older version
    from rag import open_index

    again = open_index(small_settings.retrieval.index_dir, small_settings)
    assert again.search("When do the pickers start?", k=1, settings=small_settings.replace(sentence_rank="all"))[0].chunk.source == "a.txt"
    assert np.allclose(again._sentence_vectors.get(["The pickers start at six."]), stored, atol=1e-5)
