"""Sentence boundaries with exact character offsets.

`split_sentences(text)` returns (start, end) spans such that `text[start:end]`
is a sentence with no surrounding whitespace. Sentence boundaries come from
`sentencex` (maintained, rule-based, ~300 languages): for a block in another
language than English, a boundary is kept only where that language's rules and
the English ones agree (each set has gaps: under-splitting joins two sentences,
over-splitting cuts a claim in half). A boundary followed by a lowercase word
is none (an abbreviation the library does not know: "en 221 av. J.-C. sous
l'autorité de…"), unless the sentence before opens in lowercase too (a text
written all in lowercase), and neither is one after a title written before a
name that the library does not know ("le Pr. Moriarty"), or after an abbreviated
month or weekday before a figure ("le 3 janv. 1950"), after a capitalised abbreviation
with no vowel before a capital ("Cllr. Doyle"), after a first name's initials
("J.-P. Jeunet") or before a Roman numeral that goes on in lowercase ("Vol. II of"); a list item's number is
no sentence ("1. Open the lid."). Line breaks that end a line-like unit (a
title, a list item: a bullet, a dash, "1.", "a)"; a line of a list or a title
that ends in a word, "Opening hours", "Adult ticket: 12 euros") are boundaries
too, but not a line break inside a sentence: where the next line opens in
lowercase or with a digit, where the line ends in a function word, or, in a
text wrapped at a fixed width (every line at most `_WRAPPED` characters), where
the next line's first word would not have fitted on the line
(`python -m benchmarks.wrapped_text` compares the sentences of the question
sets' documents wrapped and unwrapped).

A heading glued to the next sentence with no full stop and no line break
("…a budget for the new hospital Et si le conseil…") is cut off only on
evidence: a capitalised function word in mid-sentence (a word of the library
stopword lists that is also in the short list of function words keyword search
drops: scikit-learn's list holds content words, "mill", "fire", "bill", "top",
"side", that open ordinary names, "the Old Mill car park"), after a word
that is neither a stopword nor punctuation, followed by a lowercase word (so it
does not open a name or title: "The Guardian", "Le Monde", "La Paz"), with at
least four words on each side, where the library itself accepts a sentence
start once a full stop is put before it. Not after a lowercase noun that a
determiner opens: there the capitalised word starts the title of what that
noun names, written in sentence case ("le motet Ne reminiscaris Domine",
"l'opéra La traviata", "the hymn The day thou gavest"); a heading that ends
so stays glued to its sentence, which keeps the sentence whole.
"""


from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from importlib.metadata import version
from pathlib import Path

from . import lang


@functools.lru_cache(maxsize=1)
def segmenter() -> dict[str, str]:
    """What the index manifest records of sentence segmentation and passage packing: a change to either
    module, or to the word lists their rules read, re-chunks every source."""
    from . import chunking

    code = hashlib.sha256(Path(__file__).read_bytes() + Path(chunking.__file__).read_bytes()).hexdigest()[:12]
    lists = (sorted(_function_words()) + ["|"] + sorted(lang.DETERMINERS) + ["|"] + sorted(lang.ABBREVIATED_TITLES)
             + ["|"] + sorted(lang.calendar_abbreviations()))
    words = hashlib.sha256("\n".join(lists).encode()).hexdigest()[:12]  # the heading and boundary rules read them
    return {"library": f"sentencex {version('sentencex')}", "rules": code, "stopwords": words}


@functools.lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    """Words that may open a sentence glued to a heading: closed-class words of both lists (articles,
    conjunctions, pronouns, prepositions), not the content words of the library's stopword list."""
    return lang.stopwords() & {lang.fold(w) for w in lang.KEYWORD_STOPWORDS}


def _boundaries(language: str, text: str) -> set[int]:
    import sentencex

    return {b["end_index"] for b in sentencex.get_sentence_boundaries(language, text)}


