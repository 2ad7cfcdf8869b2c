"""Language knowledge, in one place, for English and French.

Which language a text is in (lingua), stopwords (stop-words), number words (text2num), weekday and
month names (babel's locale data), proper names and the content words of a text (the system's own
phrases and the instruction rules are in `rag.instructions`). Libraries first; the few lists kept
here are closed-class words, and nothing here knows any particular document.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from difflib import SequenceMatcher

LANGUAGES = ("en", "fr")


def fold(text: str) -> str:
    """Lowercase and strip accents: 'Genève' -> 'geneve'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- which language ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def without_names(text: str) -> str:
    """The text without its capitalised words, but for a sentence's first word when it is a stopword
    (names are shared by both languages and mislead a language identifier on short texts: "Qui est
    Jane Smith ?", "Károly Ferenczy est le chef de file…", which lingua took for English)."""
    out, start = [], True
    stop = stopwords()
    for m in re.finditer(r"\S+", text):
        word = m.group()
        if not word[:1].isupper() or (start and fold(word.strip(".,;:!?«»\"'()")) in stop):
            out.append(word)
        start = word.endswith((".", "!", "?", ":"))
    return " ".join(out)


def detect(text: str) -> str:
    """'en' or 'fr' ('en' when the text gives no clue)."""
    from lingua import Language

    sample = without_names(text)
    if not _WORD.search(sample):
        sample = text
    found = _detector().detect_language_of(sample) if _WORD.search(sample) else None
    return "fr" if found == Language.FRENCH else "en"


@functools.lru_cache(maxsize=512)
def language_of(text: str) -> str:
    """The language of a passage or a document, from its first thousand characters (cached)."""
    return detect(text[:1000])


def foreign_words(text: str, language: str, confidence: float = 0.9) -> list[str]:
    """Words of `text` left in the other language ("objectifs" in an English answer): words of four
    letters or more, names and quotations left out, that lingua gives to the other language with at
    least this confidence. Measured: words both languages share 0.4-0.9 ("discussions" 0.48, "forces"
    0.61, "personnel" 0.86), left-over French words 0.69-1.0 ("tactiques" 0.69, "porte-parole" 0.80,
    "objectifs" 0.96, "militaires" 0.98): 0.9 misses some rather than flag shared words."""
    from lingua import Language

    other = Language.ENGLISH if language == "fr" else Language.FRENCH
    sample = re.sub(r"«[^»]*»|\"[^\"]*\"|“[^”]*”|\[\d+\]", " ", text)
    words = [w for w in _WORD.findall(without_names(sample)) if len(w) >= 4 and not w[:1].isupper()]
    return [w for w in words if _detector().compute_language_confidence(w, other) >= confidence]


def assessable(text: str) -> bool:
    """Has the text enough words besides names and citation marks to tell its language ("Jane Smith [1]" has not)?"""
    return len(_WORD.findall(without_names(re.sub(r"\[\d+\]", " ", text)))) >= 2


# --- stopwords --------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """English and French stopwords (accent-folded), for telling names from ordinary words: scikit-learn's
    English list (318 words; the `stop-words` English list, 1,333 words, holds content words such as
    "states" or "new") and the `stop-words` French list (348 words)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    from stop_words import get_stop_words

    return frozenset(fold(w) for w in [*ENGLISH_STOP_WORDS, *get_stop_words("fr")])


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

# --- numbers, weekdays, months ----------------------------------------------------------------

def numbers(text: str, words: bool = True, every: bool = False, counts: bool = False) -> set[str]:
    """Numbers a text states, in digits or in words of either language ("trois", "twelve" -> "3", "12");
    with `words=False`, only those written in digits ("2019", "16th", "51.6%"); with `every=True`, also
    the small ones and ordinals text2num leaves as words by default ("un", "first", "premières" -> 1);
    with `counts=True`, number words from two up ("deux", "two": an answer to "how many").

    Articles are not numbers ("un an" is read by text2num as an article) and neither is "neuf" in
    "un vélo neuf"; text2num decides from context."""
    from text_to_num import alpha2digit

    found: set[str] = set()
    if not words:
        return {n.replace(",", ".").rstrip(".") for n in re.findall(r"\d+(?:[.,]\d+)?", text)}
    for language in LANGUAGES:
        try:
            converted = alpha2digit(text, language, threshold=0 if every else 2 if counts else 3)
        except Exception:  # text2num is strict about some inputs; the digits are still read below
            converted = text
        for n in re.findall(r"\d+(?:[.,]\d+)?", converted):
            found.add(n.replace(",", ".").rstrip("."))
    return found


