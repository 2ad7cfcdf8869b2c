"""The ordinary words of English and French: stopwords, articles, numbers, weekdays and months,
negation, and the content words of a text."""

from __future__ import annotations

import functools
import re
import unicodedata

from .seasons import months_seasons, seasons

LANGUAGES = ("en", "fr")
WORD = re.compile(r"[^\W\d_][\w'’-]*")  # a word: letters first, then letters, digits, apostrophes, hyphens


# Ligatures Unicode does not decompose: "œuvre" and "oeuvre" are one word, typed either way.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def fold(text: str) -> str:
    """Lowercase and strip accents, ligatures spelled out: 'Genève' -> 'geneve', 'Œuvre' -> 'oeuvre'."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- stopwords --------------------------------------------------------------------------------

@functools.lru_cache(maxsize=2)
def stopwords_of(language: str) -> frozenset[str]:
    """One language's stopwords (accent-folded): scikit-learn's English list (318 words; the `stop-words`
    English list, 1,333 words, holds content words such as "states" or "new") or the `stop-words` French
    list (348 words)."""
    if language == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(fold(w) for w in ENGLISH_STOP_WORDS)
    from stop_words import get_stop_words

    return frozenset(fold(w) for w in get_stop_words(language))


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """English and French stopwords (accent-folded), for telling names from ordinary words."""
    return frozenset().union(*(stopwords_of(language) for language in LANGUAGES))


# A short list of function words for keyword search: content words ("new", "section"), which broad
# stopword lists also hold, keep their weight in BM25.
KEYWORD_STOPWORDS = frozenset(
    """
    a à au aux avec ce ces cet cette dans de des du elle elles en et est été être il ils je la le les leur
    lui mais me même mes moi mon ne nous on ou où par pas pour qu que qui sa se ses si son sont sur ta te tes
    toi ton tu un une vos votre vous y c d j l m n s t qu ont a-t-il quel quelle quels quelles quoi comment
    the an and are as at be by for from has have he her his in is it its of on or she that this to was were
    will with what who whom which when where why how did do does said say says about than then they them
    there their been not no yes can could would should
    """.split()
)


# Articles, as answer-matching drops them: SQuAD's evaluation script ("a", "an", "the") and FQuAD's
# French one ("le", "la", "les", "l'", "du", "des", "au", "aux", "un", "une").
ARTICLES = {"en": frozenset("a an the".split()), "fr": frozenset("le la les l du des au aux un une".split())}
# Words that open a noun phrase before its noun: the articles, demonstratives and possessives (closed
# classes). "l'opéra", "the hymn", "sa chanson": a name or title written after such a noun is the
# thing it names ("l'opéra La traviata"), not a new sentence (`segment`).
DETERMINERS = frozenset().union(*ARTICLES.values()) | frozenset(
    "this that these those my your his her its our their "
    "ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs".split())

# --- numbers, weekdays, months ----------------------------------------------------------------

def numbers(text: str, words: bool = True, every: bool = False, counts: bool = False) -> set[str]:
    """Numbers a text states, in digits or in words of either language ("trois", "twelve" -> "3", "12");
    with `words=False`, only those written in digits ("2019", "16th", "51.6%"); with `every=True`, also
    the small ones and ordinals text2num leaves as words by default ("un", "first", "premières" -> 1);
    with `counts=True`, number words from two up ("deux", "two": an answer to "how many") and the
    multipliers of one to three ("once", "twice", "une fois", "une seule fois": an answer to "how often").

    Articles are not numbers ("un an" is read by text2num as an article) and neither is "neuf" in
    "un vélo neuf"; text2num decides from context."""
    from text_to_num import alpha2digit

    if not words:
        return _digits(text)
    found: set[str] = set()
    for language in LANGUAGES:
        try:
            converted = alpha2digit(text, language, threshold=0 if every else 2 if counts else 3)
        except Exception:  # text2num is strict about some inputs; the digits are still read below
            converted = text
        found |= _digits(converted)
    if counts:
        found |= {_MULTIPLIERS[m.group(1).lower()] for m in _MULTIPLIER.finditer(text)}
    return found | _approximate(text)


# How often, said as a word (text2num reads "deux fois" but leaves "une fois" and "once" alone:
# below its threshold, and "une" is an article).
_MULTIPLIERS = {"once": "1", "twice": "2", "thrice": "3", "une": "1", "un": "1"}
_MULTIPLIER = re.compile(r"\b(once|twice|thrice|une?(?= (?:seule )?fois\b))\b", re.I)


# Approximate counts, a closed class of nouns: French collective numerals ("une quarantaine de",
# "des centaines de"; "mis en quarantaine" is no number: one needs a determiner or a number before it)
# and English "dozen". text2num reads neither. A singular is its value ("une quarantaine" = about 40 =
# "about forty"); a plural, the order of magnitude, as text2num reads "hundreds" and "thousands" (100,
# 1000): "des dizaines de" and "dozens of" both 10.
_COLLECTIVE = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
               "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000, "dozen": 12}
_APPROXIMATE = re.compile(r"\b(?:(une|des|quelques|plusieurs|[0-9]+)\s+)?(" + "|".join(_COLLECTIVE) + r")(s)?\b", re.I)


def _approximate(text: str) -> set[str]:
    found = set()
    for m in _APPROXIMATE.finditer(text):
        noun = m.group(2).lower()
        if m.group(1) or noun == "dozen":
            value = _COLLECTIVE[noun]
            found.add(str(10 ** (len(str(value)) - 1) if m.group(3) else value))
    return found


# Digits grouped by thousands with a space (French "1 240", "5 000"; no-break and thin spaces too); a
# group of digits after a comma or a full stop (English "1,240", French "1.240" or decimals "1,5", "51.6").
_SPACE_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?(?!\d)")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
# A code is a name, not a number: letters with digits straight after them ("E4", "A320", "MP3", "km2")
# or capitals, a hyphen and digits ("HX-250", "B-52", "COVID-19"); "pre-1975", "16th" and "3e" are numbers.
_CODE = re.compile(r"(?<![\w-])(?:[^\W\d_]+\d|[A-Z][A-Z0-9]*-\d)[\w-]*")


def _digits(text: str) -> set[str]:
    """The numbers written in digits, one form whatever the language's separators: "1 240", "1,240" (in
    English) and "1240" are "1240"; "1,5" and "1.5" are "1.5". One comma or full stop before three digits
    is a thousands separator or a decimal point as the text's language writes it ("1,240": English 1240,
    French 1.24, by `detect`: names aside, and function words where lingua is unsure, as it is of "The
    village of Saint-Aubin has 1,240 inhabitants."); two or more of them are thousands ("12,500,000",
    "1.240.000"). The digits of a code are not a number ("HX-250", "E4": `_CODE`)."""
    return set(written_numbers(text).values())


def written_numbers(text: str) -> dict[str, str]:
    """Each number written in digits, as written (spaces between groups taken out: "2 400" -> "2400") ->
    as `_digits` reads it. A French answer that copies "£2,400" from an English sentence writes the
    sentence's number, which its own language would read as 2.4: `rag.exact` compares such a number as
    written too."""
    text = _SPACE_GROUPED.sub(lambda m: re.sub(r"\s", "", m.group()), _CODE.sub(" ", text))
    out: dict[str, str] = {}
    thousands = ""  # the text's thousands separator, read once when a number needs it
    for n in _DIGITS.findall(text):
        seps = [ch for ch in n if ch in ",."]
        if not seps:
            out[n] = n
        elif len(seps) == 1 and re.fullmatch(r"\d{1,3}[.,]\d{3}", n):
            thousands = thousands or ("." if _french(text) else ",")
            out[n] = n.replace(thousands, "") if seps[0] == thousands else n.replace(",", ".")
        elif len(set(seps)) == 1 and len(seps) > 1:  # "12,500,000"; "1.2.3" (a section number) is read alike
            out[n] = n.replace(seps[0], "")
        else:  # "1,234.5" / "1.234,5": the last one is the decimal point
            whole, point = n[: n.rfind(seps[-1])], n[n.rfind(seps[-1]) + 1 :]
            out[n] = re.sub(r"\D", "", whole) + "." + point
    return out


def _french(text: str) -> bool:
    from .identify import detect

    return detect(text) == "fr"


@functools.lru_cache(maxsize=1)
def calendar_table() -> dict[str, tuple[str, int]]:
    """Folded weekday and month names of both languages -> ("weekday", 0..6) or ("month", 1..12)."""
    from babel import Locale

    table: dict[str, tuple[str, int]] = {}
    for language in LANGUAGES:
        locale = Locale(language)
        for context in ("format", "stand-alone"):
            for i, name in locale.days[context]["wide"].items():
                table[fold(name)] = ("weekday", i)
            for i, name in locale.months[context]["wide"].items():
                table[fold(name)] = ("month", i)
    table.pop("may", None)  # the English modal verb; a month named May is capitalised and caught below
    return table


@functools.lru_cache(maxsize=1)
def _abbreviation_table() -> dict[str, tuple[tuple[str, int], bool]]:
    """Folded abbreviated month and weekday names of both languages that are no whole name, without their
    full stop -> (the term, whether babel writes it with a full stop: "janv." needs one, "Jan" does not).
    One that two terms share ("mar": mardi, March) is left out."""
    from babel import Locale

    found: dict[str, set[tuple[tuple[str, int], bool]]] = {}
    for language in LANGUAGES:
        locale = Locale(language)
        for kind, names in (("weekday", locale.days), ("month", locale.months)):
            for context in ("format", "stand-alone"):
                wide = {fold(n) for n in names[context]["wide"].values()}
                for i, name in names[context]["abbreviated"].items():
                    if fold(name).rstrip(".") not in wide:
                        found.setdefault(fold(name).rstrip("."), set()).add(((kind, i), name.endswith(".")))
    return {abbr: next(iter(v)) for abbr, v in found.items() if len({term for term, _ in v}) == 1}


@functools.lru_cache(maxsize=1)
def calendar_abbreviations() -> frozenset[str]:
    """Folded abbreviated month and weekday names ("janv", "févr", "sept", "jan", "lun"; not "mai", "juin",
    "May"): babel's locale data."""
    return frozenset(_abbreviation_table())


