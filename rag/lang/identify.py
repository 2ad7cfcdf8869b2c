"""Which language a text is in (lingua), and the words an answer left in the other one."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from .words import WORD, fold, stopwords, stopwords_of


@functools.lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()


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


# Under this confidence lingua is unsure (short texts: "The village has 1 240 inhabitants." is French to
# it at 0.65), and the function words decide when those of one language outnumber the other's.
SURE = 0.9


def detect(text: str) -> str:
    """'en' or 'fr' ('en' when the text gives no clue)."""
    from lingua import Language

    sample = without_names(text)
    if not WORD.search(sample):
        sample = text
    if not WORD.search(sample):
        return "en"
    french = _detector().compute_language_confidence(sample, Language.FRENCH)
    if max(french, 1 - french) < SURE:
        by_words = _by_function_words(sample)
        if by_words:
            return by_words
    return "fr" if french > 0.5 else "en"


@functools.lru_cache(maxsize=1)
def _own_stopwords() -> dict[str, frozenset[str]]:
    """Each language's stopwords that the other's list lacks."""
    english, french = stopwords_of("en"), stopwords_of("fr")
    return {"en": english - french, "fr": french - english}


def _by_function_words(text: str) -> str | None:
    """The language whose own function words the text holds more of ("the", "has" / "le", "est"); None on a tie."""
    words = [fold(w) for w in WORD.findall(text)]
    counts = {language: sum(w in own for w in words) for language, own in _own_stopwords().items()}
    if counts["en"] == counts["fr"]:
        return None
    return "en" if counts["en"] > counts["fr"] else "fr"


@functools.lru_cache(maxsize=512)
def language_of(text: str) -> str:
    """The language of a passage or a document, from its first thousand characters (cached)."""
    return detect(text[:1000])


def foreign_words(text: str, language: str, confidence: float = 0.9, sources: Iterable[str] = ()) -> list[str]:
    """Words of `text` left in the other language ("objectifs" in an English answer): words of four
    letters or more, names and quotations left out, that lingua gives to the other language with at
    least this confidence. Measured: words both languages share 0.4-0.9 ("discussions" 0.48, "forces"
    0.61, "personnel" 0.86), left-over French words 0.69-1.0 ("tactiques" 0.69, "porte-parole" 0.80,
    "objectifs" 0.96, "militaires" 0.98): 0.9 misses some rather than flag shared words.
    `sources`: the texts the answer was written from (the question, its cited sentences). A word that one
    of them in `language` holds is a word of that language ("gauge bosons" from an English sentence,
    which lingua alone gives to French; "coworking" from the French question that asked about it), not
    one left untranslated."""
    from lingua import Language

    other = Language.ENGLISH if language == "fr" else Language.FRENCH
    sample = without_quotes(text)
    words = [w for w in WORD.findall(without_names(sample)) if len(w) >= 4 and not w[:1].isupper()]
    same = {fold(w) for s in sources if language_of(s) == language for w in WORD.findall(s)}
    return [w for w in words if fold(w) not in same and _detector().compute_language_confidence(w, other) >= confidence]


# Single quotes too (the answer prompt asks for « » or single quotes), told from apostrophes by where they
# stand: one opens where no letter or digit comes before it and closes where none comes after it, so
# "l'avis", "the author's" and "the players' plan" are left alone.
_QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”|(?<!\w)'[^\n]+?'(?!\w)|(?<!\w)‘[^\n]+?’(?!\w)|\[\d+\]")


def without_quotes(text: str) -> str:
    """The text without what it quotes («…», "…", “…”, '…', ‘…’) and without its citation marks ([1])."""
    return _QUOTED.sub(" ", text)


def answer_language(text: str) -> str | None:
    """The language an answer is written in, its quotations left out (a quote stays as its source wrote
    it), and names (see `without_names`); None when too little is left to tell."""
    sample = without_quotes(text)
    return detect(sample) if assessable(sample) else None


def assessable(text: str) -> bool:
    """Has the text enough words besides names and citation marks to tell its language ("Jane Smith [1]" has not)?"""
    return len(WORD.findall(without_names(re.sub(r"\[\d+\]", " ", text)))) >= 2
