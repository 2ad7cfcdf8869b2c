"""Question -> verified, cited answer.

    validate -> (rewrite follow-up) -> retrieve -> [abstain early] -> LLM (JSON)
             -> verify citations and claims -> Answer

The LLM is constrained by a JSON schema to {"answerable", "evidence", "answer"};
its evidence numbers point at the numbered source sentences it was shown.
Abstention is decided from evidence: the best retrieval similarity, the
model's flag, and whether any claim survives verification.
"""

from __future__ import annotations

import json
import re
import threading
import time
import weakref
from dataclasses import replace
from typing import Iterator, Sequence

from . import judge, lang, prompts
from .errors import InputError
from .index import Index, default_index
from .llm import LLM, get_llm
from .settings import Settings
from .types import Answer, Hit
from .verify import Sentence, VectorCache, absent_names, check_claims, cite, focus_sentences, sentences_of

History = Sequence[tuple[str, str]]
_VECTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # embedder -> its VectorCache
_VECTORS_LOCK = threading.Lock()
_WHOLE: dict[str, list[Sentence]] = {}  # index version -> every sentence of a small knowledge base
_WHOLE_LOCK = threading.Lock()
WHOLE_KB, RETRIEVED = "whole knowledge base", "retrieved passages"  # what the LLM is shown (metadata "context")


def validate_question(question: object, settings: Settings) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InputError("the question is empty; type a question about the documents")
    question = " ".join(question.split())
    if len(question) > settings.max_question_chars:
        raise InputError(f"the question is {len(question):,} characters long; keep it under {settings.max_question_chars:,}")
    return question


def _schema(n_sentences: int) -> dict:
    return {
        "type": "object",
        "properties": {
            "answerable": {"type": "boolean"},
            "evidence": {"type": "array", "items": {"type": "integer", "enum": list(range(1, n_sentences + 1))},
                         "maxItems": 3},
            "answer": {"type": "string", "maxLength": 400},
        },
        "required": ["answerable", "evidence", "answer"],
    }


def _vectors(embedder) -> VectorCache:
    """The verification vector cache of this embedder (one per embedder: vectors never mix)."""
    with _VECTORS_LOCK:
        if embedder not in _VECTORS:
            _VECTORS[embedder] = VectorCache(embedder)
        return _VECTORS[embedder]


def rewrite_question(question: str, history: History, llm: LLM, settings: Settings) -> str:
    """Turn a follow-up into a standalone question using the conversation."""
    turns = [f"User: {q}\nAssistant: {a[:300]}" for q, a in list(history)[-3:]]
    messages = [
        {"role": "system", "content": prompts.load("rewrite.system")},
        {"role": "user", "content": prompts.render("rewrite.user", history="\n".join(turns), question=question)},
    ]
    out = llm.complete(messages, max_tokens=64, temperature=0.0, seed=settings.seed).strip()
    out = out.splitlines()[0].strip().strip('"«» ') if out else ""
    unchanged = " ".join(out.lower().split()) == " ".join(question.lower().split())
    if not out or unchanged or len(out) > 3 * len(question) + 200 or lang.is_instruction(out):
        # The model could not resolve the references: let retrieval see the previous question too.
        return f"{history[-1][0]} {question}" if history else question
    return out


