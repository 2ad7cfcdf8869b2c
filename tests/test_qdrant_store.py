"""Embedder tier: the Qdrant store (embedded, on disk) keeps the file store's promises: the same top
passages, exact offsets and stored texts, incremental re-indexing by content hash, a manifest,
an atomic switch that an interrupted build leaves on the last good version, clear errors."""

from __future__ import annotations

import json

import pytest

from rag import add_documents, build_index, open_index, remove_documents
from rag import qdrant_store
from rag.errors import IndexError_

QUESTIONS = ["When was the reactor built?", "frozen harbour in winter", "steam for the town", "ski lifts"]


@pytest.fixture
def docs(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "alpha.md").write_text("# Alpha\n\nThe alpha reactor was built in 1961. It produced steam for the town.")
    (d / "beta.txt").write_text("Beta is a small fishing village. Its harbour freezes every winter. "
                                "Gamma lies further north, with three ski lifts and a reactor museum.")
    return d


@pytest.fixture
def qsettings(small_settings, tmp_path):
    return small_settings.replace(store="qdrant", index_dir=tmp_path / "kb")


def test_same_passages_offsets_and_texts_as_the_file_store(docs, small_settings, qsettings):
    files = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    qd = build_index([docs], qsettings.retrieval.index_dir, qsettings)
    assert (qsettings.retrieval.index_dir / "qdrant").is_dir() and not (qsettings.retrieval.index_dir / "CURRENT").exists()
    assert [c.id for c in qd.chunks] == [c.id for c in files.chunks]
    same = lambda m: {n: {k: v for k, v in s.items() if k != "added"} for n, s in m["sources"].items()}  # noqa: E731
    assert same(qd.manifest) == same(files.manifest) and qd.manifest["chunker"] == files.manifest["chunker"]
    for q in QUESTIONS:
        assert [(h.chunk.id, round(h.score, 6)) for h in qd.search(q, 3, 6, qsettings)] == \
            [(h.chunk.id, round(h.score, 6)) for h in files.search(q, 3, 6, small_settings)], q
    for c in qd.chunks:
        assert qd.source_text(c.source)[c.start:c.end] == c.text
    with pytest.raises(KeyError):
        qd.source_text("nope.txt")


def test_incremental_add_remove_and_the_old_generation_dropped(docs, qsettings, tmp_path):
    path = qsettings.retrieval.index_dir
    kb = build_index([docs], path, qsettings)
    assert kb.report.embedded_chunks == len(kb.chunks) > 0
    kb = build_index([docs], path, qsettings)
    assert kb.report.embedded_chunks == 0 and sorted(kb.report.unchanged) == ["alpha.md", "beta.txt"]
    (docs / "beta.txt").write_text("Beta is now a ski resort with three lifts.")
    kb = build_index([docs], path, qsettings)
    assert kb.report.updated == ["beta.txt"] and [c.text for c in kb.chunks if c.source == "beta.txt"] == \
        ["Beta is now a ski resort with three lifts."]
    extra = tmp_path / "gamma.txt"
    extra.write_text("Gamma rays were detected by the satellite on Tuesday.")
    kb = add_documents([extra], path, qsettings)
    assert kb.report.added == ["gamma.txt"] and kb.report.embedded_chunks == 1
    kb = remove_documents(["alpha.md"], path, qsettings)
    assert {c.source for c in kb.chunks} == {"beta.txt", "gamma.txt"} and kb.vectors.shape[0] == len(kb.chunks)
    client = qdrant_store.Target.of(path, qsettings).client()
    names = sorted(c.name for c in client.get_collections().collections)  # 5 builds: the live one and two before it
    assert len(names) == 3 and names[-1] == kb.generation.name
    reopened = open_index(path, qsettings)
    assert reopened.version == kb.version and reopened.search("satellite rays", 1, 6, qsettings)[0].chunk.source == "gamma.txt"


def test_interrupted_build_keeps_the_last_good_index(docs, qsettings, monkeypatch):
    path = qsettings.retrieval.index_dir
    build_index([docs], path, qsettings)
    (docs / "beta.txt").write_text("Something entirely different about volcanoes.")
    client = qdrant_store.Target.of(path, qsettings).client()
    real = client.update_collection_aliases

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(client, "update_collection_aliases", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index([docs], path, qsettings)
    monkeypatch.setattr(client, "update_collection_aliases", real)
    kb = open_index(path, qsettings)
    assert any("harbour" in c.text for c in kb.chunks)
    assert len(client.get_collections().collections) == 1  # the half-written generation is gone


def test_missing_corrupt_and_old_indexes_are_clear_errors(docs, qsettings, tmp_path):
    with pytest.raises(IndexError_, match="no index at .*store: qdrant.*rag index build"):
        open_index(tmp_path / "none", qsettings)
    assert not (tmp_path / "none").exists()  # looking did not create anything
    kb = build_index([docs], qsettings.retrieval.index_dir, qsettings)
    client, name = kb.generation.client, kb.generation.name
    from qdrant_client import models as M

    point = client.retrieve(name, [qdrant_store._MANIFEST_ID], with_payload=True)[0]
    manifest = json.loads(point.payload["manifest"])
    manifest["format_version"] = 99
    client.set_payload(name, {"manifest": json.dumps(manifest)}, points=[qdrant_store._MANIFEST_ID])
    with pytest.raises(IndexError_, match="format version 99"):
        open_index(qsettings.retrieval.index_dir, qsettings)
    manifest["format_version"] = 1
    client.set_payload(name, {"manifest": json.dumps(manifest)}, points=[qdrant_store._MANIFEST_ID])
    chunk = client.scroll(name, scroll_filter=M.Filter(must=[M.FieldCondition(key="kind", match=M.MatchValue(value="chunk"))]),
                          limit=1)[0][0]
    client.delete(name, points_selector=M.PointIdsList(points=[chunk.id]))
    with pytest.raises(IndexError_, match="corrupt.*chunk counts.*RAG_STORE=qdrant"):
        open_index(qsettings.retrieval.index_dir, qsettings)
    client.delete(name, points_selector=M.PointIdsList(points=[qdrant_store._MANIFEST_ID]))
    with pytest.raises(IndexError_, match="corrupt \\(no manifest\\)"):
        open_index(qsettings.retrieval.index_dir, qsettings)
