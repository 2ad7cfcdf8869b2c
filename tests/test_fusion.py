"""Reciprocal rank fusion of the dense and keyword lists, and its language-aware form (`rag.fusion`)."""

import pytest

from rag import fusion
from rag.build import build_index


def rrf(rank: int) -> float:
    return 1.0 / (fusion.RRF_K + rank)


DENSE = [(10, 0.8), (20, 0.7), (30, 0.6)]
KEYWORDS = [(20, 9.0), (40, 5.0)]


def test_plain_fusion_sums_one_over_k_plus_rank_of_each_list():
    fused = dict(fusion.fuse(DENSE, KEYWORDS))
    assert fused == pytest.approx({10: rrf(1), 20: rrf(2) + rrf(1), 30: rrf(3), 40: rrf(2)})
    assert [r for r, _ in fusion.fuse(DENSE, KEYWORDS)] == [20, 10, 40, 30]


def test_ties_are_broken_by_row():
    assert [r for r, _ in fusion.fuse([(7, 0.5), (3, 0.4)], [(3, 1.0), (7, 0.9)])] == [3, 7]


def test_a_passage_in_another_language_is_not_ranked_down_for_the_words_it_cannot_hold():
    # Row 10 is French and first by meaning; the English rows 20 and 40 hold the English question's words.
    languages = {10: "fr", 20: "en", 30: "en", 40: "en"}
    plain = [r for r, _ in fusion.fuse(DENSE, KEYWORDS)]
    aware = fusion.fuse(DENSE, KEYWORDS, lambda: "en", languages.__getitem__)
    assert plain.index(10) == 1
    assert [r for r, _ in aware][0] == 10
    assert dict(aware)[10] == pytest.approx(2 * rrf(1))  # its dense rank stands in for the keyword rank
    assert dict(aware)[20] == pytest.approx(rrf(2) + rrf(1))  # the question's language: as before


def test_the_better_of_its_own_keyword_rank_and_its_dense_rank_counts():
    languages = {10: "fr", 20: "en", 30: "fr", 40: "en"}
    fused = dict(fusion.fuse([(20, 0.9), (10, 0.8), (30, 0.1)], [(30, 3.0), (20, 2.0)], lambda: "en", languages.__getitem__))
    assert fused[30] == pytest.approx(rrf(3) + rrf(1))  # a name it shares with the question ranked it first
    assert fused[10] == pytest.approx(2 * rrf(2))


@pytest.mark.parametrize("languages", [{10: "fr", 20: "fr", 30: "fr", 40: "fr"},  # a question over the other language
                                       {10: "en", 20: "en", 30: "en", 40: "en"}])  # one language throughout
def test_candidates_in_one_language_are_fused_plainly(languages):
    assert fusion.fuse(DENSE, KEYWORDS, lambda: "en", languages.__getitem__) == fusion.fuse(DENSE, KEYWORDS)


def test_the_index_fuses_by_language_unless_told_plain(tmp_path, docs, small_settings, monkeypatch):
    (docs / "gamma.txt").write_text("Le port du village gèle chaque hiver, et les bateaux restent à quai.")
    kb = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    row = {c.source: kb.row_of[c.id] for c in kb.chunks}
    assert kb.passage_language(row["gamma.txt"]) == "fr" and kb.passage_language(row["beta.txt"]) == "en"
    dense = [(row["gamma.txt"], 0.6), (row["beta.txt"], 0.5), (row["alpha.md"], 0.1)]
    keywords = [(row["beta.txt"], 4.0), (row["alpha.md"], 1.0)]
    monkeypatch.setattr(kb.generation, "candidates", lambda query, vector, n: (dense, keywords))
    vector = kb.embedder(small_settings).queries(["Does the harbour freeze in winter?"])[0]
    aware = kb.hybrid("Does the harbour freeze in winter?", vector, 12, small_settings)
    plain = kb.hybrid("Does the harbour freeze in winter?", vector, 12, small_settings.replace(fusion="plain"))
    assert [r for r, _ in aware][0] == row["gamma.txt"]
    assert [r for r, _ in plain][0] == row["beta.txt"]
