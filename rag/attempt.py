"""One attempt of the answer path, from the model's reply to a verified `Answer`, and the second attempts.

`verified` is the verification stage: the reply parsed, each claim checked (and judged), the answer cited,
its relevance and coverage of the question checked. The second attempts ask once more on fewer sentences
(`ask_again_on`: the off-topic, named, closest and focused retries of `rag.pipeline`), or put an answer
written in the other language into the question's (`translated`, else `quoted`). `Run` carries what every
stage of one question needs and records.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace

import numpy as np

from . import coverage, instructions, judge, lang, polarity, prompts
from .context import Context
from .generate import generate, parse, translate
from .llm import get_check_llm
from .names import VectorCache
from .settings import Settings
from .text_model import TextModel
from .types import Answer, Timings, Trace
from .verify import check_claims, cite, relevance


class Run:
    """One question on its way to an answer: what every stage needs and records."""

    def __init__(self, question: str, language: str, settings: Settings) -> None:
        self.question, self.language, self.settings = question, language, settings
        self.t0 = time.perf_counter()
        self.trace = Trace(llm=settings.models.llm, prompts_version=prompts.version(), top_k=settings.retrieval.top_k)
        self.timings = Timings()
        self.hits: list = []
        self.query_vector = None  # the standalone question's embedding (query prompt), from retrieval
        self.asked, self.asides, self.figure = question, [], None  # what the checks read of it (`reads`)

    def reads(self, standalone: str) -> None:
        """What the checks and prompts read of the standalone question, once for every attempt: the
        question without what it sets aside ("Ignoring the cost, what…": the cost is not asked about),
        the asides themselves (named to the model), and the count, year, time or date it asks for."""
        self.asked, self.asides = lang.split_asides(standalone)
        self.figure = lang.asked_figure(self.asked)

    def abstain(self, reason: str | None = None, key: str = "abstain", trace: Trace | None = None) -> Answer:
        trace = trace or self.trace
        if reason:
            trace.abstain_reason = reason
        self.timings.total_s = time.perf_counter() - self.t0
        return Answer(self.question, instructions.phrase(key, self.language), True, [], self.language, self.hits, trace,
                      self.timings)


def off_topic(trace: Trace, settings: Settings) -> bool:
    """Did the answer abstain because neither it nor its sentences are about the question?"""
    return trace.relevance is not None and trace.relevance < settings.verification.min_answer_relevance


def _similarities(context: Context, query_vector, vectors: VectorCache) -> np.ndarray:
    """Each context sentence's cosine with the question (cached document vectors)."""
    return vectors.get([s.text for s in context.sentences]) @ query_vector


def close_sentences(context: Context, query_vector, vectors: VectorCache, enough: float) -> list:
    """The context's sentences at least `enough` similar to the question."""
    sims = _similarities(context, query_vector, vectors)
    return [s for s, sim in zip(context.sentences, sims) if sim >= enough]


def closest_sentences(context: Context, query_vector, vectors: VectorCache, n: int) -> list:
    """The context's `n` sentences most similar to the question, in context order."""
    sims = _similarities(context, query_vector, vectors)
    best = set(np.argsort(-sims, kind="stable")[:n].tolist())
    return [s for i, s in enumerate(context.sentences) if i in best]


def ask_again_on(run: Run, standalone: str, context: Context, sentences: list, vectors: VectorCache, llm: TextModel,
                  first: Answer, label: str, note: str = "") -> Answer:
    """Ask once more on only these sentences (none, or all of them: not asked); the retry's answer when it
    stands, else the first. Its trace says which (`focus`: "<label>: replaced" or "<label>: failed: why")."""
    if not sentences or len(sentences) == len(context.sentences):
        return first
    focused = context.focused(sentences)
    retry = _again(run, standalone, focused, focused.messages(standalone, run.language, note, run.asides), vectors, llm, first.trace)
    if retry.abstained:
        first.trace.retry_output = retry.trace.model_output
        first.trace.focus = f"{label}: failed: {retry.trace.abstain_reason}"
        return first
    retry.trace.focus = f"{label}: replaced"
    return retry


def _fresh(trace: Trace, **changes) -> Trace:
    """The trace of a second answer: the first one's model output kept as `first_attempt`, what the
    verification of the first found (dropped claims, the retries' leads, why it abstained) cleared."""
    return replace(trace, first_attempt=trace.model_output, dropped_claims={}, named_elsewhere=[], uncited=[],
                   unstated=[], contradicted=[], abstain_reason=None, **changes)


def _again(run: Run, standalone: str, context: Context, messages: list[dict[str, str]], vectors: VectorCache,
           llm: TextModel, trace: Trace) -> Answer:
    """A second attempt on these messages, generated and verified with a trace of its own (when it
    fails, the first answer keeps its record)."""
    raw = "".join(generate(llm, context, messages, run.settings))
    retry_trace = _fresh(trace, answerable_p=llm.last.p_true)
    return verified(run, standalone, raw, context, vectors, llm, messages, retry_trace)


