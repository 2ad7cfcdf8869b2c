"""Turn files into plain text: .txt, .md, .html/.htm and .pdf.

Text files are decoded as UTF-8 when they are, otherwise with the encoding
charset-normalizer detects. HTML goes through BeautifulSoup, PDF through pypdf.
Binary, empty and oversized files are refused with a `DocumentError` that says
what to do; one bad file never stops a whole build (the caller decides).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from pathlib import Path
from typing import Any, Iterable

from .errors import DocumentError
from .hashing import sha256_file

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 50)


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes of a text file, refusing binary content."""
    if _looks_binary(data):
        raise DocumentError(f"{name}: looks like a binary file, not text; give a .txt, .md, .html or .pdf document")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(f"{name}: cannot detect its text encoding; save it as UTF-8 and try again")
    return str(best)


# elements that stand on lines of their own, a blank line around each (a heading, a paragraph, a list)
_BLOCKS = ("address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
           "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
           "section", "summary", "table", "ul")


_LINE, _BLOCK = "\x1e", "\x1d"  # marks of a line break and of a blank line, read at the end


def _html_to_text(html: str) -> str:
    """The page's text as a plain-text writer would lay it out: each heading, paragraph and list on lines
    of its own with a blank line around it, a list item on a line opening with "- " (or its number in an
    ordered list), a table row on a line of its own, its cells between "|" as in Markdown ("| Chorale
    adultes | 60 € | 100 € |"), a header row (a table's first, of <th> cells only) followed by Markdown's
    separator row ("| --- | --- |", so `rag.tables` reads the columns' names), a line break where <br>
    is, and inline markup ("<b>", "<a>") inside its sentence, its source line breaks read as spaces (the
    sentence of a link stays whole)."""
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    for string in soup.find_all(string=True):
        if type(string) is NavigableString and not string.find_parent("pre"):  # not a comment, not the doctype
            string.replace_with(NavigableString(re.sub(r"\s+", " ", str(string))))
    heads = [first for table in soup.find_all("table") if (first := table.find("tr")) is not None
             and all(cell.name == "th" for cell in first.find_all(["td", "th"]))]
    for row in soup.find_all("tr"):
        cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
        line = f"{_LINE}| " + " | ".join(cells) + f" |{_LINE}" if any(cells) else ""
        if line and any(row is head for head in heads):  # a header row: Markdown's separator under it
            line += "| " + " | ".join("---" for _ in cells) + f" |{_LINE}"
        row.replace_with(NavigableString(line))
    for item in soup.find_all("li"):
        parent = item.find_parent(["ol", "ul"])
        mark = f"{len(item.find_previous_siblings('li')) + 1}." if parent is not None and parent.name == "ol" else "-"
        item.insert_before(NavigableString(f"{_LINE}{mark} "))
        item.insert_after(NavigableString(_LINE))
    for tag in soup.find_all("br"):
        tag.replace_with(NavigableString(_LINE))
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before(NavigableString(_BLOCK))
        tag.insert_after(NavigableString(_BLOCK))
    # the space between two marks (the source's indentation and line breaks) is part of the break they make
    text = re.sub(f"[\\s{_LINE}{_BLOCK}]*[{_LINE}{_BLOCK}][\\s{_LINE}{_BLOCK}]*",
                  lambda m: "\n\n" if _BLOCK in m.group() else "\n", soup.get_text(""))
    return "\n".join(re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.strip().split("\n"))


def reader_record() -> str:
    """A hash of how a file becomes text (these conversions and the versions of the libraries they call),
    recorded with the chunker in the index manifest: a change reads every source again."""
    from importlib.metadata import version

    parts = [inspect.getsource(f) for f in (decode_text, _html_to_text, _pdf_to_text)]
    parts += [repr(_BLOCKS), version("beautifulsoup4"), version("pypdf")]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def _pdf_to_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DocumentError(f"{path.name}: cannot read this PDF ({exc}); check the file is a valid, unencrypted PDF") from exc
    return "\n\n".join(p for p in pages if p)


def load_text(path: str | Path, max_bytes: int = 20_000_000) -> str:
    """Read one document as text.

    >>> text = load_text("index/sources/us-russia-syria.fr.txt")
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(f"{name}: unsupported file type {suffix or '(none)'}; use one of {', '.join(SUPPORTED)}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"{name}: cannot read it ({exc.strerror}); check the path and its permissions") from exc
    if size > max_bytes:
        raise DocumentError(f"{name}: {size:,} bytes is over the {max_bytes:,}-byte limit; split the document or raise RAG_MAX_FILE_BYTES")
    if suffix == ".pdf":
        text = _pdf_to_text(path)
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(f"{name}: cannot read it ({exc.strerror}); check the path and its permissions") from exc
        text = decode_text(data, name)
        if suffix in (".html", ".htm"):
            text = _html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"{name}: holds no text; give a document with some content")
    return text


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files, and the supported files inside folders (recursively, sorted)."""
    files: list[Path] = []
    for p in map(lambda x: Path(x).expanduser(), paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED))
        else:
            files.append(p)
    return files


MAX_EXAMPLES, MAX_EXAMPLE_CHARS = 8, 300


def examples_of(document: Path) -> list[str]:
    """Example questions kept beside a document as data: `NAME.examples.json` (a JSON list of strings)
    next to `NAME.txt`. They travel with the document into the index and the chat shows them."""
    sidecar = document.with_suffix(".examples.json")
    if not sidecar.is_file():
        return []
    try:
        items = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DocumentError(f"{sidecar.name}: unreadable example questions ({exc}); fix it or remove it") from exc
    if not isinstance(items, list) or not all(isinstance(q, str) and 0 < len(q) <= MAX_EXAMPLE_CHARS for q in items):
        raise DocumentError(f"{sidecar.name}: example questions must be a JSON list of short strings")
    return items[:MAX_EXAMPLES]


def read_documents(files: list[Path], max_bytes: int, skipped: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each readable file's text, sha256, path and example questions, by file name; a file that cannot
    be read goes to `skipped` (name -> message) and the others are still read."""
    docs: dict[str, dict[str, Any]] = {}
    for f in files:
        name = f.name
        if name in docs:
            raise DocumentError(f"two documents are named {name}; rename one so that names are unique")
        try:
            text = load_text(f, max_bytes)
            docs[name] = {"text": text, "sha256": sha256_file(f), "path": str(f.resolve()), "examples": examples_of(f)}
        except DocumentError as exc:
            skipped[name] = str(exc)
    return docs
