"""Passages of consecutive sentences, with exact character offsets.

`chunk_text(source, text)` packs consecutive sentences into passages of about
`chunk_chars` characters. Each chunk keeps its offsets
(`text[chunk.start:chunk.end] == chunk.text`) and the sentence before it as
`context`, so a passage starting "Ils ont convenu…" can still be found by a
question about who "ils" are. Its sentences are `segment.split_sentences`'s.
"""

from __future__ import annotations

import hashlib

from .segment import list_item, split_sentences, strip_span
from .types import Chunk


def _split_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at clause boundaries, else at spaces."""
    parts: list[tuple[int, int]] = []
    while end - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("; "), window.rfind(", "), window.rfind(": "))
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = limit - 1
        parts.append((start, start + cut + 1))
        start = start + cut + 1
        while start < end and text[start].isspace():
            start += 1
    parts.append((start, end))
    return [p for p in (strip_span(text, a, b) for a, b in parts) if p]


def chunk_id(source: str, start: int, end: int, text: str) -> str:
    return hashlib.sha256(f"{source}\0{start}\0{end}\0{text}".encode()).hexdigest()[:16]


def chunk_text(source: str, text: str, chunk_chars: int = 320) -> list[Chunk]:
    """Pack sentences into passages of about `chunk_chars` characters.

    >>> [c.text for c in chunk_text("a.txt", "One. Two.", chunk_chars=4)]
    ['One.', 'Two.']
    """
    sentences: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        sentences.extend(_split_long(text, s, e, chunk_chars * 2))
    chunks: list[Chunk] = []
    group: list[tuple[int, int]] = []
    prev_context = ""

    def flush() -> None:
        nonlocal group, prev_context
        if not group:
            return
        s, e = group[0][0], group[-1][1]
        body = text[s:e]
        chunks.append(Chunk(chunk_id(source, s, e, body), source, s, e, body, prev_context))
        prev_context = text[group[-1][0] : group[-1][1]]
        group = []

    previous_end, previous_like = 0, False  # where the sentence before ends, and whether it looked like a heading
    for s, e in sentences:
        size = e - group[0][0] if group else e - s
        like = is_heading(text[s:e])
        # a heading-like line right under another one (no blank line between) is a line of a list or
        # timetable that the first heads ("Opening hours" over "Saturday: 8 am to 8 pm"), not a heading
        heading = like and not (previous_like and "\n\n" not in text[previous_end:s])
        if group and (size > chunk_chars or heading):
            flush()
        group.append((s, e))
        if heading:  # a heading is a passage of its own; it is the context of the passage after it
            flush()
        previous_end, previous_like = e, like
    flush()
    return chunks


def is_heading(sentence: str) -> bool:
    """A short line with no closing punctuation ("Le budget de la ville augmente"), or a Markdown heading;
    not a list item ("• a towel", "1) Open the lid", `segment.list_item`), nor more than one line."""
    stripped = sentence.strip()
    if "\n" in stripped or list_item(stripped):
        return False
    return stripped.startswith("#") or (len(stripped) <= 120 and stripped[-1:].isalnum())
