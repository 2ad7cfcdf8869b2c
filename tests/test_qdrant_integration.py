"""Integration tier: the real default models answering from the bundled article stored in embedded
Qdrant, with the same passages and citations as from the file store."""

from __future__ import annotations

import subprocess
import sys

import pytest

import rag
from tests.conftest import ARTICLE

pytestmark = pytest.mark.integration


def test_answers_from_qdrant_match_the_file_store(real_index, real_settings, answered, tmp_path):
    qs = real_settings.replace(store="qdrant", index_dir=tmp_path / "article")
    qd = rag.build_index([ARTICLE], qs.retrieval.index_dir, qs)
    with_citations = 0
    for question in ["Who is the Pentagon spokesman?", "Qui est Maria Zakharova ?"]:
        local = answered(question)
        a = rag.answer(question, index=qd, settings=qs)
        assert [h.chunk.id for h in a.passages] == [h.chunk.id for h in local.passages]
        assert a.text == local.text and [(c.start, c.end) for c in a.citations] == \
            [(c.start, c.end) for c in local.citations]
        for c in a.citations:
            assert qd.source_text(c.source)[c.start:c.end] == c.quote
        with_citations += bool(a.citations)
    # the stores must agree on a cited answer, not only on abstentions (one greedy answer of the 1.5B model
    # tipped to an abstention in both stores with another CPU's arithmetic, on a 2-core AMD EPYC VM)
    assert with_citations >= 1
    # a second process cannot open the same embedded Qdrant: one clear line, not a traceback
    out = subprocess.run([sys.executable, "-m", "rag", "index", "list", "--index", str(qs.retrieval.index_dir)],
                         env={**__import__("os").environ, "RAG_STORE": "qdrant"}, capture_output=True, text=True)
    assert out.returncode == 2 and "open in another process" in out.stderr and "Traceback" not in out.stderr
