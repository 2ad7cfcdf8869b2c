"""Question -> verified, cited answer, in explicit stages.

    validate -> (rewrite follow-up) (rag.question) -> retrieve -> [abstain early]
             -> context (rag.context) -> generation (rag.generate) -> verification (rag.verify, rag.judge)
             -> [focused retry] -> [translated, or the evidence quoted] -> Answer (with its Trace and Timings)

Abstention is decided from evidence: the best retrieval similarity, names the passages never give,
the model's flag, and whether any claim survives verification.
"""

from __future__ import annotations

import json
import threading
import time
import weakref
from dataclasses import replace
from typing import Callable, Iterator

import numpy as np

from . import coverage, instructions, judge, lang, prompts
from .context import Context, build_context
from .generate import AnswerField, generate, parse, translate
from .index import Index, default_index
from .llm import TextModel, get_check_llm, get_llm
from .settings import Settings, settings_or_env
from .types import Answer, Timings, Trace
from .names import VectorCache
from .question import History, rewrite_question, validate_question
from .verify import absent_names, check_claims, cite, focus_sentences, naming_sentences, relevance

_VECTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # embedder -> its VectorCache
_VECTORS_LOCK = threading.Lock()


def _vectors(embedder) -> VectorCache:
    """The verification vector cache of this embedder (one per embedder: vectors never mix)."""
    with _VECTORS_LOCK:
        if embedder not in _VECTORS:
            _VECTORS[embedder] = VectorCache(embedder)
        return _VECTORS[embedder]


class _Run:
    """One question on its way to an answer: what every stage needs and records."""

    def __init__(self, question: str, language: str, settings: Settings) -> None:
        self.question, self.language, self.settings = question, language, settings
        self.t0 = time.perf_counter()
        self.trace = Trace(llm=settings.models.llm, prompts_version=prompts.version(), top_k=settings.retrieval.top_k)
        self.timings = Timings()
        self.hits: list = []
        self.query_vector = None  # the standalone question's embedding (query prompt), from retrieval

    def abstain(self, reason: str | None = None, key: str = "abstain", trace: Trace | None = None) -> Answer:
        trace = trace or self.trace
        if reason:
            trace.abstain_reason = reason
        self.timings.total_s = time.perf_counter() - self.t0
        return Answer(self.question, instructions.phrase(key, self.language), True, [], self.language, self.hits, trace,
                      self.timings)


def stream_answer(question: str, index: Index | None = None, history: History | None = None,
                  settings: Settings | None = None, **overrides) -> Iterator[str | Answer]:
    """Yield the answer text as it is generated, then the final verified `Answer`.

    >>> for event in stream_answer("Qui préside le comité ?"):   # doctest: +SKIP
    ...     print(event if isinstance(event, str) else event.citations)
    """
    settings = settings_or_env(settings, **overrides)
    question = validate_question(question, settings)
    run = _Run(question, lang.detect(question), settings)
    trace, timings = run.trace, run.timings
    trace.injection_detected = instructions.is_instruction(question)
    if instructions.only_instructs(question):
        # Nothing is asked, only an instruction to the assistant: declined. A question that also
        # carries an instruction is answered; the instruction is data like the rest of it.
        yield run.abstain(key="injection")
        return
    index = index or default_index(settings)
    trace.index_version = index.version
    embedder = index.embedder(settings)
    llm = get_llm(settings)
    trace.llm_file = llm.name
    # What the question asks, without the sentences that instruct the assistant (those are only data).
    asked = instructions.without_instructions(question)
    standalone = rewrite_question(asked, history, llm, settings) if history and instructions.needs_context(asked) else asked
    trace.rewritten_query = standalone

    t_retrieve = time.perf_counter()
    run.query_vector = qvec = embedder.queries([standalone])[0]
    run.hits = index.search(standalone, settings.retrieval.top_k, settings.retrieval.pool, settings, query_vector=qvec)
    timings.retrieval_s = time.perf_counter() - t_retrieve
    trace.top_similarity = max((h.dense for h in run.hits), default=0.0)
    if trace.top_similarity < settings.retrieval.min_relevance:
        yield run.abstain("no relevant passage")
        return

    context = build_context(index, run.hits, settings)
    trace.context = context.kind
    vectors = _vectors(embedder)
    documents = [index.source_text(name) for name in dict.fromkeys(h.chunk.source for h in run.hits)]
    absent = absent_names(standalone, context.sentences, vectors, documents)
    if absent:
        yield run.abstain("the passages never name " + ", ".join(absent))
        return

    messages = context.messages(standalone, run.language)
    decoder = AnswerField()
    t_gen = time.perf_counter()
    for piece in generate(llm, context, messages, settings):
        if timings.first_token_s is None:
            timings.first_token_s = time.perf_counter() - run.t0
        new = decoder.feed(piece)
        if new:
            if timings.first_answer_token_s is None:
                timings.first_answer_token_s = time.perf_counter() - run.t0
            yield new
    timings.generation_s = time.perf_counter() - t_gen
    used = llm.last
    trace.prompt_tokens, trace.completion_tokens, trace.answerable_p = used.prompt_tokens, used.completion_tokens, used.p_true
    result = _verified(run, standalone, decoder.raw, context, vectors, llm, messages, trace)

    if result.abstained and settings.verification.off_topic_retry and _off_topic(result.trace, settings):
        # The model answered from a sentence about something else (often next to the one that answers):
        # asked once more on only the sentences close to the question.
        close = _close_sentences(context, run.query_vector, vectors, settings.verification.min_answer_relevance)
        result = _ask_again_on(run, standalone, context, close, vectors, llm, result, "off topic")
    if result.abstained and settings.verification.name_retry and result.trace.named_elsewhere:
        # A statement about someone else was put on the one the question names: asked once more on only
        # the sentences whose paragraph names them.
        result = _ask_again_on(run, standalone, context, naming_sentences(standalone, context.sentences), vectors, llm,
                               result, "named")

    if not result.abstained and settings.verification.closest_retry:
        # The answer cites none of the sentences closest to the question (those that cite the answering
        # sentence mostly cite the closest one): asked once more on only those.
        closest = _closest_sentences(context, run.query_vector, vectors, settings.verification.closest_retry)
        if not {(c.source, c.start) for c in result.citations} & {(s.source, s.start) for s in closest}:
            result = _ask_again_on(run, standalone, context, closest, vectors, llm, result, "closest")
    if not result.abstained and settings.verification.focus_retry:
        # The answer ignores a name the question asks about although the passages have it:
        # ask once more on just the sentences that mention it.
        focus = focus_sentences(standalone, context.sentences, result.citations, context.sentence_of)
        result = _ask_again_on(run, standalone, context, focus, vectors, llm, result, "focus")
    if not result.abstained and lang.answer_language(result.text) not in (None, run.language):
        # Answered in the other language (a verbatim copy of a source sentence): the answer is translated
        # and verified again on the same evidence; it replaces the first when it stands, in that language.
        # When it does not, the evidence is quoted as the source words it, introduced in the question's language.
        result = _translated(run, standalone, result, context, vectors, llm, messages) or _quoted(run, result)
    timings.total_s = time.perf_counter() - run.t0
    yield result