class _AnswerField:
    """Decode the "answer" string of a JSON object while it is being generated."""

    def __init__(self) -> None:
        self.raw = ""
        self.emitted = 0

    def feed(self, piece: str) -> str:
        self.raw += piece
        m = re.search(r'"answer"\s*:\s*"', self.raw)
        if not m:
            return ""
        body = self.raw[m.end():]
        out, i = [], 0
        while i < len(body):
            ch = body[i]
            if ch == '"':
                break
            if ch == "\\":
                if i + 1 >= len(body):
                    break
                esc = body[i + 1]
                if esc == "u":
                    if i + 6 > len(body):
                        break
                    out.append(chr(int(body[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                out.append({"n": "\n", "t": "\t", "r": "", "b": "", "f": ""}.get(esc, esc))
                i += 2
                continue
            out.append(ch)
            i += 1
        text = "".join(out)
        new, self.emitted = text[self.emitted:], len(text)
        return new


def _abstain(question: str, language: str, hits: list[Hit], meta: dict, key: str = "abstain") -> Answer:
    return Answer(question, lang.phrase(key, language), True, [], language, hits, meta)


def stream_answer(question: str, index: Index | None = None, history: History | None = None,
                  settings: Settings | None = None, **overrides) -> Iterator[str | Answer]:
    """Yield the answer text as it is generated, then the final verified `Answer`.

    >>> for event in stream_answer("Qui préside le comité ?"):   # doctest: +SKIP
    ...     print(event if isinstance(event, str) else event.citations)
    """
    settings = (settings or Settings.from_env()).replace(**overrides)
    t0 = time.perf_counter()
    question = validate_question(question, settings)
    language = lang.detect(question)
    meta: dict = {"llm": settings.llm, "prompts_version": prompts.version(), "top_k": settings.top_k}
    meta["injection_detected"] = lang.is_instruction(question)
    if lang.only_instructs(question):
        # Nothing is asked, only an instruction to the assistant: declined. A question that also
        # carries an instruction is answered; the instruction is data like the rest of it.
        meta["timings"] = {"total_s": time.perf_counter() - t0}
        yield _abstain(question, language, [], meta, "injection")
        return
    asked = question
    index = index or default_index(settings)
    meta["index_version"] = index.version
    embedder = index.embedder(settings)
    llm = get_llm(settings)
    meta["llm_file"] = llm.name
    standalone = rewrite_question(asked, history, llm, settings) if history and lang.needs_context(asked) else asked
    meta["rewritten_query"] = standalone
    t_retrieve = time.perf_counter()
    qvec = embedder.queries([standalone])[0]
    hits = index.search(standalone, settings.top_k, settings.candidates, settings, query_vector=qvec)
    timings = {"retrieval_s": time.perf_counter() - t_retrieve}
    meta["timings"] = timings
    meta["top_similarity"] = max((h.dense for h in hits), default=0.0)
    if meta["top_similarity"] < settings.min_relevance:
        meta["abstain_reason"] = "no relevant passage"
        timings["total_s"] = time.perf_counter() - t0
        yield _abstain(question, language, hits, meta)
        return

    sentences, meta["context"] = _context(index, hits, settings)
    vectors = _vectors(embedder)
    absent = absent_names(standalone, sentences, vectors)
    if absent:
        meta["abstain_reason"] = "the passages never name " + ", ".join(absent)
        timings["total_s"] = time.perf_counter() - t0
        yield _abstain(question, language, hits, meta)
        return
    whole = meta["context"] == WHOLE_KB
    messages = _messages(sentences, standalone, language, hits if whole else None)
    meta["prompt_tokens"] = llm.count_tokens(llm.format(messages)[0])
    decoder = _AnswerField()
    t_gen = time.perf_counter()
    for piece in llm.stream(messages, max_tokens=settings.max_tokens, temperature=settings.temperature,
                            seed=settings.seed, schema=_schema(len(sentences)), lazy_grammar=settings.lazy_grammar,
                            keep=_listing(sentences) if whole else None):
        if "first_token_s" not in timings:
            timings["first_token_s"] = time.perf_counter() - t0
        new = decoder.feed(piece)
        if new:
            timings.setdefault("first_answer_token_s", time.perf_counter() - t0)
            yield new
    timings["generation_s"] = time.perf_counter() - t_gen
    meta["completion_tokens"] = llm.count_tokens(decoder.raw)
    result = _finish(question, standalone, language, decoder.raw, sentences, hits, vectors, settings, meta,
                     judged_by=(llm, messages))
    by_span = {(s.source, s.start): s for s in sentences}
    focus = [] if result.abstained else focus_sentences(
        standalone, sentences, result.citations, lambda c: by_span[(c.source, c.start)])
    if focus:
        # The answer ignores a name the question asks about although the passages have it:
        # ask once more on just the sentences that mention it.
        focus = [replace(s, number=i) for i, s in enumerate(focus, 1)]
        focus_messages = _messages(focus, standalone, language)
        raw = llm.complete(focus_messages, max_tokens=settings.max_tokens,
                           temperature=settings.temperature, seed=settings.seed, schema=_schema(len(focus)),
                           lazy_grammar=settings.lazy_grammar)
        # The retry gets its own metadata: when it fails, the first answer keeps its own record.
        retry_meta = {**meta, "first_attempt": meta["model_output"]}
        retry = _finish(question, standalone, language, raw, focus, hits, vectors, settings, retry_meta,
                        judged_by=(llm, focus_messages))
        if retry.abstained:
            meta["retry_output"] = retry_meta["model_output"]
        else:
            result = retry
    timings["total_s"] = time.perf_counter() - t0
    yield result


def _context(index: Index, hits: list[Hit], settings: Settings) -> tuple[list[Sentence], str]:
    """The numbered sentences shown to the LLM.

    A knowledge base small enough (`whole_kb_chars`) is shown whole, always in the same order: the
    prompt prefix then never changes between questions, so llama.cpp reuses its cached state and a
    question costs only its own tokens. Retrieval still decides abstention. Larger knowledge bases
    get the retrieved passages, each with the sentence before it.
    """
    total = sum(s["chars"] for s in index.manifest["sources"].values())
    if total > settings.whole_kb_chars:
        context = index.source_text if settings.context_sentences else None
        return sentences_of(hits, source_text=context), RETRIEVED
    with _WHOLE_LOCK:
        if index.version not in _WHOLE:
            _WHOLE.clear()
            _WHOLE[index.version] = sentences_of([Hit(c, 0.0, 0.0) for c in index.chunks])
        whole = _WHOLE[index.version]
    retrieved = {h.chunk.id: h for h in hits}
    # Same sentences and numbers every time; this question's retrieval scores ride along.
    return [replace(s, hit=retrieved.get(s.hit.chunk.id, s.hit)) for s in whole], WHOLE_KB


def _listing(sentences: list[Sentence]) -> str:
    return "\n".join(f"[{s.number}] {s.text}" for s in sentences)


def _messages(sentences: list[Sentence], question: str, language: str,
              hits: list[Hit] | None = None) -> list[dict[str, str]]:
    """The answer prompt. With `hits` (the whole knowledge base is listed), the numbers of the
    retrieved passages' sentences follow the question, best passage first."""
    hint = ""
    if hits:
        rank = {h.chunk.id: i for i, h in enumerate(hits)}
        found = sorted((s for s in sentences if s.hit.chunk.id in rank), key=lambda s: (rank[s.hit.chunk.id], s.number))
        hint = prompts.render(f"answer.hint.{language}", numbers=", ".join(str(s.number) for s in found)) + "\n"
    return [
        {"role": "system", "content": prompts.load("answer.system")},
        {"role": "user", "content": prompts.render(f"answer.user.{language}", sentences=_listing(sentences),
                                                   question=question, hint=hint)},
    ]


def _finish(question: str, standalone: str, language: str, raw: str, sentences: list[Sentence], hits: list[Hit],
            vectors: VectorCache, settings: Settings, meta: dict,
            judged_by: tuple[LLM, list[dict[str, str]]] | None = None) -> Answer:
    try:
        data = json.loads(raw)
        answerable, evidence, text = bool(data["answerable"]), list(data["evidence"]), str(data["answer"]).strip()
    except (ValueError, KeyError, TypeError):
        answerable, evidence, text = False, [], ""
        meta["abstain_reason"] = "unparseable model output"
    meta["model_output"] = {"answerable": answerable, "evidence": evidence, "answer": text}
    if not answerable or not text:
        meta.setdefault("abstain_reason", "the model found no answer in the passages")
        return _abstain(question, language, hits, meta)
    claims = check_claims(standalone, text, evidence, sentences, vectors, settings.min_support)
    if settings.judge and judged_by and any(c.kept for c in claims):
        t_judge = time.perf_counter()
        verdicts = judge.judge(judged_by[0], judged_by[1], raw, claims, settings)
        meta.setdefault("timings", {})["judge_s"] = time.perf_counter() - t_judge
        meta["judge"] = verdicts
        if verdicts is not None:
            judge.apply(claims, verdicts)
    checked = cite(claims)
    meta["dropped_claims"] = checked.reasons
    if not checked.citations:
        meta["abstain_reason"] = "no claim is supported by the sources"
        return _abstain(question, language, hits, meta)
    meta.pop("abstain_reason", None)
    return Answer(question, checked.text, False, checked.citations, language, hits, meta)


def warm_up(index: Index | None = None, settings: Settings | None = None) -> dict[str, float]:
    """Load both models and read the fixed start of the answer prompt (with a small knowledge base
    shown whole, restore or compute its saved state), so that the first question pays only for
    itself. Returns the seconds each step took. The chat calls it in the background at start."""
    settings = settings or Settings.from_env()
    index = index or default_index(settings)
    t0 = time.perf_counter()
    index.embedder(settings).queries(["warm up"])
    t1 = time.perf_counter()
    llm = get_llm(settings)
    t2 = time.perf_counter()
    sentences, context = _context(index, [], settings)
    whole = context == WHOLE_KB
    for language in ("en", "fr") if whole else ("en",):
        llm.complete(_messages(sentences, "?", language, [] if whole else None), max_tokens=1, temperature=0.0,
                     seed=settings.seed, keep=_listing(sentences) if whole else None)
    return {"embedder_s": t1 - t0, "llm_load_s": t2 - t1, "prompt_s": time.perf_counter() - t2}


def answer(question: str, index: Index | None = None, history: History | None = None,
           settings: Settings | None = None, **overrides) -> Answer:
    """Answer a question from the documents, with verified citations.

    >>> a = answer("Who chairs the committee?")   # doctest: +SKIP
    >>> a.text, a.abstained, a.citations[0].quote        # doctest: +SKIP
    """
    final = None
    for event in stream_answer(question, index=index, history=history, settings=settings, **overrides):
        if isinstance(event, Answer):
            final = event
    assert final is not None
    return final