_ABBREVIATED = re.compile(r"[^\W\d_]+\.?")


def abbreviated_terms(text: str) -> set[tuple[str, int]]:
    """The months and weekdays a text names by an abbreviation next to a figure ("4 janv. 2027", "Jan 4",
    "lun. 3 mars"), with its full stop where babel writes one ("janv." but not "janv": "sept" is seven)."""
    table, found = _abbreviation_table(), set()
    for m in _ABBREVIATED.finditer(text):
        word = m.group()
        entry = table.get(fold(word.rstrip(".")))
        if entry is None or entry[1] and not word.endswith("."):
            continue
        if text[: m.start()].rstrip()[-1:].isdigit() or text[m.end():].lstrip()[:1].isdigit():
            found.add(entry[0])
    return found


def calendar_term(word: str) -> tuple[str, int] | None:
    """The weekday or month a word names, in either language, or None; weekdays in the plural too
    ("Saturdays", "les lundis"; not months: "mais" is not "mai"), after an elided article or preposition
    ("d'août", "l’automne") and before an English possessive ("Friday's")."""
    table, key = calendar_table(), fold(POSSESSIVE.sub("", _ELISION.sub("", word)))
    plural = table.get(key[:-1]) if key.endswith("s") else None
    return table.get(key) or (plural if plural and plural[0] == "weekday" else None)


