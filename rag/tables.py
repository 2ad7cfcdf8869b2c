"""Rows of a pipe table ("| Éveil musical | 90 € | 150 € |", as Markdown writes them and as `rag.loaders`
writes an HTML table), read with the header row that names their columns.

A row alone does not say which of its figures is which: "How many seats does the meeting room have?"
abstained over "| Meeting room | 12 | £15 | £18 |", the count check reading the 12 as counting something
else, and "séance de salle de sport" was not found in "| Gym (one session) | £7.50 | … |". Shown to the
model and read by the checks with its header's names ("| Room: Meeting room | Seats: 12 | Hourly rate: £15
| …"), each figure says what it is (docs/quality-log.md, forty-seventh step; the model still takes a
figure from the wrong column now and then). A header is the first line of a table whose second line is a
separator row ("|---|---|"), as Markdown requires; a table without one (a plain-text grid) has no header,
and its rows are shown as they are.
"""

from __future__ import annotations

import re

_SPLIT = re.compile(r"(?<!\\)\|")  # a cell border, not an escaped "\|" inside a cell
_SEPARATOR_CELL = re.compile(r":?-{3,}:?")


def is_row(line: str) -> bool:
    """A line of a pipe table: it opens and closes with "|" and has at least one cell."""
    line = line.strip()
    return len(line) > 2 and line.startswith("|") and line.endswith("|")


def cells(row: str) -> list[str]:
    """The cells of a table row, stripped, outer borders left out."""
    return [cell.strip() for cell in _SPLIT.split(row.strip()[1:-1])]


def is_separator(line: str) -> bool:
    """The row under a Markdown table's header: only dashes, with alignment colons ("|---|:--:|")."""
    return is_row(line) and all(_SEPARATOR_CELL.fullmatch(cell.replace(" ", "")) for cell in cells(line))


def header_of(block: str, row: str) -> list[str]:
    """The column names over `row` in `block` (a paragraph holding it): the cells of the first line of
    the table `row` stands in, when the table's second line is a separator and `row` comes after it, with
    as many cells as `row`; [] otherwise (no header, the header itself, the separator, a ragged row)."""
    lines = [line.strip() for line in block.split("\n")]
    row = row.strip()
    if not is_row(row) or is_separator(row) or row not in lines:
        return []
    at = lines.index(row)
    top = at
    while top > 0 and is_row(lines[top - 1]):
        top -= 1
    if at < top + 2 or not is_separator(lines[top + 1]):
        return []
    names = cells(lines[top])
    return names if len(names) == len(cells(row)) else []


def labelled(row: str, header: list[str]) -> str:
    """The row with each cell after its column's name ("| Formule: Éveil musical | Extérieurs: 150 € |");
    a cell under an unnamed column, or an empty cell, as it is; the row unchanged without a header."""
    if not header:
        return row
    parts = [f"{name}: {cell}" if name and cell else cell for name, cell in zip(header, cells(row))]
    return "| " + " | ".join(parts) + " |"
