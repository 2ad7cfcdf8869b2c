import json
import shutil

import numpy as np
import pytest

from rag import add_documents, build_index, open_index, remove_documents
from rag import store
from rag.errors import DocumentError, IndexError_


def test_build_and_search(docs, small_settings):
    kb = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    assert sorted(s["name"] for s in kb.sources()) == ["alpha.md", "beta.txt"]
    hits = kb.search("When was the reactor built?", k=2, settings=small_settings)
    assert hits[0].chunk.source == "alpha.md"
    for c in kb.chunks:
        assert kb.source_text(c.source)[c.start:c.end] == c.text
    manifest = json.loads((store.current_generation(kb.path) / "manifest.json").read_text())
    assert manifest["format_version"] == store.FORMAT_VERSION
    assert manifest["embedder"]["name"] == "all-minilm-l6-v2"
    assert len(manifest["sources"]["beta.txt"]["sha256"]) == 64


def test_dense_search_matches_brute_force(docs, small_settings):
    kb = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    q = kb.embedder(small_settings).queries(["frozen harbour in winter"])[0]
    expected = int(np.argmax(kb.vectors @ q))
    from rag import dense

    assert dense.search(kb.generation.dense, q, 1)[0][0] == expected


def test_incremental_reindex(docs, small_settings):
    path = small_settings.retrieval.index_dir
    kb = build_index([docs], path, small_settings)
    assert kb.report.embedded_chunks == len(kb.chunks)

    kb = build_index([docs], path, small_settings)  # nothing changed
    assert kb.report.embedded_chunks == 0 and sorted(kb.report.unchanged) == ["alpha.md", "beta.txt"]

    (docs / "beta.txt").write_text("Beta is now a ski resort with three lifts.")
    kb = build_index([docs], path, small_settings)  # one changed: replaced, not duplicated
    assert kb.report.updated == ["beta.txt"] and kb.report.unchanged == ["alpha.md"]
    beta = [c.text for c in kb.chunks if c.source == "beta.txt"]
    assert beta == ["Beta is now a ski resort with three lifts."]

    kb = build_index([docs / "alpha.md"], path, small_settings)  # one removed: gone
    assert kb.report.removed == ["beta.txt"]
    assert {c.source for c in kb.chunks} == {"alpha.md"}
    # its vectors and stored text went with it (the search structures hold only what is left)
    assert kb.vectors.shape[0] == kb.generation.dense.ntotal == len(kb.chunks)
    assert [s["name"] for s in kb.sources()] == ["alpha.md"]
    with pytest.raises(KeyError):
        kb.source_text("beta.txt")


def test_add_and_remove(docs, small_settings, tmp_path):
    path = small_settings.retrieval.index_dir
    build_index([docs / "alpha.md"], path, small_settings)
    extra = tmp_path / "gamma.txt"
    extra.write_text("Gamma rays were detected by the satellite on Tuesday.")
    kb = add_documents([extra], path, small_settings)
    assert kb.report.added == ["gamma.txt"] and kb.report.embedded_chunks == 1
    kb = remove_documents(["alpha.md"], path, small_settings)
    assert [s["name"] for s in kb.sources()] == ["gamma.txt"]
    with pytest.raises(DocumentError, match="not in the index"):
        remove_documents(["nope.md"], path, small_settings)


def test_bad_file_is_skipped_not_fatal(docs, small_settings):
    (docs / "junk.txt").write_bytes(b"\x00\x01\x02" * 100)
    kb = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    assert "junk.txt" in kb.report.skipped and "binary" in kb.report.skipped["junk.txt"]
    assert len(kb.sources()) == 2


