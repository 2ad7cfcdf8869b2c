"""Context building: the numbered source sentences the LLM is shown, and the answer prompt.

Retrieved passages are split into sentences once, each with the sentence before it; they are
numbered in retrieval order and shown to the model as quoted data. A knowledge base small enough
(`whole_kb_chars`) is shown whole, always in the same order: the prompt prefix then never changes
between questions, so llama.cpp reuses its cached state and a question costs only its own tokens.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Sequence

from . import lang, prompts
from .index import Index
from .settings import Settings
from .types import Hit
from .sentences import Sentence, sentences_of

WHOLE_KB, RETRIEVED = "whole knowledge base", "retrieved passages"  # Trace.context
_WHOLE: dict[str, list[Sentence]] = {}  # index version -> every sentence of a small knowledge base
_WHOLE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Context:
    """The numbered sentences of one question's prompt, and whether they are the whole knowledge base."""

    sentences: list[Sentence]
    kind: str  # WHOLE_KB or RETRIEVED
    hits: list[Hit]

    @property
    def whole(self) -> bool:
        return self.kind == WHOLE_KB

    @property
    def lines(self) -> list[str]:
        """The numbered sentences as the prompt lists them, one a line (a table row with its columns'
        names: `Sentence.shown`)."""
        return [f"[{s.number}] {s.shown}" for s in self.sentences]

    @property
    def listing(self) -> str:
        return "\n".join(self.lines)

    def marks(self, messages: list[dict[str, str]]) -> tuple[str, ...]:
        """The texts of the answer prompt after which the model's state is held from one question to
        the next (`TextModel.stream`'s `keep`): the whole knowledge base when it is listed; else the
        system prompt, then the listing up to the end of each passage, so a question on the passages
        of the one before reads only its own words."""
        if self.whole:
            return (self.listing,)
        lines = self.lines
        ends = [i + 1 for i, s in enumerate(self.sentences)
                if i + 1 == len(self.sentences) or self.sentences[i + 1].hit.chunk.id != s.hit.chunk.id]
        return (messages[0]["content"], *("\n".join(lines[:end]) for end in ends))

    def messages(self, question: str, language: str, note: str = "", asides: Sequence[str] = ()) -> list[dict[str, str]]:
        """The answer prompt. With the whole knowledge base listed, the numbers of the retrieved
        passages' sentences follow the question, best passage first; then what the question sets aside
        (`asides`, as `lang.split_asides` reads them), which the answer is not about; a second attempt's `note` (the name of a prompt
        file, rendered in the question's language) follows it."""
        hint = ""
        if self.whole and self.hits:
            rank = {h.chunk.id: i for i, h in enumerate(self.hits)}
            found = sorted((s for s in self.sentences if s.hit.chunk.id in rank),
                           key=lambda s: (rank[s.hit.chunk.id], s.number))
            hint = prompts.render(f"answer.hint.{language}", numbers=", ".join(str(s.number) for s in found)) + "\n"
        for aside in asides:  # "Besides the region, how much did…?": not the region's share
            hint += prompts.render(f"answer.aside.{language}", aside=aside) + "\n"
        if note:
            hint += prompts.load(f"{note}.{language}") + "\n"
        return [
            {"role": "system", "content": prompts.load("answer.system")},
            {"role": "user", "content": prompts.render(f"answer.user.{language}", sentences=self.listing,
                                                       question=question, hint=hint)},
        ]

    @cached_property
    def _by_span(self) -> dict[tuple[str, int], Sentence]:
        return {(s.source, s.start): s for s in self.sentences}

    def sentence_of(self, citation) -> Sentence:
        """The numbered sentence a citation of this context quotes."""
        return self._by_span[(citation.source, citation.start)]

    def cited(self, citations) -> list[Sentence]:
        """The numbered sentences these citations quote, or [] when one quotes a sentence this context does
        not number (read from the source before its passages: `sentences_before`)."""
        found = [self._by_span.get((c.source, c.start)) for c in citations]
        return [] if None in found else found

    def numbered(self, numbers) -> list[Sentence]:
        """The sentences of this context with these numbers, in the context's order."""
        wanted = set(numbers)
        return [s for s in self.sentences if s.number in wanted]

    def window_of(self, citations) -> str:
        """The cited sentences, each with the sentence before it (what the model read with it)."""
        return " ".join(self.sentence_of(c).window for c in citations)

    def language_of(self, citations) -> str:
        """The language of the passages the cited sentences come from: a short line ("Monthly pass: £45")
        says too little for language identification, its passage says enough."""
        return lang.language_of(" ".join(dict.fromkeys(self.sentence_of(c).hit.chunk.text for c in citations)))

    def shown_of(self, citations) -> str:
        """The cited sentences as the model was shown them (`Sentence.shown`): the word checks
        (`rag.coverage`) read a table row with its columns' names ("Activity: Gym (one session)" names the
        gym session a French question prices as "séance de salle de sport"), anything else as it is."""
        return " ".join(self.sentence_of(c).shown for c in citations)

    def reading_of(self, citations) -> str:
        """The cited sentences as the yes/no check reads which way they go: a line of a list or timetable
        under its title and section lines (`Sentence.headed`: "– bouteilles de gaz" says nothing alone,
        under "Déchets refusés" it says they are refused), any other sentence as it is. The word checks
        (`rag.coverage`) ask whether the sentence itself says a word, and match the headings' words on
        their own; asked over the headed line, the French noun check's P("yes") moved both ways
        (docs/quality-log.md, forty-sixth step)."""
        return " ".join(self.sentence_of(c).headed or c.quote for c in citations)

    def headings_of(self, citations) -> str:
        """The title and paragraph lead lines over the cited sentences (`Sentence.headings`)."""
        return " ".join(dict.fromkeys(h for c in citations if (h := self.sentence_of(c).headings)))

    def focused(self, sentences: list[Sentence]) -> "Context":
        """A context of just these sentences, renumbered from 1 (for a focused second attempt)."""
        return Context([replace(s, number=i) for i, s in enumerate(sentences, 1)], RETRIEVED, self.hits)


