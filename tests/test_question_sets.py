"""The team's question files: well formed, split in two parts that both hold each language, and every
gold quote verbatim in its document (the article here; the SQuAD and PIAF articles in ../shared when it
is beside the checkout, as it is for CI)."""

from __future__ import annotations

import json

import pytest

from rag.evaluate import SPLITS
from rag.loaders import load_text
from rag.paths import REPO_ROOT, bundled_sources_dir

pytestmark = pytest.mark.unit

SHARED = REPO_ROOT.parent / "shared"
SETS = {  # question file -> folder of its documents
    "questions.jsonl": bundled_sources_dir(),
    "questions-squad-docs.jsonl": SHARED / "eval-squad" / "docs",
    "questions-piaf-docs.jsonl": SHARED / "eval-piaf" / "docs",
    "questions-new-docs.jsonl": REPO_ROOT / "eval" / "new-docs",
    "questions-page-docs.jsonl": REPO_ROOT / "eval" / "page-docs",
    "questions-rule-docs.jsonl": REPO_ROOT / "eval" / "rule-docs",
    "questions-polar-docs.jsonl": REPO_ROOT / "eval" / "polar-docs",
    "questions-news-docs.jsonl": REPO_ROOT / "eval" / "news-docs",
    "questions-guide-docs.jsonl": REPO_ROOT / "eval" / "guide-docs",
    "questions-study-docs.jsonl": REPO_ROOT / "eval" / "study-docs",
    "questions-list-docs.jsonl": REPO_ROOT / "eval" / "list-docs",
    "questions-notice-docs.jsonl": REPO_ROOT / "eval" / "notice-docs",
    "questions-md-docs.jsonl": REPO_ROOT / "eval" / "md-docs",
    "questions-table-docs.jsonl": REPO_ROOT / "eval" / "table-docs",
    "questions-rate-docs.jsonl": REPO_ROOT / "eval" / "rate-docs",
    "questions-minutes-docs.jsonl": REPO_ROOT / "eval" / "minutes-docs",
    "questions-chrono-docs.jsonl": REPO_ROOT / "eval" / "chrono-docs",
}


def _rows(name: str) -> list[dict]:
    lines = (REPO_ROOT / "eval" / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize("name", sorted(SETS))
def test_question_file_is_well_formed_and_split(name):
    rows = _rows(name)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "question ids repeat"
    for r in rows:
        assert r["split"] in SPLITS, r["id"]
        assert r["language"] in ("en", "fr"), r["id"]
        assert r["question"].strip(), r["id"]
        # an answerable question has keys to score it; an unanswerable one has neither keys nor evidence
        assert bool(r["keys"]) == r["answerable"] or r["category"] == "injection", r["id"]
        if not r["answerable"]:
            assert not r["evidence"], r["id"]
    heldout = [r for r in rows if r["split"] == "heldout"]
    assert len(heldout) * 4 >= len(rows), "at least a quarter held out"
    for part in ("dev", "heldout"):
        assert {r["language"] for r in rows if r["split"] == part} == {"en", "fr"}, part


@pytest.mark.parametrize("name", sorted(SETS))
def test_gold_quotes_are_verbatim_in_their_documents(name):
    docs = SETS[name]
    if not docs.is_dir():
        pytest.skip(f"{docs} is not beside this checkout")
    texts: dict[str, str] = {}
    for r in _rows(name):
        for e in r["evidence"]:
            if e["source"] not in texts:  # each document read once
                texts[e["source"]] = load_text(docs / e["source"])  # as the index reads it (an HTML page's text)
            assert e["quote"] in texts[e["source"]], (r["id"], e["quote"][:60])
