"""Unit tier for the speed work: settings, the whole-knowledge-base prompt, peer scoring."""

from rag.context import RETRIEVED, WHOLE_KB, Context
from rag.chunking import chunk_id
from rag.settings import Settings
from rag.types import Chunk, Hit
from rag.sentences import sentences_of


def test_boolean_settings_from_environment(monkeypatch):
    monkeypatch.setenv("RAG_LAZY_GRAMMAR", "0")
    monkeypatch.setenv("RAG_CONTEXT_SENTENCES", "false")
    s = Settings.from_env()
    assert s.generation.lazy_grammar is False and s.retrieval.context_sentences is False
    monkeypatch.setenv("RAG_LAZY_GRAMMAR", "yes")
    assert Settings.from_env().generation.lazy_grammar is True
    monkeypatch.setenv("RAG_STATE_DIR", "~/states")
    assert not str(Settings.from_env().models.state_dir).startswith("~")


def _hit(text, start):
    c = Chunk(chunk_id("a.txt", start, start + len(text), text), "a.txt", start, start + len(text), text)
    return Hit(c, 0.5, 0.6)


def test_whole_knowledge_base_prompt_is_a_stable_prefix_with_retrieval_hints():
    a, b, c = _hit("Alpha one. Alpha two.", 0), _hit("Beta one.", 22), _hit("Gamma one.", 32)
    whole = sentences_of([a, b, c])
    first = Context(whole, WHOLE_KB, [c, a]).messages("What about gamma?", "en")
    second = Context(whole, WHOLE_KB, [b]).messages("Et beta ?", "en")
    listing = Context(whole, WHOLE_KB, []).listing
    for m in (first, second):
        assert listing in m[1]["content"]
    # everything up to the end of the listing is the same: that is the part whose state is cached
    end = first[1]["content"].index(listing) + len(listing)
    assert first[1]["content"][:end] == second[1]["content"][:end]
    assert "question: 4, 1, 2." in first[1]["content"]  # gamma's sentence first, then alpha's
    assert "question: 3." in second[1]["content"]
    # retrieved-passages prompts carry no hint line
    plain = Context(whole, RETRIEVED, [c, a]).messages("What about gamma?", "en")[1]["content"]
    assert "Search ranks" not in plain and "\n\n\n" not in plain


def test_answer_prompt_marks_end_each_passage_in_order():
    """Where the answer prompt's model state is held between questions: the system prompt, then the
    listing to the end of each passage (a passage of two sentences ends once); the whole listing alone
    when the knowledge base is shown whole."""
    a, b = _hit("Alpha one. Alpha two.", 0), _hit("Beta one.", 22)
    context = Context(sentences_of([b, a]), RETRIEVED, [b, a])
    messages = context.messages("What about alpha?", "en")
    system, *ends = context.marks(messages)
    assert system == messages[0]["content"]
    assert ends == ["[1] Beta one.", "[1] Beta one.\n[2] Alpha one.\n[3] Alpha two."] and ends[-1] == context.listing
    prompt = messages[1]["content"]
    assert all(prompt.startswith(end, prompt.index("[1]")) for end in ends)
    whole = Context(sentences_of([a, b]), WHOLE_KB, [b])
    assert whole.marks(whole.messages("?", "en")) == (whole.listing,)


def test_peer_abstention_detector():
    from benchmarks.peer import NOT_FOUND

    for text in ("The sources do not mention the capital of Australia.", "There is no information about it.",
                 "Les sources ne mentionnent pas cela.", "Le texte ne précise pas la date.",
                 "I cannot answer this from the sources."):
        assert NOT_FOUND.search(text), text
    for text in ("Peter Cook is the Pentagon spokesman [1].", "Maria Zakharova est la porte-parole [2]."):
        assert not NOT_FOUND.search(text), text


def test_peer_passages_are_located_in_their_source():
    from benchmarks.peer import _locate

    text = "Intro.\nPeter  Cook is\nthe spokesman. End."
    assert _locate(text, "Intro.") == ("Intro.", 0, 6)
    quote, start, end = _locate(text, "Peter Cook is the spokesman.")
    assert text[start:end] == quote == "Peter  Cook is\nthe spokesman."
    assert _locate(text, "Not there.")[1:] == (-1, -1)


def test_schema_segments_split_the_answer_schema_at_its_fixed_text():
    """The answer schema's keys and braces are read, only the values generated; the pieces rejoin into
    the JSON the whole schema describes, and each value grammar compiles."""
    import json

    from llama_cpp import LlamaGrammar

    from rag.generate import schema
    from rag.sampling import schema_segments

    segments = schema_segments(schema(3))
    assert [fixed for fixed, _ in segments] == ['{"answerable":', ' "evidence":', ' "answer":']
    values = [" true,", " [1, 3],", ' "Yes, in 2015."}']
    assert json.loads("".join(f + v for (f, _), v in zip(segments, values))) == {
        "answerable": True, "evidence": [1, 3], "answer": "Yes, in 2015."}
    for _, grammar in segments:
        LlamaGrammar.from_string(grammar, verbose=False)
    assert segments[-1][1].rstrip().endswith('"}"') and all(g.rstrip().endswith('","') for _, g in segments[:-1])
    assert schema_segments({"type": "string"}) is None
    assert schema_segments({"type": "object", "properties": {"a": {"type": "string"}}, "required": []}) is None


class _FakeLlama:
    """llama-cpp-python's context as `hold_stretches` sees it: the tokens held, and what eval reads."""

    def __init__(self, held):
        import numpy as np

        self.input_ids = np.zeros(64, dtype=np.intc)
        self.input_ids[: len(held)] = held
        self.n_tokens = len(held)
        self.reads = []

    def eval(self, tokens):
        self.reads.append(list(tokens))
        self.input_ids[self.n_tokens : self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)


def test_hold_stretches_reads_each_missing_stretch_from_the_mark_before():
    from rag.prefix_state import hold_stretches

    prompt = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    # the previous prompt shared the first passage and part of the second: the second is read whole
    llama = _FakeLlama([1, 2, 3, 4, 5, 6, 0, 0])
    hold_stretches(llama, prompt, 2, [4, 7, 8])
    assert llama.reads == [[5, 6, 7], [8]] and llama.n_tokens == 8
    # everything held already, and more (the previous question): nothing read, cut at the last mark
    llama = _FakeLlama([1, 2, 3, 4, 5, 6, 7, 8, 42, 43])
    hold_stretches(llama, prompt, 2, [4, 7, 8])
    assert llama.reads == [] and llama.n_tokens == 8
