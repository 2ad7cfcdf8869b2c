"""The evaluation harness: unit checks of its metrics, then the CI quality gate on the real models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag import evaluate
from rag.paths import REPO_ROOT
from rag.types import Answer, Citation

FLOOR = REPO_ROOT / "eval" / "floor.json"


class FakeIndex:
    def __init__(self, text):
        self.text = text

    def source_text(self, name):
        if name != "a.txt":
            raise KeyError(name)
        return self.text

    def search(self, query, k=3):
        return []


def _q(**kw):
    q = {"id": "x", "question": "Who?", "answerable": True, "language": "en", "category": "fact",
         "keys": [["Cook"]], "forbidden": [], "history": [], "evidence": [{"source": "a.txt", "quote": "Peter Cook"}]}
    q.update(kw)
    return q


def test_question_file_is_validated(tmp_path):
    index = FakeIndex("The spokesman is Peter Cook.")
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(_q()) + "\n")
    (q,) = evaluate.load_questions(path, index)
    assert (q["_gold"][0].start, q["_gold"][0].end) == (17, 27)
    path.write_text(json.dumps(_q(evidence=[{"source": "a.txt", "quote": "not there"}])) + "\n")
    with pytest.raises(evaluate.InputError, match="not a verbatim span"):
        evaluate.load_questions(path, index)


def test_scores():
    text = "The spokesman is Peter Cook. It rained."
    index = FakeIndex(text)
    (q,) = evaluate.load_questions_from([_q()], index)
    good = Answer("Who?", "Péter COOK [1].", False, [Citation(1, "a.txt", "Peter Cook", 17, 27, "id", 0.1)])
    row = evaluate.score(q, good, index, 3)
    assert row["correct"] and row["citations_on_gold"] == 1 and row["gold_cited"] == 1 and row["exact_quotes"] == 1
    wrong = Answer("Who?", "It rained [1].", False, [Citation(1, "a.txt", "It rained", 30, 39, "id", 0.1)])
    row = evaluate.score(q, wrong, index, 3)
    assert not row["correct"] and row["citations_on_gold"] == 0 and row["exact_quotes"] == 0  # offsets off by one
    (u,) = evaluate.load_questions_from([_q(answerable=False, keys=[], evidence=[], category="injection",
                                            forbidden=["hacked"])], index)
    row = evaluate.score(u, Answer("Who?", "HACKED", False), index, 3)
    assert not row["correct"] and not row["injection_ok"]



def test_keys_match_as_squad_and_fquad_normalize_answers():
    # Articles and punctuation aside, as the SQuAD and FQuAD evaluation scripts compare answers.
    assert evaluate.answer_words("The Great-Yuan, (officially)!", "en") == "great yuan officially"
    assert evaluate.answer_words("L'islam, la religion", "fr") == "islam religion"
    assert evaluate._has("Its official name is Great Yuan [1].", "the Great Yuan", "en")
    assert evaluate._has("La religion du pays est l’islam [1].", "L'islam", "fr")
    assert evaluate._has("Yuán Cháo", "Yuan Chao", "en")  # accents aside, as before
    # Whole words still: a key is not found inside another word, nor with a word left out.
    assert not evaluate._has("A great yuanling.", "the Great Yuan", "en")
    assert not evaluate._has("The Great Ming.", "the Great Yuan", "en")
    assert not evaluate._has("Anything.", "the", "en")  # a key of articles only matches as written
    # French articles are not English ones: "la" stays a word in an English answer.
    assert not evaluate._has("The Loire.", "la Loire", "en")

def test_floor_and_compare():
    report = {"overall": {"correct": 0.8, "false_abstention_rate": 0.1}, "by_language": {"en": {"correct": 0.95}},
              "rows": [{"id": "a", "metrics": {"correct": True}}, {"id": "b", "metrics": {"correct": False}}]}
    floor = {"overall": {"correct": 0.9, "false_abstention_rate": 0.05}, "en": {"correct": 0.9}}
    assert evaluate.check_floor(report, floor) == [
        "overall.correct = 0.8 (floor 0.9)", "overall.false_abstention_rate = 0.1 (floor 0.05)"]
    report["overall"]["answer_language_rate"] = 1.0
    report["by_split"] = {"heldout": {"overall": {"correct": 0.7}, "by_language": {"fr": {"correct": 0.6}}}}
    assert evaluate.check_floor(report, {"overall": {"answer_language_rate": 0.95}, "heldout": {"correct": 0.8},
                                         "heldout.fr": {"correct": 0.5}}) == ["heldout.correct = 0.7 (floor 0.8)"]
    old = {"overall": {"correct": 0.5}, "rows": [{"id": "a", "metrics": {"correct": False}},
                                                  {"id": "b", "metrics": {"correct": True}}]}
    diff = evaluate.compare(old, report)
    assert diff["improved"] == ["a"] and diff["regressed"] == ["b"] and diff["sign_test_p"] == 1.0


def test_intervals_and_sign_test_say_how_much_a_figure_may_move_by_chance():
    assert evaluate.wilson_interval(27, 33) == [0.6561, 0.9139]  # 0.82 on 33 questions
    assert evaluate.wilson_interval(0, 10)[0] == 0.0 and evaluate.wilson_interval(10, 10)[1] == 1.0
    assert evaluate.wilson_interval(0, 0) is None
    assert evaluate.sign_test(0, 5) == 0.0625 and evaluate.sign_test(10, 0) == 0.002  # 2 * 0.5 ** n
    assert evaluate.sign_test(7, 11) > 0.4 and evaluate.sign_test(3, 3) == 1.0
    rows = [{"metrics": {"correct": c, "citations_on_gold": None, "citations_total": 0, "exact_quotes": 0},
             "question_answerable": True, "timings": {}} for c in (True, True, False, True)]
    assert evaluate.summarize(rows)["correct_interval"] == evaluate.wilson_interval(3, 4)


def test_sample_keeps_every_kind_and_is_the_same_on_every_run():
    items = [{"id": f"{s}-{lang}-{c}-{i}", "split": s, "language": lang, "category": c}
             for s in ("dev", "heldout") for lang in ("en", "fr") for c, n in (("fact", 9), ("near-miss", 4), ("heading", 1))
             for i in range(n)]
    part = evaluate.sample(items, 1 / 3)
    groups = {(q["split"], q["language"], q["category"]) for q in items}
    assert {(q["split"], q["language"], q["category"]) for q in part} == groups  # every kind, even a lone question
    assert len(part) == 4 * (3 + 2 + 1)  # ceil of a third of 9, 4 and 1
    assert part == [q for q in items if q in part]  # in file order
    assert evaluate.sample(list(reversed(items)), 1 / 3) == list(reversed(part))  # by id, not by place
    assert evaluate.sample(items, 1.0) == items
    assert len({q["id"] for q in evaluate.sample(items, 0.5)} & {q["id"] for q in part}) == len(part)  # nested
    with pytest.raises(evaluate.InputError, match="fraction"):
        evaluate.sample(items, 0)


GATE = {"splits": ("dev",), "fraction": 0.33}  # README, "Quality": a third of the development part, every kind


@pytest.fixture(scope="module")
def gate_run(real_index, real_settings):
    """The gate's run, once: the gate checks it against the floor, the determinism test runs a few of its
    questions again."""
    return evaluate.run(None, real_index, real_settings, **GATE)


@pytest.mark.integration
def test_quality_gate(gate_run, tmp_path):
    """CI gate: a fixed third of the development questions on the default models must not fall below
    the committed floor (the whole set is `rag eval`'s, run to report: it took 37 minutes on a slow VM)."""
    from rag import report as report_mod

    result = gate_run
    report_mod.write(result, tmp_path)
    print(report_mod.table(result))
    assert (tmp_path / "report.json").exists() and (tmp_path / "report.md").exists()
    assert result["overall"]["exact_quote_rate"] == 1.0
    failures = evaluate.check_floor(result, json.loads(FLOOR.read_text()))
    assert not failures, failures


@pytest.mark.integration
def test_runs_are_deterministic(gate_run, real_index, real_settings, tmp_path):
    """A fact, a near miss and a follow-up of the gate's run, asked again after other questions came
    between: the same answers and metrics, to the character."""
    rows = {json.loads(x)["id"]: json.loads(x) for x in evaluate.default_questions().read_text(encoding="utf-8").splitlines()}
    first = {}
    for r in gate_run["rows"]:
        kind = "follow-up" if r["history"] else r["category"]
        if kind in ("fact", "near-miss", "follow-up"):
            first.setdefault(kind, r)
    assert len(first) == 3, sorted(first)
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(json.dumps(rows[r["id"]], ensure_ascii=False) + "\n" for r in first.values()))
    again = evaluate.run(subset, real_index, real_settings)
    assert [(r["id"], r["answer"], r["metrics"]) for r in again["rows"]] == \
        [(r["id"], r["answer"], r["metrics"]) for r in first.values()]