def _library_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    block = text[start:end]
    language = lang.detect(block[:1000])
    cuts = _boundaries("en", block)
    if language != "en":
        cuts &= _boundaries(language, block)
    cuts.add(len(block))
    spans, cursor = [], 0
    for cut in sorted(cuts):
        number = _NUMBER.fullmatch(block[cursor:cut].strip())
        if cut == len(block) and number and spans:  # "…in Vol. 3.": the number ends the sentence before it
            spans[-1] = (spans[-1][0], start + cut)
        elif cut > cursor and (cut == len(block) or not _goes_on(block, cursor, cut) and not number):
            spans.append((start + cursor, start + cut))
            cursor = cut
    return spans


# a list item's or a section's number, which the library ends a sentence with ("1. Open the lid.", "II. Results")
_NUMBER = re.compile(r"(?:\d{1,2}|[IVXLC]{2,})\.")


def _goes_on(block: str, begin: int, cut: int) -> bool:
    """Does the sentence from `begin` go on past the library's `cut`? What follows opens with a lowercase
    letter, in a text whose sentences open with a capital (this one does): the cut came after an
    abbreviation the library does not know ("en 221 av. J.-C. sous l'autorité de…", "etc. et"); the
    cut came after a title written before a name ("le Pr. Moriarty", `lang.ABBREVIATED_TITLES`); or after
    an abbreviated month or weekday before a figure or a dash ("né le 3 janv. 1950", "Mon.–Fri. 9 am",
    `lang.calendar_abbreviations`); after a first name's initials before a capital ("J.-P. Jeunet"; the
    library reads single initials so, and an era's "av. J.-C. César…" is then glued, as the library
    glues "av. J. César"); or after a short word and its full stop before a Roman numeral of two letters
    or more and a lowercase word ("Vol. II of the report": no sentence opens so)."""
    if cut >= len(block):
        return False
    rest = block[cut:].lstrip()
    before = block[begin:cut].rstrip()
    first, last = before[:1], before.rsplit(None, 1)[-1] if before else ""
    if rest[:1].islower() and not first.islower():
        return True
    abbreviated = re.search(r"([^\W\d_]+)\.$", last)
    if (rest[:1].isdigit() or unicodedata.category(rest[:1] or " ") == "Pd") and abbreviated \
            and lang.fold(abbreviated.group(1)) in lang.calendar_abbreviations():
        return True  # "le 3 janv. 1950", "Mon.–Fri. 9 am": an abbreviated month or weekday before a figure or a dash
    if rest[:1].isupper() and _INITIALS.search(last):
        return True  # "un film de J.-P. Jeunet": initials, as the library reads "J. P. Jeunet"
    if _SHORT_WORD.search(last) and _ROMAN_GOES_ON.match(rest):
        return True  # "See Vol. II of the report": a numeral that no sentence opens with, before a lowercase word
    if rest[:1].isupper() and _abbreviation_without_vowel(last):
        return True  # "Cllr. Ann Doyle", "Sgt. Pepper": no word of either language is written without a vowel
    return (last.endswith(".") and last[:1].isupper() and rest[:1].isupper()
            and lang.fold(last[:-1]) in lang.ABBREVIATED_TITLES)


def _abbreviation_without_vowel(last: str) -> bool:
    """Is the word before the full stop a capitalised abbreviation with no vowel ("Cllr.", "Sgt.", "Mgr.",
    "(Bldg.")? English and French words all hold one (y counts). A word with more than one capital is an
    acronym, which may end a sentence ("…joined the EU. The…", "…elected few MPs. In…"), and a single
    letter an initial."""
    word = last.lstrip("([{\"'«“‘")[:-1]
    if not last.endswith(".") or not word.isalpha() or len(word) < 2 or not word[0].isupper():
        return False
    return sum(c.isupper() for c in word) == 1 and not set(lang.fold(word).lower()) & set("aeiouy")


