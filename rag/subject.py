"""Is the cited document about what a yes/no question asks about?

"L'auberge de jeunesse est-elle fermée le 1er janvier ?" answered "Les courts sont fermés le 25 décembre
et le 1er janvier." from a tennis club's page: the claim is supported, in the question's language, and
near the question, but the page never speaks of a hostel. The question's subject (`lang.polar_subject`:
"auberge de jeunesse", "hostel", "piscine") must be in a cited document: in any form of its words (the
crude stems of claim support), else close to one of its sentences by embedding (query prompt for the
subject, the sentences' stored vectors), which lets a translation or a synonym through ("serviettes"
over "Towels are not provided", 0.41; "running" over "Les chaussures de course…", 0.30). Sentences of a
page that never speaks of the subject came at 0.15-0.17 on the development sets ("restaurant" and
"piscine" over the tennis page, "clinique" over a library's page: docs/quality-log.md, thirty-third
step); `verification.min_subject_similarity` sits between.

The yes/no model check of the cited sentences ("does it say 'restaurant'?", `rag.coverage`'s prompt) was
measured first and dropped: the 1.5B model said yes to the missing subjects (0.80, 0.84) as readily as to
present ones (0.78-0.88), and no to a right one ("running", 0.73).
"""

from __future__ import annotations

import functools
import threading
from collections import Counter

import numpy as np

from . import lang
from .chunking import is_heading
from .evidence import stems
from .keywords import tokenize
from .names import VectorCache
from .sentence_vectors import sentences_in


def missing_subject(question: str, sources: list[str], index, vectors: VectorCache, min_similarity: float) -> str | None:
    """The yes/no question's subject when none of the cited documents (`sources`) names it in any form or
    has a sentence at least `min_similarity` close to it; else None (also when off, when the question is
    not yes/no or names no common-noun subject, or with no source)."""
    if min_similarity <= 0:
        return None
    found = closeness(question, sources, index, vectors)
    return found[0] if found is not None and found[1] < min_similarity else None


def closeness(question: str, sources: list[str], index, vectors: VectorCache) -> tuple[str, float] | None:
    """The yes/no question's subject and how close the cited documents come to it: 1.0 when one names it
    in any form, else the highest cosine of one of their sentences that is no heading ("Réservation" came
    at 0.31 to "restaurant" on a tennis club's page whose sentences came under 0.19); None without a
    subject or a source."""
    subject = lang.polar_subject(question)
    if subject is None or not sources:
        return None
    wanted = stems(subject)
    if any(wanted <= _profile(index, source).stems for source in dict.fromkeys(sources)):
        return subject, 1.0
    # a heading ("Réservation", "Horaires") is a label, no statement: a word or two embed close to anything
    texts = list(dict.fromkeys(t for c in index.chunks if c.source in sources for t in sentences_in(c) if not is_heading(t)))
    if not texts:
        return None
    return subject, float(np.max(vectors.get(texts) @ vectors.get([subject], "queries")[0]))


def other_topic(question: str, sources: list[str], index, vectors: VectorCache | None = None,
                min_word_similarity: float = 0.0) -> tuple[str, str] | None:
    """A word of the question that another document of the knowledge base is about, and that no cited
    document names in any form: (the word, that document), or None. "Combien coûte l'abonnement annuel à
    la piscine ?" answered from the bike scheme's page, whose annual membership costs £90, while the
    pool's page is titled "Piscine municipale des Tilleuls – informations pratiques". A document is
    about a word when its title line (its first line, when that is a heading) names it and its text
    names it again: a word the title holds once ("after long renovation") is not its subject. Only
    documents with a title line take part, and a word is matched by the crude stems of claim support.

    With `vectors` and `min_word_similarity`, a word in another form or language counts as the same word
    when the two words' embeddings are that similar ("pool" and "piscine"; query prompt for the
    question's word): in another document's title, and in the cited documents, which then do name it
    ("towel" is named by a page that says "serviettes"), whichever way a title names it."""
    cited = set(sources)
    if not cited:
        return None
    texts = [_profile(index, name).stems for name in cited]
    missing = [w for w in lang.content_words(question) if (forms := stems(w)) and not any(forms <= t for t in texts)]
    if not missing:
        return None
    titled = [(name, profile) for name in index.manifest["sources"]
              if name not in cited and (profile := _profile(index, name)).title]
    found = [(i, name) for name, profile in titled for i, word in enumerate(missing)
             if (forms := stems(word)) <= profile.title and profile.named_again(forms)]
    if vectors is not None and min_word_similarity > 0 and titled:
        asked = vectors.get(missing, "queries")
        for name, profile in titled:
            if words := profile.subject_words:
                found += [(int(i), name) for i in np.flatnonzero((asked @ vectors.get(words).T).max(axis=1)
                                                                 >= min_word_similarity)]
        if found:  # a cited document that names the word in another language does name it
            said = list(dict.fromkeys(w for name in sorted(cited) for w in _profile(index, name).words))
            close = (asked @ vectors.get(said).T).max(axis=1) if said else np.zeros(len(missing))
            found = [(i, name) for i, name in found if close[i] < min_word_similarity]
    return (missing[found[0][0]], found[0][1]) if found else None


class _Profile:
    """A document's title stems and content words (empty without a title line) and, read when first
    asked for, how often each stem occurs in it: a knowledge base's documents are all looked at for their
    title line, and only those whose title names a word of the question, and the cited ones, are read
    whole."""

    def __init__(self, text: str) -> None:
        self.text = text
        first, _, rest = text.strip().partition("\n")
        titled = bool(rest.strip()) and is_heading(first)
        self.title = stems(first) if titled else set()
        # lower-cased: a title's capitals ("Piscine municipale") do not make its words names
        self.title_words = [w for w in dict.fromkeys(lang.content_words(first.lower())) if stems(w)] if titled else []

    @functools.cached_property
    def counts(self) -> Counter:
        return Counter(w[:5] for w in tokenize(self.text))

    def named_again(self, forms: set[str]) -> bool:
        """Does the text name these stems twice or more (the title once, the text again)?"""
        return min(self.counts[f] for f in forms) >= 2

    @functools.cached_property
    def subject_words(self) -> list[str]:
        """The title's words that its text names again: what the document is about."""
        return [w for w in self.title_words if self.named_again(stems(w))]

    @functools.cached_property
    def words(self) -> list[str]:
        """The document's distinct content words, lower-cased."""
        return list(dict.fromkeys(lang.content_words(self.text.lower())))

    @functools.cached_property
    def stems(self) -> set[str]:
        """The document's crude stems: `evidence.stems` of its text."""
        return set(self.counts)


_PROFILES: dict[tuple[str, str], _Profile] = {}
_PROFILES_LOCK = threading.Lock()
_MAX_PROFILES = 10_000


def _profile(index, name: str) -> _Profile:
    key = (index.version, name)
    with _PROFILES_LOCK:
        found = _PROFILES.get(key)
    if found is None:
        found = _Profile(index.source_text(name))
        with _PROFILES_LOCK:
            if len(_PROFILES) >= _MAX_PROFILES:
                _PROFILES.clear()
            _PROFILES[key] = found
    return found
