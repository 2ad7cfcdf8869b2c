"""Question -> verified, cited answer, in explicit stages.

    validate -> (rewrite follow-up) (rag.question) -> retrieve -> [abstain early]
             -> context (rag.context) -> generation (rag.generate) -> verification (rag.verify, rag.judge)
             -> [focused retry] -> [a yes/no question's subject in the cited documents; the question's words that another document is about] (rag.subject)
             -> [translated, or the evidence quoted] -> Answer (with its Trace and Timings)

The verification stage and the second attempts are in `rag.attempt`. Abstention is decided from
evidence: the best retrieval similarity (unless a passage names what the question names), names the
passages never give, the model's flag, and whether any claim survives verification.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Callable, Iterator

from . import instructions, lang, sentence_vectors
from .attempt import Run, ask_again_on, close_sentences, closest_sentences, off_topic, quoted, translated, verified
from .context import build_context, sentences_before
from .exact import unnamed_around
from .generate import AnswerField, generate
from .index import Index, best, default_index
from .llm import get_llm
from .names import VectorCache
from .question import History, rewrite_question, validate_question
from .sentences import sentences_of
from .settings import Settings, settings_or_env
from .subject import missing_subject, other_topic
from .types import Answer
from .verify import absent_names, focus_sentences, naming_sentences

_VECTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # embedder -> its VectorCache
_VECTORS_LOCK = threading.Lock()


def _vectors(embedder) -> VectorCache:
    """The verification vector cache of this embedder (one per embedder: vectors never mix)."""
    with _VECTORS_LOCK:
        if embedder not in _VECTORS:
            _VECTORS[embedder] = VectorCache(embedder)
        return _VECTORS[embedder]


def named_by_passages(question: str, hits) -> bool:
    """Whether one retrieved passage names every name the question gives, as written: a question about
    a film listed among twenty titles comes far from that passage by embedding, yet it is about it."""
    names = lang.names(question)
    return bool(names) and any(all(lang.mentions(f"{h.chunk.context} {h.chunk.text}", n) for n in names) for h in hits)


def best_sentence(hits, query_vector, vectors: VectorCache) -> float:
    """The highest cosine of a sentence of these passages with the question (the build's stored vectors)."""
    texts = [s.text for s in sentences_of(hits)]
    return float((vectors.get(texts) @ query_vector).max()) if texts else -1.0


def stream_answer(question: str, index: Index | None = None, history: History | None = None,
                  settings: Settings | None = None, **overrides) -> Iterator[str | Answer]:
    """Yield the answer text as it is generated, then the final verified `Answer`.

    >>> for event in stream_answer("Qui préside le comité ?"):   # doctest: +SKIP
    ...     print(event if isinstance(event, str) else event.citations)
    """
    settings = settings_or_env(settings, **overrides)
    question = validate_question(question, settings)
    run = Run(question, lang.detect(lang.in_sentence_case(question)), settings)  # capitals hide no names
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
    # What the question asks, without the sentences that instruct the assistant (those are only data), in
    # sentence case when its capitals say nothing ("WHEN DOES THE POOL OPEN?": no name to look for).
    asked = lang.in_sentence_case(instructions.without_instructions(question))
    standalone = rewrite_question(asked, history, llm, settings) if history and instructions.needs_context(asked) else asked
    trace.rewritten_query = standalone
    run.reads(standalone)

    t_retrieve = time.perf_counter()
    run.query_vector = qvec = embedder.queries([standalone])[0]
    ranked = index.ranked(standalone, settings.retrieval.pool, settings, query_vector=qvec)
    run.hits = best(ranked, settings.retrieval.top_k, settings.retrieval.headings_ride)
    timings.retrieval_s = time.perf_counter() - t_retrieve
    # the best passage of all candidates, by its own cosine (whatever rank the sentences gave it)
    trace.top_similarity = max((h.dense for h in ranked), default=0.0)
    vectors = _vectors(embedder)
    vectors.use(index.version, lambda: sentence_vectors.load(index))
    if trace.top_similarity < settings.retrieval.min_relevance and not named_by_passages(standalone, run.hits):
        trace.top_sentence_similarity = round(best_sentence(run.hits, qvec, vectors), 4)
        if trace.top_sentence_similarity < settings.retrieval.min_sentence_relevance:
            yield run.abstain("no relevant passage")
            return

    context = build_context(index, run.hits, settings)
    trace.context = context.kind
    documents = [index.source_text(name) for name in dict.fromkeys(h.chunk.source for h in run.hits)]
    absent = absent_names(standalone, context.sentences, vectors, documents)
    if absent:
        yield run.abstain("the passages never name " + ", ".join(absent))
        return

    messages = context.messages(standalone, run.language, asides=run.asides)
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
    result = verified(run, standalone, decoder.raw, context, vectors, llm, messages, trace)

    if result.abstained and settings.verification.off_topic_retry and off_topic(result.trace, settings):
        # The model answered from a sentence about something else (often next to the one that answers):
        # asked once more on only the sentences close to the question.
        close = close_sentences(context, run.query_vector, vectors, settings.verification.min_answer_relevance)
        result = ask_again_on(run, standalone, context, close, vectors, llm, result, "off topic")
    if result.abstained and settings.verification.name_retry and result.trace.named_elsewhere:
        # A statement about someone else was put on the one the question names: asked once more on only
        # the sentences whose paragraph names them.
        result = ask_again_on(run, standalone, context, naming_sentences(standalone, context.sentences), vectors, llm,
                               result, "named")
    if result.abstained and settings.verification.uncited_retry and result.trace.uncited:
        # No claim stood because the model named other sentences than those that say it (one on something
        # near): asked once more on only the sentences that support its words.
        result = ask_again_on(run, standalone, context, context.numbered(result.trace.uncited), vectors, llm, result,
                              "uncited")
    if result.abstained and settings.verification.unstated_retry and result.trace.unstated:
        # No claim stood because one stated a number, day or name its sentences do not give (a date made up
        # for "which day…?" over a sentence that says "Wednesday"): asked once more on only those sentences.
        result = ask_again_on(run, standalone, context, context.numbered(result.trace.unstated), vectors, llm, result,
                              "unstated", "answer.unstated")
    if result.abstained and settings.verification.polarity_retry and result.trace.contradicted:
        # A yes/no answer went the other way than the sentences it cited ("Oui, vous pouvez fumer" citing
        # "Smoking is banned everywhere"): asked once more on only those sentences, checked again.
        result = ask_again_on(run, standalone, context, context.numbered(result.trace.contradicted), vectors, llm,
                              result, "polarity")

    if not result.abstained and settings.verification.closest_retry:
        # The answer cites none of the sentences closest to the question (those that cite the answering
        # sentence mostly cite the closest one): asked once more on only those.
        closest = closest_sentences(context, run.query_vector, vectors, settings.verification.closest_retry)
        if not {(c.source, c.start) for c in result.citations} & {(s.source, s.start) for s in closest}:
            result = ask_again_on(run, standalone, context, closest, vectors, llm, result, "closest")
    if not result.abstained and settings.verification.focus_retry:
        # The answer ignores a name the question asks about although the passages have it:
        # ask once more on just the sentences that mention it.
        focus = focus_sentences(standalone, context.sentences, result.citations, context.sentence_of)
        result = ask_again_on(run, standalone, context, focus, vectors, llm, result, "focus")
    if not result.abstained and settings.verification.pronoun_retry and lang.asks_who_did(standalone) \
            and lang.pronoun_subject(result.text):
        # "Who proposed…?" answered "He proposed… [1]": copied from a sentence whose subject is a pronoun, it
        # does not say who. Asked once more on the cited sentences and those before them in their paragraph,
        # where the one the pronoun stands for is named; abstains when that answer does not name them either.
        before = sentences_before(index, context, [context.sentence_of(c) for c in result.citations])
        result = ask_again_on(run, standalone, context, before, vectors, llm, result, "pronoun", "answer.pronoun")
        if pronoun := lang.pronoun_subject(result.text):
            result = run.abstain(f'the question asks who, and the answer says "{pronoun}"', trace=result.trace)
    if not result.abstained and settings.verification.unnamed_around and (unnamed := unnamed_around(
            run.asked, result.text, context.cited(result.citations), vectors)):
        # The answer leaves out a name the question asks about, and the paragraphs it cites never give it: it is
        # about someone or something else ("Who opened the X Bridge?" answered from another bridge's paragraph).
        result = run.abstain(f'the cited paragraphs never name "{unnamed[0]}", which the question asks about',
                             trace=result.trace)
    if not result.abstained and (subject := missing_subject(run.asked, [c.source for c in result.citations], index,
                                                            vectors, settings.verification.min_subject_similarity)):
        # Every check read the cited sentences; none read whether their page speaks of the thing asked about.
        result = run.abstain(f'the cited documents never speak of "{subject}", which the question asks about',
                             trace=result.trace)
    if not result.abstained and settings.verification.other_topic and (
            found := other_topic(run.asked, [c.source for c in result.citations], index, vectors,
                                 settings.verification.min_title_word_similarity)):
        # The question names what another document is about; the answer was read from one that never names it.
        result = run.abstain(f'the cited documents never speak of "{found[0]}", which the question asks about '
                             f'and {found[1]} is about', trace=result.trace)
    if not result.abstained and lang.answer_language(result.text) not in (None, run.language):
        # Answered in the other language (a verbatim copy of a source sentence): the answer is translated
        # and verified again on the same evidence; it replaces the first when it stands, in that language.
        # When it does not, the evidence is quoted as the source words it, introduced in the question's language.
        result = translated(run, standalone, result, context, vectors, llm, messages) or quoted(run, result)
    elif not result.abstained and lang.foreign_words(result.text, run.language,
                                                     sources=[run.question, standalone, *(c.quote for c in result.citations)]):
        # In the question's language but for words left in the other one ("forces armées"): translated and
        # verified again the same way; kept as it is when the translation does not stand.
        result = translated(run, standalone, result, context, vectors, llm, messages) or result
    timings.total_s = time.perf_counter() - run.t0
    yield result


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
