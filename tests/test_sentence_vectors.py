"""Sentence vectors stored at build time (rag.sentence_vectors) and read by verification's cache."""

import json

import numpy as np

from rag import build_index, sentence_vectors
from rag.names import VectorCache
from rag.sentences import sentences_of
from rag.types import Hit


def _build(docs, settings):
    return build_index([docs], settings.retrieval.index_dir, settings)


def test_the_build_stores_every_sentence_a_context_can_show_with_the_embedder_s_own_vectors(docs, small_settings):
    kb = _build(docs, small_settings)
    stored = sentence_vectors.load(kb)
    shown = {s.text for s in sentences_of([Hit(c, 0.0, 0.0) for c in kb.chunks], source_text=kb.source_text)}
    assert shown and shown <= set(stored)
    assert kb.report.embedded_sentences == len(stored)
    emb = kb.embedder(small_settings)
    text = sorted(shown)[0]
    assert np.allclose(stored[text], emb.documents([text])[0], atol=1e-5)


def test_the_build_stores_a_list_line_as_verification_reads_it_under_its_headings(docs, small_settings):
    (docs / "pool.md").write_text("# Riverside pool\n\n## Opening hours\n\n- Monday: 7 am to 9 pm\n- Sunday: closed\n")
    kb = _build(docs, small_settings)
    stored = sentence_vectors.load(kb)
    assert "Riverside pool\nOpening hours\n- Sunday: closed" in stored  # not embedded when a question comes
    shown = sentences_of([Hit(c, 0.0, 0.0) for c in kb.chunks], paragraphs=kb.source_text)
    assert {s.headed for s in shown if s.headed} <= set(stored)


def test_a_rebuild_embeds_only_new_sentences_and_drops_the_old_file(docs, small_settings):
    path = small_settings.retrieval.index_dir
    kb = _build(docs, small_settings)
    first = sentence_vectors.path_of(kb)
    again = _build(docs, small_settings)  # nothing changed: nothing embedded, the file kept
    assert again.report.embedded_sentences == 0 and first.exists()
    (docs / "beta.txt").write_text("Beta is now a ski resort with three lifts.")
    changed = _build(docs, small_settings)
    assert changed.report.embedded_sentences == 1  # alpha's sentences came from the last file
    assert sentence_vectors.path_of(changed).exists() and not first.exists()
    vectors = sentence_vectors.path_of(changed)
    assert sorted(path.glob("sentences-*")) == [vectors.with_suffix(".json"), vectors]
    assert "Beta is now a ski resort with three lifts." in sentence_vectors.load(changed)


def test_an_index_without_the_file_gets_it_on_the_next_build_and_a_broken_file_is_ignored(docs, small_settings):
    kb = _build(docs, small_settings)
    f = sentence_vectors.path_of(kb)
    f.unlink()
    assert sentence_vectors.load(kb) == {}
    again = _build(docs, small_settings)
    assert not again.report.written and again.report.embedded_sentences > 0 and f.exists()
    f.write_bytes(b"not an npy file")
    assert sentence_vectors.load(kb) == {}


def test_the_vectors_are_memory_mapped_and_a_pair_that_does_not_match_is_ignored(docs, small_settings):
    kb = _build(docs, small_settings)
    stored = sentence_vectors.load(kb)
    assert isinstance(stored._matrix, np.memmap)  # read from disk on demand, not held in memory
    text = next(iter(stored))
    assert stored[text].dtype == np.float32 and not isinstance(stored[text], np.memmap)  # a copy
    texts = sentence_vectors.path_of(kb).with_suffix(".json")
    texts.write_text(json.dumps(list(stored)[:-1]), encoding="utf-8")  # one sentence short of the rows
    assert sentence_vectors.load(kb) == {}
    texts.unlink()  # the vectors without their sentences (a build stopped between the two renames)
    assert sentence_vectors.load(kb) == {}


def test_the_single_file_of_earlier_builds_is_removed_by_the_next_one(docs, small_settings):
    kb = _build(docs, small_settings)
    old = sentence_vectors.path_of(kb).with_suffix(".npz")
    old.write_bytes(b"the format before")
    (docs / "beta.txt").write_text("Beta is now a ski resort with three lifts.")
    _build(docs, small_settings)
    assert not old.exists()


def test_the_cache_reads_stored_vectors_instead_of_embedding():
    class Counting:
        calls: list[list[str]] = []

        def documents(self, texts):
            self.calls.append(list(texts))
            return np.ones((len(texts), 2), "float32")

    emb = Counting()
    cache = VectorCache(emb)
    stored = {"A stored sentence.": np.array([0.6, 0.8], "float32")}
    cache.use("v1", lambda: stored)
    out = cache.get(["A stored sentence.", "A new one."])
    assert emb.calls == [["A new one."]]
    assert np.allclose(out[0], [0.6, 0.8]) and np.allclose(out[1], [1, 1])
    loads = []
    cache.use("v1", lambda: loads.append(1) or {})  # same index version: not loaded again
    assert loads == []