def _off_topic(trace: Trace, settings: Settings) -> bool:
    """Did the answer abstain because neither it nor its sentences are about the question?"""
    return trace.relevance is not None and trace.relevance < settings.verification.min_answer_relevance


def _similarities(context: Context, query_vector, vectors: VectorCache) -> np.ndarray:
    """Each context sentence's cosine with the question (cached document vectors)."""
    return vectors.get([s.text for s in context.sentences]) @ query_vector


def _close_sentences(context: Context, query_vector, vectors: VectorCache, enough: float) -> list:
    """The context's sentences at least `enough` similar to the question."""
    sims = _similarities(context, query_vector, vectors)
    return [s for s, sim in zip(context.sentences, sims) if sim >= enough]


def _closest_sentences(context: Context, query_vector, vectors: VectorCache, n: int) -> list:
    """The context's `n` sentences most similar to the question, in context order."""
    sims = _similarities(context, query_vector, vectors)
    best = set(np.argsort(-sims, kind="stable")[:n].tolist())
    return [s for i, s in enumerate(context.sentences) if i in best]


def _ask_again_on(run: _Run, standalone: str, context: Context, sentences: list, vectors: VectorCache, llm: TextModel,
                  first: Answer, label: str) -> Answer:
    """Ask once more on only these sentences (none, or all of them: not asked); the retry's answer when it
    stands, else the first. Its trace says which (`focus`: "<label>: replaced" or "<label>: failed: why")."""
    if not sentences or len(sentences) == len(context.sentences):
        return first
    focused = context.focused(sentences)
    retry = _again(run, standalone, focused, focused.messages(standalone, run.language), vectors, llm, first.trace)
    if retry.abstained:
        first.trace.retry_output = retry.trace.model_output
        first.trace.focus = f"{label}: failed: {retry.trace.abstain_reason}"
        return first
    retry.trace.focus = f"{label}: replaced"
    return retry


def _again(run: _Run, standalone: str, context: Context, messages: list[dict[str, str]], vectors: VectorCache,
           llm: TextModel, trace: Trace) -> Answer:
    """A second attempt on these messages, generated and verified with a trace of its own (when it
    fails, the first answer keeps its record)."""
    raw = "".join(generate(llm, context, messages, run.settings))
    retry_trace = replace(trace, first_attempt=trace.model_output, dropped_claims={}, named_elsewhere=[], abstain_reason=None,
                          answerable_p=llm.last.p_true)
    return _verified(run, standalone, raw, context, vectors, llm, messages, retry_trace)