@functools.lru_cache(maxsize=1)
def _calendar() -> dict[str, tuple[str, int]]:
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


def calendar_terms(text: str) -> set[tuple[str, int]]:
    """Weekdays and months a text names, in either language ("Friday" and "vendredi" are the same)."""
    table = _calendar()
    found = {table[fold(w)] for w in _WORD.findall(text) if fold(w) in table}
    found |= {("month", 5) for w in re.findall(r"\bMay\b", text)}
    return found


# --- names ------------------------------------------------------------------------------------

_POSSESSIVE = re.compile(r"['’]s\b")
_CONNECTORS = {"de", "du", "des", "la", "le", "el", "al", "bin", "van", "von", "der", "of", "the", "d'"}


def names(text: str) -> list[str]:
    """Proper names in a text: runs of capitalised words past the first word of a sentence, that
    are not stopwords, weekdays or months ("Jane Smith", "United Nations", "Le Monde")."""
    stop, calendar = stopwords(), _calendar()
    runs: list[list[str]] = []
    current: list[str] = []
    start = True
    for m in re.finditer(r"[\w'’.-]+|[^\w\s]", text):
        token = m.group()
        word = _POSSESSIVE.sub("", token.strip(".'’-"))  # "the UK's" -> "UK"
        parts = word.split("-")
        while len(parts) > 1 and parts[0].islower() and fold(parts[0]) not in _CONNECTORS:
            parts = parts[1:]  # "non-Chinese" -> "Chinese"; "al-Bakr" stays whole
        word = "-".join(parts)
        capitalised = any(part[:1].isupper() for part in parts)  # "Jane", "al-Bakr"
        is_name = (not start and capitalised and not word.isdigit() and len(word) >= 2
                   and fold(word) not in stop and fold(word) not in calendar)
        if is_name:
            current.append(word)
        elif current and fold(word) in _CONNECTORS and not token.endswith("."):
            current.append(word)
        else:
            if current:
                runs.append(current)
            current = []
        start = token in (".", "!", "?", ":", "«", "\"", "“") or (token.endswith(".") and len(word) > 1)
    if current:
        runs.append(current)
    out = []
    for run in runs:
        while run and fold(run[-1]) in _CONNECTORS:
            run = run[:-1]
        if run:
            out.append(" ".join(run))
    return list(dict.fromkeys(out))


def spelled_alike(a: str, b: str, ratio: float = 0.75) -> bool:
    """Same word allowing for accents and small spelling variants (Genève ~ Geneva, Tchaïkovski ~ Tchaikovsky);
    the first letter must agree ("Brussels" is not "Russell")."""
    a, b = fold(a), fold(b)
    return a == b or (min(len(a), len(b)) >= 4 and a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= ratio)


@functools.lru_cache(maxsize=256)
def _words_of(text: str) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, list[int]], tuple[str, ...]]:
    """A text's words without connectors, folded, where each folded word occurs, and its capitalised words."""
    words = tuple(w for w in re.findall(r"\w+", _POSSESSIVE.sub("", text)) if fold(w) not in _CONNECTORS)
    folded = tuple(fold(w) for w in words)
    where: dict[str, list[int]] = {}
    for i, f in enumerate(folded):
        where.setdefault(f, []).append(i)
    return words, folded, where, tuple(dict.fromkeys(w for w in words if w[:1].isupper()))


