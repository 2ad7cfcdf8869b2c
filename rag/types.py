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
class Answer:
    """What `rag.answer()` returns: the text and the evidence behind it."""

    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    language: str = "en"
    passages: list[Hit] = field(default_factory=list)  # what was considered
    metadata: dict[str, Any] = field(default_factory=dict)

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
            "metadata": self.metadata,
        }
