"""The data the library hands out: passages, citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Chunk:
    """A passage of one source: `source_text[start:end] == text`, always."""

    id: str  # deterministic: sha256 of source name, offsets and text
    source: str  # the source's name inside the index (its file name)
    start: int
    end: int
    text: str
    context: str = ""  # the preceding sentence, used for embedding/keywords only


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its scores."""

    chunk: Chunk
    score: float  # fused score (reciprocal rank fusion)
    dense: float  # cosine similarity between query and passage


@dataclass(frozen=True)
class Citation:
    """A verified piece of evidence: `source_text[start:end] == quote`."""

    number: int  # [n] in the answer text, in order of appearance
    source: str
    quote: str
    start: int
    end: int
    passage_id: str
    score: float  # retrieval score of the passage it comes from
    support: float = 0.0  # similarity between the answer and the quote


@dataclass
class Timings:
    """Seconds spent in each stage of one answer (None: the stage did not run)."""

    retrieval_s: float | None = None
    first_token_s: float | None = None  # from the question to the model's first token
    first_answer_token_s: float | None = None  # ... to the first word of the answer itself
    generation_s: float | None = None
    judge_s: float | None = None
    coverage_s: float | None = None  # asking the LLM whether the evidence says the question's words
    polarity_s: float | None = None  # asking the LLM which way a yes/no answer and its evidence go
    translation_s: float | None = None  # translating an answer written in the other language
    total_s: float | None = None

    def to_dict(self) -> dict[str, float]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class ModelOutput:
    """What the LLM replied, parsed from its JSON."""

    answerable: bool
    evidence: list[int]
    answer: str


@dataclass
class Trace:
    """How an answer was made: the model, the standalone question, what the model said, what
    verification dropped and why the system abstained. Read by the chat's details, `rag eval` and
    the benchmarks."""

    llm: str = ""
    llm_file: str = ""
    prompts_version: str = ""
    top_k: int = 0
    index_version: str = ""
    injection_detected: bool = False  # the question addresses an instruction to the assistant
    rewritten_query: str | None = None  # the standalone question retrieval and the model saw
    top_similarity: float | None = None
    top_sentence_similarity: float | None = None  # read only when the best passage is under retrieval.min_relevance
    context: str | None = None  # "retrieved passages" or "whole knowledge base"
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    model_output: ModelOutput | None = None
    answerable_p: float | None = None  # the model's probability of "answerable": true, at that token
    first_attempt: ModelOutput | None = None  # when a retry or a translation replaced the first answer
    retry_output: ModelOutput | None = None  # when a retry failed and the first answer stands
    # a second attempt on fewer sentences ("off topic", "named", "uncited", "unstated", "polarity", "focus"): "<kind>: replaced" the first answer,
    # or "<kind>: failed: <why it abstained>"
    focus: str | None = None
    # an answer written in the other language: "translated", or "quoted: <why>" (its evidence quoted instead)
    translation: str | None = None
    judge: list[bool] | None = None  # the LLM judge's verdict on each claim it was asked about
    relevance: float | None = None  # how close the cited sentences (when far, the answer) come to the question
    coverage: dict[str, float] | None = None  # question word the evidence lacks -> P(it says it anyway)
    # a yes/no question's P("yes") going by the cited sentences and by the answer (`rag.polarity`)
    polarity: dict[str, float] | None = None
    dropped_claims: dict[str, str] = field(default_factory=dict)  # claim -> why it was dropped
    # names the question asks about that a dropped claim restated from sentences about someone else
    named_elsewhere: list[str] = field(default_factory=list)
    # when no claim stood: the sentences (numbers) that support a claim although the model cited others
    uncited: list[int] = field(default_factory=list)
    # when no claim stood: the sentences (numbers) a claim stating what they do not say was checked against
    unstated: list[int] = field(default_factory=list)
    # when a yes/no answer went the other way than its cited sentences: those sentences (numbers)
    contradicted: list[int] = field(default_factory=list)
    abstain_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """What `rag.answer()` returns: the text and the evidence behind it."""

    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    language: str = "en"
    passages: list[Hit] = field(default_factory=list)  # what was considered
    trace: Trace = field(default_factory=Trace)
    timings: Timings = field(default_factory=Timings)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (used by `rag ask --json` and the evaluation reports)."""
        return {
            "question": self.question,
            "text": self.text,
            "abstained": self.abstained,
            "language": self.language,
            "citations": [asdict(c) for c in self.citations],
            "passages": [
                {"id": h.chunk.id, "source": h.chunk.source, "start": h.chunk.start,
                 "end": h.chunk.end, "text": h.chunk.text, "score": h.score, "dense": h.dense}
                for h in self.passages
            ],
            "trace": self.trace.to_dict(),
            "timings": self.timings.to_dict(),
        }