def calendar_terms(text: str, stated: bool = False) -> set[tuple[str, int]]:
    """Weekdays, months and seasons a text names, in either language ("Friday" and "vendredi" are the
    same; "4 janv." too: `abbreviated_terms`; `seasons`); `stated` (the evidence's side: what it gives) adds the seasons its months fall in."""
    found = {t for t in map(calendar_term, WORD.findall(text)) if t} | abbreviated_terms(text)
    found |= {("month", 5) for w in re.findall(r"\bMay\b", text)}
    found |= seasons(text)
    return found | months_seasons(found) if stated else found


# Negation: grammatical (not, never, ne … pas, jamais, sans) and the verbs that state one (refuse, fail,
# lack, deny, reject). "Declined" is left out: it is a decrease as often as a refusal.
_NEGATION = re.compile(
    r"\b(not|never|no|none|nobody|nothing|neither|nor|without|cannot|unable|refus\w*|fail\w*|lack\w*|"
    r"den(?:y|ies|ied|ial)|reject\w*|ne|n|jamais|aucune?s?|sans|ni|rien|nie(?:s|nt|r|e|es)?|nia(?:it|ient)?|rejet\w*)\b|\w+n't\b")


def negated(text: str) -> bool:
    """Does the text state a negation ("was not", "wasn't", "n'a pas", "jamais", "refused")?"""
    return bool(_NEGATION.search(fold(text).replace("’", "'")))