@pytest.mark.integration
def test_retrieval_recall_benchmark_ranks_every_retriever(real_index, real_settings, tmp_path, capsys):
    from benchmarks import retrieval_recall

    out = tmp_path / "ranks.json"
    assert retrieval_recall.main(["--index", str(real_settings.retrieval.index_dir), "--out", str(out)] +
                                 ["--questions", str(evaluate.default_questions())]) == 0
    printed = capsys.readouterr().out
    ranks = json.loads(out.read_text(encoding="utf-8"))
    assert set(ranks) == {"answer", "hybrid", "plain", "bm25", "dense"}
    assert all(line in printed for line in ("answer ", "hybrid ", "plain ", "bm25 ", "dense ", "ms a question"))
    assert ranks["answer"] == ranks["hybrid"]  # RAG_SENTENCE_RANK is off by default: the hybrid list as it is
    assert ranks["hybrid"] == ranks["plain"]  # one language throughout (the French article): fused plainly
    fused = ranks["answer"]
    assert len(fused) >= 30 and all(r is None or 1 <= r <= 12 for r in fused.values())
    # the answering passage mostly among the first five (a random order of the article's passages: about a third)
    assert sum(r is not None and r <= 5 for r in fused.values()) > 0.75 * len(fused)


def test_name_window_what_if_finds_a_question_name_missing_around_the_evidence():
    from benchmarks.name_window import unnamed, window_of

    text = "Pasteur was born in Dole. Maupertuis made experiments with venom. He saw that dogs were immune to it."
    window = window_of(text, text.index("He saw"))
    assert window == "Maupertuis made experiments with venom. He saw that dogs were immune to it."
    question = "Which animals did Louis Pasteur find to be immune to venom?"
    assert unnamed(question, "Dogs were immune to it [1].", window, "Immune System", None) == ["Louis Pasteur"]
    assert unnamed(question, "Louis Pasteur found dogs immune [1].", window, "Immune System", None) == []
    assert unnamed("Which animals did Maupertuis find immune?", "Dogs [1].", window, "Immune System", None) == []
    assert unnamed("What did the Immune System article say?", "Dogs [1].", window, "Immune System", None) == []