def capitalised_words(text: str) -> tuple[str, ...]:
    """The distinct capitalised words of a text (connectors aside)."""
    return _words_of(text)[3]


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words).upper()


def mentions(text: str, name: str) -> bool:
    """Does `text` name `name`, as a whole? Its words in a row (connectors aside: "Ministry of Foreign
    Affairs" is in "the Ministry of Foreign Affairs of Russia"), each the same word (accents and case
    aside) or a small spelling variant of a capitalised word (a variant of a common word is another word:
    "Paris" is not "parties"). "American Union" is not in a text about the "European Union", although
    "Union" is. An acronym names what its capitalised words spell ("EU", "European Union")."""
    words = [w for w in re.findall(r"\w+", _POSSESSIVE.sub("", name)) if fold(w) not in _CONNECTORS]
    if not words:
        return False
    have, folded, where, capitalised = _words_of(text)

    def same(k: int, i: int) -> bool:
        return folded[i] == fold(words[k]) or (have[i][:1].isupper() and spelled_alike(words[k], have[i]))

    starts = set(where.get(fold(words[0]), []))
    starts |= {i for c in capitalised if spelled_alike(words[0], c) for i in where[fold(c)]}
    if any(i + len(words) <= len(have) and all(same(k, i + k) for k in range(1, len(words))) for i in starts):
        return True
    if len(words) == 1 and 2 <= len(words[0]) <= 6 and words[0].isupper():  # "EU" for "European Union"
        acronym = words[0]
        for i in (i for c in capitalised if c[0] == acronym[0] for i in where[fold(c)]):
            run = have[i : i + len(acronym)]
            if len(run) == len(acronym) and all(w[:1].isupper() for w in run) and _initials(list(run)) == acronym:
                return True
    if len(words) >= 2 and all(w[:1].isupper() for w in words):  # "European Union" for "EU"
        return _initials(words) in {w for w in capitalised if w.isupper()}
    return False


# Negation: grammatical (not, never, ne … pas, jamais, sans) and the verbs that state one (refuse, fail,
# lack, deny, reject). "Declined" is left out: it is a decrease as often as a refusal.
_NEGATION = re.compile(
    r"\b(not|never|no|none|nobody|nothing|neither|nor|without|cannot|unable|refus\w*|fail\w*|lack\w*|"
    r"den(?:y|ies|ied|ial)|reject\w*|ne|n|jamais|aucune?s?|sans|ni|rien|nie(?:s|nt|r|e|es)?|nia(?:it|ient)?|rejet\w*)\b|\w+n't\b")


def negated(text: str) -> bool:
    """Does the text state a negation ("was not", "wasn't", "n'a pas", "jamais", "refused")?"""
    return bool(_NEGATION.search(fold(text).replace("’", "'")))


_QUANTITY = re.compile(r"\b(how (many|much)|what (number|percentage|proportion)|combien|quel(le)?s? (nombre|pourcentage|proportion))\b",
                       re.I)


def asks_quantity(question: str) -> bool:
    """Does the question ask for a count or an amount ("how many…", "combien…")?"""
    return bool(_QUANTITY.search(question))


# --- the words of a question ------------------------------------------------------------------

_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.I)
_CLITIC = re.compile(r"-(?:t-)?(?:il|ils|elle|elles|on|je|tu|nous|vous|ce|les?|la|moi|toi|lui|leur|y|en)$", re.I)


def content_words(text: str) -> list[str]:
    """The ordinary content words of a text, lowercase, in order and without repeats: no stopword, no
    name or capitalised word (names are checked apart), no number, no elided article or clitic pronoun
    ("l'intertitre" -> "intertitre", "pénètrent-elles" -> "pénètrent")."""
    stop = stopwords() | {fold(w) for w in KEYWORD_STOPWORDS}
    out: dict[str, None] = {}
    for token in _WORD.findall(text):
        word = _CLITIC.sub("", _ELISION.sub("", token.replace("’", "'")))
        if len(word) < 3 or any(ch.isupper() for ch in word) or fold(word) in stop:
            continue
        out.setdefault(word, None)
    return list(out)