def translated(run: Run, standalone: str, first: Answer, context: Context, vectors: VectorCache,
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
    trace = _fresh(first.trace)
    again = verified(run, standalone, raw, context, vectors, llm, messages, trace)
    if again.abstained:
        return None
    again.trace.translation = "translated"
    return again


def quoted(run: Run, first: Answer) -> Answer:
    """The first answer's cited sentences, verbatim and in quotation marks, after a lead-in in the question's
    language: what an answer in the other language can still say when its translation does not stand."""
    left, right = ("« ", " »") if run.language == "fr" else ("“", "”")
    quotes = " ".join(f"{left}{c.quote}{right} [{c.number}]" for c in first.citations)
    first.trace.translation = "quoted: the translation did not stand"
    return replace(first, text=f"{instructions.phrase('quoted', run.language)} {quotes}")


def verified(run: Run, standalone: str, raw: str, context: Context, vectors: VectorCache, llm: TextModel,
              messages: list[dict[str, str]], trace: Trace) -> Answer:
    """Verification stage: the model's reply parsed, each claim checked (and judged), the answer cited."""
    output = parse(raw)
    trace.model_output = output
    if output is None:
        return run.abstain("unparseable model output", trace=trace)
    # "answerable": false with an answer and its sentences is verified like any answer: a small model
    # marks a negative answer so ("Does the clinic offer X?" -> false, [3], "The clinic does not offer X.").
    if not output.answer or (not output.answerable and not output.evidence):
        return run.abstain("the model found no answer in the passages", trace=trace)
    settings = run.settings
    if trace.answerable_p is not None and trace.answerable_p < settings.verification.min_answerable_p:
        return run.abstain(f"the model is unsure the passages answer it (p = {trace.answerable_p:.2f})", trace=trace)
    asked, figure = run.asked, run.figure
    claims = check_claims(standalone, output.answer, output.evidence, context.sentences, vectors,
                          settings.verification.min_support, asked, figure)
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
        trace.uncited = sorted({s.number for c in claims for s in c.uncited})
        trace.unstated = sorted({s.number for c in claims if c.unstated for s in c.evidence})
        return run.abstain("no claim is supported by the sources", trace=trace)
    if figure and not lang.gives_figure(" ".join(c.text for c in claims if c.kept), figure):
        # the claim that gave the count, year, time or date was dropped; what is left is about something else
        return run.abstain(f"the question asks for {figure} and what is left of the answer gives none", trace=trace)
    if trace.named_elsewhere:
        # The claim about the one the question names was about someone else: what is left of the answer
        # (a sentence of context around it) does not answer about them either.
        return run.abstain(f"a claim put a statement about someone else on {', '.join(trace.named_elsewhere)}; "
                           "the rest of the answer is not about them", trace=trace)
    if settings.verification.min_answer_relevance > 0 and run.query_vector is not None:
        trace.relevance = round(relevance(run.query_vector, claims, vectors, settings.verification.min_answer_relevance), 4)
        if trace.relevance < settings.verification.min_answer_relevance:
            return run.abstain(f"neither the answer nor its cited sentences are about the question (similarity "
                               f"{trace.relevance:.2f})", trace=trace)
    t_cover = time.perf_counter()
    v = settings.verification
    check_llm, evidence = get_check_llm(settings, llm), context.shown_of(checked.citations)
    covered = coverage.check(check_llm, asked, evidence, run.language, v.min_asked_p, v.asked_languages_tuple,
                             checked.text, v.restated_languages_tuple, v.min_restated_p, context.window_of(checked.citations),
                             context.headings_of(checked.citations), context.language_of(checked.citations))
    noun = None if covered and covered.unexpressed else coverage.check_noun(
        check_llm, asked, evidence, run.language, v.min_noun_p, v.noun_languages_tuple, covered and covered.p_yes)
    checks = [c for c in (covered, noun) if c is not None]
    if checks:
        run.timings.coverage_s = (run.timings.coverage_s or 0.0) + time.perf_counter() - t_cover
        trace.coverage = {w: p for c in checks for w, p in c.p_yes.items()}
        unexpressed = [w for c in checks for w in c.unexpressed]
        if unexpressed:
            words = ", ".join(f'"{w}"' for w in unexpressed)
            return run.abstain(f"the cited sentences do not say {words}, which the question asks about", trace=trace)
    if v.item_check and (item := lang.priced_item(asked)):
        t_item = time.perf_counter()
        window = f"{context.window_of(checked.citations)} {context.headings_of(checked.citations)}"
        missing = coverage.missing_item(check_llm, item, asked, evidence, window, run.language,
                                        v.asked_languages_tuple, v.min_noun_p, context.language_of(checked.citations))
        run.timings.coverage_s = (run.timings.coverage_s or 0.0) + time.perf_counter() - t_item
        if missing:
            words = ", ".join(f'"{w}"' for w in missing)
            return run.abstain(f"the cited sentences do not name {words}, whose price the question asks", trace=trace)
    t_polarity = time.perf_counter()
    polar = polarity.check(check_llm, standalone, context.reading_of(checked.citations), checked.text, v.min_polarity_gap)
    if polar is not None:
        run.timings.polarity_s = (run.timings.polarity_s or 0.0) + time.perf_counter() - t_polarity
        trace.polarity = {"evidence": polar.evidence, "answer": polar.answer}
        if polar.gap >= v.min_polarity_gap:
            trace.contradicted = sorted({context.sentence_of(c).number for c in checked.citations})
            return run.abstain(f"the answer and its cited sentences answer the yes/no question differently "
                               f"(P(yes) {polar.answer:.2f} and {polar.evidence:.2f})", trace=trace)
    trace.abstain_reason = None
    run.timings.total_s = time.perf_counter() - run.t0
    return Answer(run.question, checked.text, False, checked.citations, run.language, run.hits, trace, run.timings)