def test_missing_corrupt_and_mismatched_index(docs, small_settings, tmp_path):
    with pytest.raises(IndexError_, match="no index at .*rag index build"):
        open_index(tmp_path / "none", small_settings)
    kb = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    gen = store.current_generation(kb.path)

    broken = tmp_path / "broken"
    shutil.copytree(kb.path, broken)
    (broken / gen.name / "vectors.npy").write_bytes(b"not numpy")
    with pytest.raises(IndexError_, match="corrupt.*rag index build"):
        open_index(broken, small_settings)

    old = tmp_path / "old"
    shutil.copytree(kb.path, old)
    manifest = json.loads((old / gen.name / "manifest.json").read_text())
    manifest["format_version"] = 99
    (old / gen.name / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match="format version 99"):
        open_index(old, small_settings)

    other = tmp_path / "other"
    shutil.copytree(kb.path, other)
    manifest = json.loads((other / gen.name / "manifest.json").read_text())
    manifest["embedder"]["fingerprint"] = "0" * 64
    (other / gen.name / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match="other embedder"):
        open_index(other, small_settings).search("reactor", settings=small_settings)


def test_a_build_that_changes_nothing_writes_nothing_and_an_open_index_outlives_rebuilds(docs, small_settings):
    path = small_settings.retrieval.index_dir
    kb = build_index([docs], path, small_settings)
    live = store.current_generation(path)
    again = build_index([docs], path, small_settings)
    assert not again.report.written and store.current_generation(path) == live
    (docs / "beta.txt").write_text("Beta is now a ski resort with three lifts.")
    assert build_index([docs], path, small_settings).report.written
    assert store.current_generation(path) != live and not live.exists()  # the old generation is gone from disk
    # an index opened before (a running chat, an evaluation) still answers from what it opened
    assert kb.source_text("beta.txt").startswith("Beta is a small fishing village")
    assert kb.search("harbour in winter", k=1, settings=small_settings)[0].chunk.source == "beta.txt"


def test_opening_while_a_build_switches_generations_reads_the_new_one(docs, small_settings, monkeypatch):
    path = small_settings.retrieval.index_dir
    build_index([docs], path, small_settings)
    live = store.current_generation(path)
    read = store.read_generation

    def switched_meanwhile(gen):
        if gen == live:  # a build replaced it between reading CURRENT and reading the folder
            shutil.copytree(live, path / "gen-000000000001")
            (path / "CURRENT").write_text("gen-000000000001")
            shutil.rmtree(live)
        return read(gen)

    monkeypatch.setattr(store, "read_generation", switched_meanwhile)
    kb = open_index(path, small_settings)
    assert kb.generation.name == "gen-000000000001"


