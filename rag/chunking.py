"""Sentence-aware chunking with exact character offsets.

`split_sentences(text)` returns (start, end) spans such that `text[start:end]`
is a sentence with no surrounding whitespace. It knows French typography:
« » and straight/curly quotes, apostrophes, common abbreviations (M., Mme, Dr,
etc.), initials, and headings glued to the next sentence with no full stop
("…maintien de Bachar el-Assad Et si l'administration…").

`chunk_text(source, text)` packs consecutive sentences into passages of about
`chunk_chars` characters. Each chunk keeps its offsets
(`text[chunk.start:chunk.end] == chunk.text`) and the sentence before it as
`context`, so a passage starting "Ils ont convenu…" can still be found by a
question about who "ils" are.
"""

from __future__ import annotations

import hashlib
import re

from .types import Chunk

ABBREVIATIONS = {
    # French
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "st", "ste",
    "cf", "ex", "p", "pp", "etc", "env", "av", "apr", "j.-c", "n", "no", "vol", "chap",
    # English
    "mr", "mrs", "ms", "prof", "sr", "jr", "inc", "ltd", "co", "corp", "vs", "e.g", "i.e",
    "u.s", "u.k", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt", "fig", "jan", "feb",
    "aug", "sept", "oct", "nov", "dec", "approx", "dept", "est", "al",
}

# Words that start a sentence and, capitalised after a word with no punctuation,
# mark a heading glued to the sentence that follows it.
SENTENCE_STARTERS = {
    "Et", "Le", "La", "Les", "Un", "Une", "Des", "Mais", "Dans", "Pour", "Cette", "Ce", "Ces",
    "Il", "Elle", "Ils", "Elles", "Selon", "Alors", "Depuis", "Lors", "Après", "Avant",
    "The", "This", "These", "In", "But", "However", "It", "They", "He", "She",
}

_END = re.compile(r"[.!?…]+[\"'»”’)\]]*")
_OPENERS = "\"'«“‘(["
_GLUE = re.compile(r"(?<=[\w)])[ \t]+(?=(" + "|".join(sorted(SENTENCE_STARTERS, key=len, reverse=True)) + r")[ \t])")


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Does this run of terminal punctuation end a sentence?"""
    end = match.end()
    if end >= len(text):
        return True
    if not text[end].isspace():
        return False
    nxt = text[end:].lstrip()
    if not nxt:
        return True
    first = nxt[0]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if match.group().startswith("."):
        word = re.search(r"([\w.\-]+)$", text[: match.start()])
        token = word.group(1).lower() if word else ""
        if token in ABBREVIATIONS:
            return False
        if len(token) == 1 and token.isalpha():  # an initial: "J. Kerry"
            return False
    return True


def _split_lines(text: str) -> list[tuple[int, int]]:
    """Blocks separated by blank lines, or by line breaks that end a line-like unit."""
    blocks: list[tuple[int, int]] = []
    start = 0
    lines = text.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        line_end = pos + len(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        stripped = line.strip()
        cut = (
            nxt is None
            or not stripped
            or not nxt.strip()
            or stripped[-1] in ".!?…:»\"”"
            or len(stripped) <= 80 and not stripped[-1].islower() and not stripped[-1] == ","
            or stripped.startswith(("#", "-", "*", "|"))
            or re.match(r"\s*([#>*|-]|\d+[.)])\s", nxt) is not None
        )
        if cut:
            blocks.append((start, line_end))
            start = line_end + 1
        pos = line_end + 1
    return blocks


def _glued(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence where a heading with no full stop is glued to it."""
    pieces: list[tuple[int, int]] = []
    cursor = start
    for m in _GLUE.finditer(text, start, end):
        before = text[cursor : m.start()].split()
        after = text[m.end() : end].split()
        # Only a real heading: several words before, a sentence after, no
        # opening quote left unclosed in the heading.
        if len(before) >= 4 and len(after) >= 4 and text.count("«", cursor, m.start()) <= text.count("»", cursor, m.start()) \
                and text.count('"', cursor, m.start()) % 2 == 0:
            pieces.append((cursor, m.start()))
            cursor = m.end()
    pieces.append((cursor, end))
    return pieces


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of `text[start:end]`, as offsets into `text`."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _split_lines(text[:end]) if start == 0 else [(start, end)]:
        if b_end <= start:
            continue
        b_start = max(b_start, start)
        cursor = b_start
        for m in _END.finditer(text, b_start, b_end):
            if _is_boundary(text[:b_end], m):
                spans.append((cursor, m.end()))
                cursor = m.end()
        spans.append((cursor, b_end))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        span = _strip_span(text, s, e)
        if span:
            out.extend(p for p in (_strip_span(text, a, b) for a, b in _glued(text, *span)) if p)
    return out


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
    return [p for p in (_strip_span(text, a, b) for a, b in parts) if p]


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

    for s, e in sentences:
        size = e - group[0][0] if group else e - s
        heading = is_heading(text[s:e])
        if group and (size > chunk_chars or heading):
            flush()
        group.append((s, e))
        if heading:  # a heading is a passage of its own; it is the context of the passage after it
            flush()
    flush()
    return chunks


def is_heading(sentence: str) -> bool:
    """A short line with no closing punctuation ("Les Etats-Unis s'alarment…"), or a Markdown heading."""
    stripped = sentence.strip()
    return stripped.startswith("#") or (len(stripped) <= 120 and stripped[-1:].isalnum())
