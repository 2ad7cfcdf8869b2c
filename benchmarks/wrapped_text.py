"""Sentence boundaries of documents hard-wrapped at a fixed width, against the same documents unwrapped.

    python -m benchmarks.wrapped_text [--width 72] [FILE ...]   (default: every document of the
    question sets: ../shared/eval-*/docs, eval/*-docs, index/sources)

Plain-text files are often wrapped at 70-80 columns (mail, exported notes, Project Gutenberg): a line
break inside a sentence is no boundary. Each paragraph (a line of the file) is wrapped with `textwrap`,
which only turns spaces into line breaks, so the wrapped text has the same characters at the same
offsets and its sentence spans can be compared one to one with those of the original. Prints, per
width, the boundaries segmentation finds in the original, how many the wrapped text loses and how many
it adds (a sentence cut at a line break), with the first cuts it adds.
"""

from __future__ import annotations

import argparse
import glob
import textwrap
from pathlib import Path

from rag.segment import split_sentences

DEFAULT = ["../shared/eval-*/docs/*.txt", "eval/*-docs/*.txt", "index/sources/*.txt"]


def wrapped(text: str, width: int) -> str:
    """The text with each of its lines wrapped at `width` (spaces turned into line breaks, nothing else)."""
    out = []
    for line in text.split("\n"):
        if "  " in line or "\t" in line or len(line) <= width:
            out.append(line)  # fill() would fold a run of spaces: offsets would move
            continue
        filled = textwrap.fill(line, width=width, break_long_words=False, break_on_hyphens=False,
                               replace_whitespace=False, drop_whitespace=True)
        out.append(filled if len(filled) == len(line) else line)
    result = "\n".join(out)
    assert len(result) == len(text)
    return result


def boundaries(text: str) -> set[int]:
    return {e for _, e in split_sentences(text)}


def compare(files: list[str], width: int) -> dict:
    found = lost = 0
    added: list[str] = []
    for name in files:
        text = Path(name).read_text(encoding="utf-8")
        wrapped_text = wrapped(text, width)
        a, b = boundaries(text), boundaries(wrapped_text)
        found += len(a)
        lost += len(a - b)
        added += [f"{Path(name).name}: …{text[max(0, e - 50):e]!r} | {text[e:e + 30]!r}…" for e in sorted(b - a)]
    return {"width": width, "files": len(files), "boundaries": found, "lost": lost, "added": len(added),
            "examples": added[:8]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.wrapped_text", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--width", type=int, action="append")
    args = parser.parse_args(argv)
    files = args.files or sorted(f for pattern in DEFAULT for f in glob.glob(pattern))
    for width in args.width or [72]:
        r = compare(files, width)
        print(f"width {r['width']}: {r['files']} files, {r['boundaries']} boundaries unwrapped; wrapped loses "
              f"{r['lost']}, adds {r['added']} (a sentence cut at a line break)")
        for example in r["examples"]:
            print("   ", example)


if __name__ == "__main__":
    main()