_INITIALS = re.compile(r"(?:^|[^\w.])(?:[A-Z]\.-)+[A-Z]\.$")  # "J.-P.", "(J.-M."
_SHORT_WORD = re.compile(r"(?:^|[^\w.])[^\W\d_]{1,4}\.$")  # "Vol.", "ch.": what an abbreviation looks like
_ROMAN_GOES_ON = re.compile(r"[IVXLC]{2,}\s+[^\W\d_]*[a-z]")  # "II of", "XIV du"


def _split_lines(text: str) -> list[tuple[int, int]]:
    """Blocks separated by blank lines, or by line breaks that end a line-like unit."""
    blocks: list[tuple[int, int]] = []
    start = 0
    lines = text.split("\n")
    width = _wrap_width(lines)
    pos = 0
    for i, line in enumerate(lines):
        line_end = pos + len(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        stripped = line.strip()
        cut = (
            nxt is None
            or not stripped
            or not nxt.strip()
            or stripped.startswith(("#", "|")) or list_item(stripped) and not _continues(nxt)
            or list_item(nxt.lstrip()) or re.match(r"\s*[#>|]\s", nxt) is not None
            or field_line(stripped) and field_line(nxt)  # "Monday to Friday: 9 am to 9.30 pm⏎Saturday: 8 am…"
            or not (_continues(nxt) or _full(line, nxt, width)) and (
                stripped[-1] in ".!?…:»\"”"
                or len(stripped) <= 80 and not stripped[-1].islower() and not stripped[-1] == ","
                # a title or a list line that ends in a word ("Opening hours", "Adult ticket: 12 euros"), not in
                # a function word ("…the doctor and⏎Dr Smith said"), where the next word would have fitted on
                # it (`_local_width`: wrapped paragraphs may sit among long lines)
                or len(stripped) <= 80 and stripped[-1].islower() and not _full(line, nxt, _local_width(lines, i))
                and lang.fold(stripped.rsplit(None, 1)[-1].strip("'’")) not in _function_words()
            )
        )
        if cut:
            blocks.append((start, line_end))
            start = line_end + 1
        pos = line_end + 1
    return blocks


_WRAPPED = 100  # no line of a text wrapped at a fixed width is longer (mail: 72-78, most tools: 80)
_NARROW = 40  # nor are all its lines shorter: short lines are a list's or a poem's ("Child ticket: 6 euros")


def _wrap_width(lines: list[str]) -> int | None:
    """The width the text was wrapped at: its longest line, when it has at least four lines and none is
    longer than `_WRAPPED` characters, nor all shorter than `_NARROW`; None otherwise (a text with a line
    per paragraph, a list)."""
    lengths = [len(line.rstrip()) for line in lines if line.strip()]
    if len(lengths) < 4 or not _NARROW <= max(lengths) <= _WRAPPED:
        return None
    return max(lengths)


def _local_width(lines: list[str], i: int) -> int | None:
    """The width line `i` may have been wrapped at, read from it and its neighbours (the longest of the
    three; greedy wrapping leaves no line of a paragraph room for the next word at any width up to it), or
    None when all three are shorter than `_NARROW`."""
    width = max(len(line.rstrip()) for line in lines[max(i - 1, 0) : i + 2])
    return width if width >= _NARROW else None


def _full(line: str, nxt: str, width: int | None) -> bool:
    """Was the line broken because the next word did not fit? In a wrapped text, the line and the next
    line's first word are longer together than the width: "…in the\nSeven Years' War", "…on Saturday
    14\nMarch". A short title line ("Annual report 2023") leaves room for it."""
    words = nxt.split()
    return width is not None and bool(words) and len(line.rstrip()) + 1 + len(words[0]) > width


_ITEM = re.compile(r"(?:[*+]|\d{1,2}[.)]|[a-zA-Z]\))\s")


def list_item(line: str) -> bool:
    """Does the line open as an item of a list: a bullet ("•", "‣", "◦": Unicode's bullets), a dash of any
    kind ("-", "–", "—"), "*", "+", a number ("1.", "2)") or a letter ("a)") before a space?"""
    first = line[:1]
    if first and line[1:2].isspace() and (unicodedata.category(first) == "Pd" or "BULLET" in unicodedata.name(first, "")):
        return True
    return _ITEM.match(line) is not None


_FIELD = re.compile(r"\s*([A-ZÀ-Þ][^:.!?\n]{0,40}?)\s?:\s+\S")
_FIELD_WORDS = 5


def field_line(line: str) -> bool:
    """Does the line open with a short label and a colon, as the entries of a timetable or a price list do
    ("Saturday: 8 am to 8 pm", "Du mardi au vendredi : 9 h à 12 h", "Child (5 to 15): half the adult fare")?
    Two such lines in a row are two entries, however long the one before the other is (a wrapped
    paragraph's next line opens with no label; a colon inside brackets ends none)."""
    m = _FIELD.match(line)
    label = m.group(1) if m else ""  # not "The Yuan dynasty (Chinese: 元朝…", a bracket's inside
    return bool(label) and len(label.split()) <= _FIELD_WORDS and label.count("(") == label.count(")")


def _continues(line: str) -> bool:
    """Does the line go on with the sentence of the line before it? It opens with a lowercase letter or a
    digit ("and was approved…", "1872 by the council…"): a title, a list item or a new sentence opens
    with a capital. A text wrapped at a fixed width breaks its lines wherever a word no longer fits."""
    first = line.lstrip()[:1]
    return first.islower() or first.isdigit()


def _glued_heading(text: str, start: int, end: int) -> int | None:
    """Where a heading glued to the sentence after it ends, or None (see the module's doc)."""
    words = list(re.finditer(r"\S+", text[start:end]))
    stop, function = lang.stopwords(), _function_words()
    for i in range(4, len(words) - 4):
        prev, word, nxt = words[i - 1].group(), words[i].group(), words[i + 1].group()
        if not (word[:1].isupper() and word[1:].islower() and word.isalpha() and lang.fold(word) in function):
            continue
        if not nxt[:1].islower() or lang.fold(prev.strip("'’")) in stop or not prev[-1:].isalnum():
            continue
        if _kind_noun(words[i - 2].group(), prev):
            continue
        heading = text[start : start + words[i - 1].end()]
        if heading.count("«") != heading.count("»") or heading.count('"') % 2:
            continue
        rest = text[start + words[i].start() : end]
        probe = f"{heading}. {rest[:80]}"
        if len(heading) + 2 in _boundaries(lang.detect(heading), probe):
            return start + words[i - 1].end()
    return None


_ELIDED_ARTICLE = re.compile(r"^[lL]['’](?=[^\W\d_])")


def _kind_noun(before: str, word: str) -> bool:
    """Is `word` a lowercase noun that a determiner opens ("le motet", "l'opéra", "the hymn", "sa
    chanson")? A capitalised function word after it starts the title of the thing it names ("le motet Ne
    reminiscaris Domine", "l'opéra La traviata"), not a sentence after a heading."""
    if not word[:1].islower():
        return False
    return bool(_ELIDED_ARTICLE.match(word)) or lang.fold(before.strip("«\"“(")) in lang.DETERMINERS


def strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of `text[start:end]`, as offsets into `text`."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for b_start, b_end in _split_lines(text[:end]) if start == 0 else [(start, end)]:
        if b_end <= start:
            continue
        span = strip_span(text, max(b_start, start), b_end)
        if not span:
            continue
        for s, e in _library_spans(text, *span):
            sentence = strip_span(text, s, e)
            while sentence:
                cut = _glued_heading(text, *sentence)
                if cut is None:
                    out.append(sentence)
                    break
                out.append((sentence[0], cut))
                sentence = strip_span(text, cut, sentence[1])
    return out