def test_interrupted_build_keeps_last_good_index(docs, small_settings, monkeypatch):
    path = small_settings.retrieval.index_dir
    build_index([docs], path, small_settings)
    (docs / "beta.txt").write_text("Something entirely different about volcanoes.")

    import faiss

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(faiss, "write_index", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index([docs], path, small_settings)
    monkeypatch.undo()
    kb = open_index(path, small_settings)
    assert any("harbour" in c.text for c in kb.chunks)
    assert not [p for p in path.iterdir() if p.name.startswith(".tmp-")]


def test_example_questions_travel_with_their_document(docs, small_settings, tmp_path):
    (docs / "alpha.examples.json").write_text(json.dumps(["When was the alpha reactor built?"]))
    kb = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    assert kb.examples() == ["When was the alpha reactor built?"]
    assert "alpha.examples.json" not in [s["name"] for s in kb.sources()]  # data, not a document
    extra = tmp_path / "gamma.txt"
    extra.write_text("Gamma rays were detected by the satellite.")
    kb = add_documents([extra], small_settings.retrieval.index_dir, small_settings)
    assert kb.examples() == ["When was the alpha reactor built?"]  # kept for the documents still there
    kb = remove_documents(["alpha.md"], small_settings.retrieval.index_dir, small_settings)
    assert kb.examples() == []


def test_bad_example_file_is_a_clean_error(docs, small_settings):
    (docs / "beta.examples.json").write_text('{"not": "a list"}')
    kb = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    assert "beta.txt" in kb.report.skipped and "example questions" in kb.report.skipped["beta.txt"]


def test_a_change_of_keyword_tokenizer_writes_a_new_generation_with_the_same_vectors(docs, small_settings, monkeypatch):
    import rag.build

    path = small_settings.retrieval.index_dir
    kb = build_index([docs], path, small_settings)
    assert kb.manifest["chunker"]["keywords"] == rag.build.tokenizer_record()
    first = kb.generation.name
    monkeypatch.setattr(rag.build, "tokenizer_record", lambda: "another")
    kb = build_index([docs], path, small_settings)  # the stored BM25 terms would be stale: a new generation
    assert kb.report.written and kb.generation.name != first and kb.manifest["chunker"]["keywords"] == "another"
    assert kb.report.embedded_chunks == 0  # the same passages came out: their vectors were kept


def test_an_edited_document_embeds_only_its_passages_that_changed(tmp_path, small_settings):
    docs = tmp_path / "docs"
    docs.mkdir()
    paragraphs = [f"Paragraph {i} tells of harbour number {i}. Its boats leave at {i} o'clock." for i in range(16)]
    (docs / "a.txt").write_text("\n\n".join(paragraphs))
    path = small_settings.retrieval.index_dir
    kb = build_index([docs], path, small_settings)
    before = {c.text: kb.vectors[i] for i, c in enumerate(kb.chunks)}
    assert len(before) >= 3
    paragraphs[-1] = "The last harbour was closed in 1990. Nobody sails from it now."
    (docs / "a.txt").write_text("\n\n".join(paragraphs))
    kb = build_index([docs], path, small_settings)
    assert kb.report.updated == ["a.txt"]
    changed = [c for c in kb.chunks if c.text not in before]
    assert 1 <= kb.report.embedded_chunks == len(changed) < len(kb.chunks)
    emb = kb.embedder(small_settings)
    for i, c in enumerate(kb.chunks):  # every vector is the one of its own text, kept or new
        assert np.allclose(kb.vectors[i], emb.documents([f"{c.context} {c.text}".strip()])[0], atol=1e-5)


def test_a_passage_that_opens_a_section_is_embedded_under_the_document_title(tmp_path, small_settings):
    docs = tmp_path / "docs"
    docs.mkdir()
    text = ("Riverside Sports Centre — visitor information\n\nOpening hours\nSaturday: 8 am to 8 pm\n"
            "Sunday: 9 am to 6 pm\n\nParking\nThe car park has 120 spaces.")
    (docs / "a.txt").write_text(text)
    kb = build_index([docs], small_settings.retrieval.index_dir, small_settings)
    emb = kb.embedder(small_settings)
    title = "Riverside Sports Centre — visitor information"
    expected = {
        title: title,
        "Opening hours": f"{title} Opening hours",
        "Saturday: 8 am to 8 pm\nSunday: 9 am to 6 pm": f"{title} Opening hours Saturday: 8 am to 8 pm\nSunday: 9 am to 6 pm",
        "Parking": "Sunday: 9 am to 6 pm Parking",
        "The car park has 120 spaces.": f"{title} Parking The car park has 120 spaces.",
    }
    assert [c.text for c in kb.chunks] == list(expected)
    for i, c in enumerate(kb.chunks):
        assert np.allclose(kb.vectors[i], emb.documents([expected[c.text]])[0], atol=1e-5)


def test_vectors_made_from_passage_texts_made_another_way_are_not_reused(docs, small_settings, monkeypatch):
    import rag.build

    path = small_settings.retrieval.index_dir
    first = build_index([docs], path, small_settings)
    assert first.report.embedded_chunks == len(first.chunks)
    monkeypatch.setattr(rag.build, "passage_text_record", lambda: "another recipe")
    again = build_index([docs], path, small_settings)
    assert again.report.embedded_chunks == len(again.chunks)
    assert again.manifest["embedder"]["passage_text"] == "another recipe"