# "No, …" / "Non. …" / "Yes — …" opening a reply is the answer to a yes/no question, not a negation of
# what the reply then states ("No, the pool is closed on public holidays."); without the punctuation it is
# part of the statement ("No dogs are allowed.").
_REPLY_WORD = re.compile(r"^\s*(yes|no|oui|non|si)\s*(?:[,.;:!]|[—–-](?=\s))\s*", re.I)
_YES = frozenset({"yes", "oui", "si"})  # "si": the French yes to a negative question


def without_reply_word(text: str) -> str:
    """The text without an opening "Yes," / "No." / "Oui," / "Non," (the yes or no a reply opens with)."""
    return _REPLY_WORD.sub("", text, count=1)


def reply_word(text: str) -> bool | None:
    """The yes (True) or no (False) a reply opens with ("Yes, …", "Non. …", "Si, …"), or None."""
    m = _REPLY_WORD.match(text)
    return None if m is None else m.group(1).lower() in _YES


# --- the words of a question ------------------------------------------------------------------

_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.I)
POSSESSIVE_S = re.compile(r"['’]s\b")  # "the UK's" -> "the UK", "New Year's Day" -> "New Year Day", inside a text
POSSESSIVE = re.compile(r"(?<=\w)['’]s?$", re.I)  # an English possessive's ending: "scheme's", "members'"
_CLITIC = re.compile(r"-(?:t-)?(?:il|ils|elle|elles|on|je|tu|nous|vous|ce|les?|la|moi|toi|lui|leur|y|en)$", re.I)


def content_words(text: str) -> list[str]:
    """The ordinary content words of a text, lowercase, in order and without repeats: no stopword, no
    name or capitalised word (names are checked apart), no number, no elided article or clitic pronoun
    ("l'intertitre" -> "intertitre", "pénètrent-elles" -> "pénètrent") nor English possessive ("the
    scheme's manager" -> "scheme")."""
    stop = _all_stopwords()
    out: dict[str, None] = {}
    for token in WORD.findall(text):
        word = _bare(token)
        if len(word) < 3 or any(ch.isupper() for ch in word) or fold(word) in stop:
            continue
        out.setdefault(word, None)
    return list(out)


def _bare(token: str) -> str:
    """A word without its elided article, clitic pronoun or English possessive ending."""
    return POSSESSIVE.sub("", _CLITIC.sub("", _ELISION.sub("", token.replace("’", "'"))))


@functools.lru_cache(maxsize=1)
def _all_stopwords() -> frozenset[str]:
    """The stopwords of both languages and the keyword-search ones, accent-folded."""
    return stopwords() | {fold(w) for w in KEYWORD_STOPWORDS}


def word_forms(text: str) -> set[str]:
    """Every word of the text but its stopwords, names and capitalised words included, lowercase and
    accent-folded, without elided article, clitic pronoun, possessive or plural ending ("l'Afrique" ->
    "afrique", "radiographies" -> "radiographie"); its digits too ("2008")."""
    stop = _all_stopwords()
    out = set(re.findall(r"\d+", text))
    for token in WORD.findall(text):
        word = fold(_bare(token))
        if len(word) < 2 or word in stop:
            continue
        out.add(word[:-1] if len(word) > 3 and word[-1] in "sx" else word)
    return out