def sentences_before(index: Index, context: Context, cited: list[Sentence], back: int = 3) -> list[Sentence]:
    """The cited sentences and up to `back` sentences before each in its paragraph, in the order they are
    written, read from the source when the retrieved passages do not hold them: where the one a pronoun
    opening a cited sentence stands for is named ("Mr Brennan reported… The summer fair raised £1,150. He
    proposed…", where the passage starts at the fair)."""
    found: dict[tuple[str, int], Sentence] = {}
    for s in cited:
        if not s.paragraph:
            continue
        text = index.source_text(s.source)
        begin = text.rfind(s.paragraph, 0, s.start + len(s.paragraph))
        chunks = [c for c in index.chunks if c.source == s.source and c.start < s.end and c.end > begin]
        around = sentences_of([Hit(c, 0.0, 0.0) for c in chunks], paragraphs=index.source_text)
        before = sorted((t for t in around if begin <= t.start <= s.start), key=lambda t: t.start)[-(back + 1):]
        found |= {(t.source, t.start): t for t in before}
    order = list(dict.fromkeys(s.source for s in context.sentences))
    return sorted(found.values(), key=lambda t: (order.index(t.source) if t.source in order else len(order), t.start))


def build_context(index: Index, hits: list[Hit], settings: Settings) -> Context:
    """The sentences shown to the LLM for these retrieved passages."""
    total = sum(s["chars"] for s in index.manifest["sources"].values())
    if total > settings.retrieval.whole_kb_chars:
        source_text = index.source_text if settings.retrieval.context_sentences else None
        return Context(sentences_of(hits, source_text=source_text, paragraphs=index.source_text), RETRIEVED, hits)
    with _WHOLE_LOCK:
        if index.version not in _WHOLE:
            _WHOLE.clear()
            _WHOLE[index.version] = sentences_of([Hit(c, 0.0, 0.0) for c in index.chunks], paragraphs=index.source_text)
        whole = _WHOLE[index.version]
    retrieved = {h.chunk.id: h for h in hits}
    # Same sentences and numbers every time; this question's retrieval scores ride along.
    return Context([replace(s, hit=retrieved.get(s.hit.chunk.id, s.hit)) for s in whole], WHOLE_KB, hits)