def _translated(run: _Run, standalone: str, first: Answer, context: Context, vectors: VectorCache,
                llm: TextModel, messages: list[dict[str, str]]) -> Answer | None:
    """The first answer translated into the question's language, with its evidence, verified again
    (names and quotes are checked across languages); None when it does not stand or is still in the
    other language. Asking again for the whole reply got the same copied sentence back."""
    output = first.trace.model_output
    t_translate = time.perf_counter()
    with llm.aside():  # like the coverage check's prompts: the next answer still shares its start with this one's
        text = translate(llm, output.answer, run.language, run.settings)
    run.timings.translation_s = time.perf_counter() - t_translate
    if not text or lang.answer_language(text) not in (None, run.language):
        return None
    raw = json.dumps({"answerable": True, "evidence": output.evidence, "answer": text}, ensure_ascii=False)
    trace = replace(first.trace, first_attempt=output, dropped_claims={}, named_elsewhere=[], abstain_reason=None)
    again = _verified(run, standalone, raw, context, vectors, llm, messages, trace)
    if again.abstained:
        return None
    again.trace.translation = "translated"
    return again


def _quoted(run: _Run, first: Answer) -> Answer:
    """The first answer's cited sentences, verbatim and in quotation marks, after a lead-in in the question's
    language: what an answer in the other language can still say when its translation does not stand."""
    left, right = ("« ", " »") if run.language == "fr" else ("“", "”")
    quotes = " ".join(f"{left}{c.quote}{right} [{c.number}]" for c in first.citations)
    first.trace.translation = "quoted: the translation did not stand"
    return replace(first, text=f"{instructions.phrase('quoted', run.language)} {quotes}")


def _verified(run: _Run, standalone: str, raw: str, context: Context, vectors: VectorCache, llm: TextModel,
              messages: list[dict[str, str]], trace: Trace) -> Answer:
    """Verification stage: the model's reply parsed, each claim checked (and judged), the answer cited."""
    output = parse(raw)
    trace.model_output = output
    if output is None:
        return run.abstain("unparseable model output", trace=trace)
    if not output.answerable or not output.answer:
        return run.abstain("the model found no answer in the passages", trace=trace)
    settings = run.settings
    if trace.answerable_p is not None and trace.answerable_p < settings.verification.min_answerable_p:
        return run.abstain(f"the model is unsure the passages answer it (p = {trace.answerable_p:.2f})", trace=trace)
    claims = check_claims(standalone, output.answer, output.evidence, context.sentences, vectors, settings.verification.min_support)
    if settings.verification.judge and any(c.kept for c in claims):
        t_judge = time.perf_counter()
        trace.judge = judge.judge(llm, messages, raw, claims, settings)
        run.timings.judge_s = time.perf_counter() - t_judge
        if trace.judge is not None:
            judge.apply(claims, trace.judge)
    checked = cite(claims)
    trace.dropped_claims = checked.reasons
    trace.named_elsewhere = list(dict.fromkeys(n for c in claims if not c.kept for n in c.named_elsewhere))
    if not checked.citations:
        return run.abstain("no claim is supported by the sources", trace=trace)
    if settings.verification.min_answer_relevance > 0 and run.query_vector is not None:
        trace.relevance = round(relevance(run.query_vector, claims, vectors, settings.verification.min_answer_relevance), 4)
        if trace.relevance < settings.verification.min_answer_relevance:
            return run.abstain(f"neither the answer nor its cited sentences are about the question (similarity "
                               f"{trace.relevance:.2f})", trace=trace)
    t_cover = time.perf_counter()
    v = settings.verification
    covered = coverage.check(get_check_llm(settings, llm), standalone, " ".join(c.quote for c in checked.citations), run.language,
                             v.min_asked_p, v.asked_languages_tuple, checked.text, v.restated_languages_tuple, v.min_restated_p,
                             context.window_of(checked.citations))
    if covered is not None:
        run.timings.coverage_s = (run.timings.coverage_s or 0.0) + time.perf_counter() - t_cover
        trace.coverage = covered.p_yes
        if covered.unexpressed:
            words = ", ".join(f'"{w}"' for w in covered.unexpressed)
            return run.abstain(f"the cited sentences do not say {words}, which the question asks about", trace=trace)
    trace.abstain_reason = None
    run.timings.total_s = time.perf_counter() - run.t0
    return Answer(run.question, checked.text, False, checked.citations, run.language, run.hits, trace, run.timings)


def answer(question: str, index: Index | None = None, history: History | None = None,
           settings: Settings | None = None, **overrides) -> Answer:
    """Answer a question from the documents, with verified citations.

    >>> a = answer("Who chairs the committee?")   # doctest: +SKIP
    >>> a.text, a.abstained, a.citations[0].quote        # doctest: +SKIP
    """
    return collect(stream_answer(question, index=index, history=history, settings=settings, **overrides))


def collect(events: Iterator[str | Answer], on_text: Callable[[str], None] | None = None) -> Answer:
    """Consume a `stream_answer` stream: each piece of text to `on_text`, then the final `Answer`."""
    for event in events:
        if isinstance(event, Answer):
            return event
        if on_text is not None:
            on_text(event)
    raise RuntimeError("the answer stream ended without an answer")
