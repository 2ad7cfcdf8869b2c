"""The source sentences an answer is made from: numbered once, exact spans of their sources.

Each knows the sentence before it (who "il" is in "…, a-t-il ajouté") and, when the source text is at
hand, the paragraph it stands in (a claim about the one the question names needs that name around its
evidence: `exact.named_elsewhere`) and the lines that head it (a line of a timetable, "Vendredi : 10 h
à 12 h", means something only under "Horaires d'ouverture" in a library's guide: `Sentence.headed`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Callable

from .segment import field_line, list_item, split_sentences
from .tables import header_of, labelled
from .types import Hit


@dataclass(frozen=True)
class Sentence:
    """A retrieved source sentence, as shown (numbered) to the LLM."""

    number: int
    source: str
    start: int
    end: int
    text: str
    hit: Hit
    before: str = ""  # the source sentence just before it (who "il" is in "…, a-t-il ajouté")
    paragraph: str = ""  # the source paragraph it stands in (between blank lines), when known
    title: str = ""  # its source's first line when that is a title (`document_title`), when known
    section: str = ""  # the last section title above its paragraph (`section_titles`), when known

    @property
    def headings(self) -> str:
        """What heads it: its source's title line and its paragraph's lead line ("Can I pause my
        membership?" over "Yes, once a year."), each when there is one."""
        return " ".join(dict.fromkeys(h for h in (self.title, paragraph_lead(self.paragraph)) if h))

    @property
    def headed(self) -> str:
        """A line of a list or timetable under the lines that head it, one a line ("Médiathèque des
        Tilleuls : guide du lecteur⏎Horaires d'ouverture⏎Vendredi : 10 h à 12 h"): its source's title, the
        section title above its paragraph ("## Opening hours" between blank lines over a list) and its
        paragraph's lead line (not a first entry: "- Monday: 9 am to 5 pm" heads nothing; a table's
        header row heads its rows, and a row under a Markdown header reads each cell after its column's
        name instead, as `shown`: "| Room: Meeting room | Seats: 12 |", the 12 counts seats); what the line
        means. "" for a sentence (it carries its own subject) or a line that nothing heads (`is_line`)."""
        lead = paragraph_lead(self.paragraph)
        if (_entry(lead) and not (lead.startswith("|") and self.text.startswith("|"))) or self._header:
            lead = ""  # an entry heads nothing, but a table's header row heads its rows (a named one, each cell)
        heads = [h for h in (self.title, self.section, lead) if h]
        if self.text in heads or self.paragraph.strip() == self.text or not heads or not is_line(self.text):
            return ""  # a heading (a title, a lead line, a line alone between blank lines) says nothing more
        return "\n".join([*dict.fromkeys(heads), self.shown])

    @property
    def _header(self) -> list[str]:
        """The names of the columns over a table row (`rag.tables.header_of`), [] for anything else."""
        return header_of(self.paragraph, self.text) if self.text.startswith("|") else []

    @property
    def shown(self) -> str:
        """The sentence as the prompt lists it: a table row with each cell after its column's name
        (`rag.tables.labelled`: "Seats: 12" says what the 12 counts), anything else as it is. A citation
        still quotes the source's text."""
        return labelled(self.text, self._header)

    @property
    def window(self) -> str:
        """What a claim citing this sentence may rely on: the sentence and the one before it ("…, a-t-il
        ajouté" after the sentence naming him); for a line of a list or a table, what heads it instead
        (`headed`): the line before is another entry ("| Éveil musical | 90 € |" prices no instrument
        course)."""
        return self.headed or f"{self.before} {self.text}".strip()


def sentences_of(hits: list[Hit], source_text: Callable[[str], str] | None = None,
                 paragraphs: Callable[[str], str] | None = None) -> list[Sentence]:
    """Number the sentences of the retrieved chunks, best passage first, without duplicates.

    Every sentence is kept: source sentences are data, shown to the model as quotations, whatever
    they say. With `source_text(name)`, each passage is preceded by the sentence before it (its
    context), so that "Ils ont convenu…" comes with the sentence saying who "ils" are. With
    `paragraphs(name)` (a source's text), each sentence knows the paragraph it stands in and its
    source's title."""
    seen: set[tuple[str, int]] = set()
    spans = []
    for hit in hits:
        c = hit.chunk
        if source_text is not None and c.context:
            start = source_text(c.source).rfind(c.context, 0, c.start)
            if start >= 0 and (c.source, start) not in seen:
                seen.add((c.source, start))
                spans.append((c.source, start, start + len(c.context), c.context, hit, ""))
        before = c.context
        for s, e in split_sentences(c.text):
            key = (c.source, c.start + s)
            if key not in seen:
                seen.add(key)
                spans.append((c.source, c.start + s, c.start + e, c.text[s:e], hit, before))
            before = c.text[s:e]
    found = [Sentence(i, *span) for i, span in enumerate(spans, 1)]
    if paragraphs is None:
        return found
    names = list(dict.fromkeys(s.source for s in found))
    bounds = {name: paragraph_bounds(paragraphs(name)) for name in names}
    titles = {name: document_title(paragraphs(name)) for name in names}
    sections = {name: section_titles(paragraphs(name), bounds[name]) for name in names}
    return [replace(s, paragraph=paragraph_at(paragraphs(s.source), bounds[s.source], s.start, s.end),
                    title=titles[s.source], section=section_above(sections[s.source], bounds[s.source], s.start))
            for s in found]


_CLOSING = ".!?…"
_LINE_CHARS = 120  # longer text with no full stop is no line of a list


def is_line(text: str) -> bool:
    """Is the text a line of a list, a table or a timetable rather than a sentence: short, closing with no
    full stop, question or exclamation mark, quotes and brackets aside ("Vendredi : 10 h à 12 h",
    "— une pièce d'identité", "Adult return: £7.50", "- dogs are welcome on a lead")?"""
    text = text.strip().rstrip("\"'»”’)]")
    return bool(text) and len(text) <= _LINE_CHARS and text[-1] not in _CLOSING


_FIRST_LINE = re.compile(r"\s*(?:#+\s*)?([^\n]*)\n")  # after blank space and a Markdown heading's marks


def document_title(text: str) -> str:
    """The text's first line when it is a title: a line of its own, at most 150 characters, with no
    closing punctuation ("# Member Handbook", "Acme Corp Annual Report 2023"); "" otherwise (a text that
    opens with a sentence or a paragraph has none)."""
    m = _FIRST_LINE.match(text)
    line = m.group(1).rstrip().rstrip("#").strip() if m else ""
    if not line or len(line) > 150 or line[-1] in ".!?…:;,»\"”":
        return ""
    return line


def paragraph_lead(paragraph: str) -> str:
    """The paragraph's first line when it heads what follows: a line of its own, at most 150
    characters, a question or with no closing punctuation ("Can I pause my membership?" over "Yes, once
    a year.", "Lost property" over "Items are kept for 14 days."); "" otherwise."""
    line, newline, rest = paragraph.partition("\n")
    line = line.strip().lstrip("#").strip()
    if not newline or not rest.strip() or not line or len(line) > 150:
        return ""
    return line if line[-1] == "?" or line[-1] not in ".!…:;,»\"”" else ""


def _entry(line: str) -> bool:
    """An entry of a list or a table (a bullet, a number, a "Label: value" line, a table row), no title."""
    return list_item(line) or field_line(line) or line.startswith("|")


def section_titles(text: str, starts: list[int]) -> list[tuple[int, str]]:
    """Where each section title of `text` stands and what it says: a paragraph of one line that `is_line`
    (short, no closing punctuation) and no entry of a list or a table, its Markdown marks left out ("##
    Opening hours" -> "Opening hours"); not the document's title line."""
    title, found = document_title(text), []
    for i, start in enumerate(starts):
        block = text[start : starts[i + 1] if i + 1 < len(starts) else len(text)].strip()
        line = block.lstrip("#").strip()
        if block and "\n" not in block and is_line(line) and not _entry(line) and line != title:
            found.append((start, line))
    return found


def section_above(sections: list[tuple[int, str]], starts: list[int], start: int) -> str:
    """The last of `sections` (`section_titles`) that stands before the paragraph holding `start`."""
    paragraph = starts[bisect.bisect_right(starts, start) - 1]
    above = [line for at, line in sections if at < paragraph]
    return above[-1] if above else ""


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def paragraph_bounds(text: str) -> list[int]:
    """Where the paragraphs of `text` (between blank lines) start, in order."""
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]


def paragraph_at(text: str, starts: list[int], start: int, end: int) -> str:
    """The paragraph that holds text[start:end] (with any it runs into), from `paragraph_bounds(text)`."""
    first = bisect.bisect_right(starts, start) - 1
    last = bisect.bisect_right(starts, max(start, end - 1))
    stop = len(text) if last >= len(starts) else starts[last]
    return text[starts[first] : stop].strip()
