"""Does the cited evidence say what the question asks about?

A claim can be supported by its sentence and still not answer the question: "Who decreased the
troops?" answered from a sentence saying who increased them, "What discovery of gas…?" from a
sentence about oil. Embeddings put such words as close as synonyms, so each content word of the
question that the cited sentences do not contain in any form is put to the LLM, word by word: does
the sentence say it, or a word of the same meaning? Its probability of "yes" (read from the logits,
not sampled) under `verification.min_asked_p` means the evidence is about something else, and the
answer abstains.

Only where the question and its evidence are in the same language (across languages every word is
"missing"; asked anyway, the words of right answers and of near misses scored alike), and only for
the languages in `verification.asked_languages`: on the English development sets the 1.5B model's
yes/no on word meaning separated right answers (lowest word 0.773 and more) from most swapped words
(0.45-0.76; `benchmarks/coverage_threshold.py` over recording runs: 0.75 abstains on one more
unanswerable development question than 0.7 and loses no right answer, 0.8 loses three). Four
swapped words of the development sets scored 0.757-0.769, just under the lowest right word (0.773):
the default 0.765 withholds three of them and stays 0.008 under that right word (docs/quality-log.md,
twenty-second step: a thin margin). Other swapped words score 0.78-0.85 ("old" for "new", "exposes"
for a barrier), among right ones: no threshold withholds those alone. On the French ones it
did not (on PIAF, the lowest word of right answers 0.55-0.96, of wrong ones 0.52-0.86).

In the languages of `verification.restated_languages` (none by default) only the question's words
that the answer itself restates are asked, under `verification.min_restated_p`: a claim that asserts
the attribute asked for ("The newspaper that interviewed her is …") when its sentences say
nothing of it. On PIAF's French development answers the yes/no of those words withheld three wrong
answers (a husband, a coronation, an alliance that the cited sentences do not state) and no right one
at 0.7 (four right ones at 0.75), where asking every word lost four right answers at 0.7. It
withheld a right answer whose cited sentence names its subject only by a pronoun (the sentence before
it names it; P("yes") 0.66): on this path a word the sentence before a cited one gives is not asked.
It stays off by default (docs/quality-log.md, fourteenth and fifteenth steps).

With `verification.noun_languages`, the noun the question asks for ("Which architect…?", "Quelle est la
hauteur de…?", the role in "Who was the husband of…?": `lang.asked_noun`) is asked too when the cited
sentences lack it, in any evidence language, under `verification.min_noun_p`: one word, the one a near
miss most often swaps ("the height" answered with the year it was built). docs/quality-log.md,
eighteenth and nineteenth steps, has the figures.

Of a yes/no question the every-word path does not ask its predicate (`predicate_word`): the sentence
that answers "no" says the opposite of it ("Cats and other pets are refused." to "Are cats allowed…?"),
which the prompt rightly calls unsaid (0.46), and whether the answer goes the way of its sentence is
`rag.polarity`'s to check. Its subject and what follows the predicate ("in private rooms") are asked as
before (docs/quality-log.md, thirty-fourth step).

Each word is asked in a prompt of its own, holding only the cited sentences and the question: asked
at the end of the answer's conversation (cheaper, its tokens are cached), the model said "yes" to
nearly every word, right or swapped. docs/quality-log.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lang, prompts
from .text_model import TextModel
from .evidence import word_stems
from .lang.money import amounts, stated_currency_words
from .lang.priced import PRICE_WORDS


def unmatched(question: str, evidence: str) -> list[str]:
    """The question's content words that the evidence does not contain, in any form (the crude stems
    of claim support, a short word's plural folded: "bee" in "wild bees", `evidence.word_stems`); a
    currency's word is contained when the evidence states that currency, however ("dollars" over
    "$4.2 million"), and a word that only says "a price" ("cost", "prix": `lang.priced.PRICE_WORDS`)
    when it states an amount of money ("How much does a berth cost?" over "charged at £28 a night")."""
    forms = word_stems(evidence)
    words = [w for w in lang.content_words(question) if not word_stems(w) <= forms]
    stated = stated_currency_words(words, evidence)
    return [w for w in words if w not in stated and not says_price(w, evidence)]


def says_price(word: str, evidence: str) -> bool:
    """Does the evidence say the word because it only means "a price" and the evidence states an amount?"""
    return lang.fold(word) in PRICE_WORDS and bool(amounts(evidence))


@dataclass
class Coverage:
    """The question's words the evidence lacks, with the model's probability that it says each anyway."""

    p_yes: dict[str, float] = field(default_factory=dict)
    min_p: float = 0.0

    @property
    def unexpressed(self) -> list[str]:
        return [w for w, p in self.p_yes.items() if p < self.min_p]


def check_noun(llm: TextModel, question: str, evidence: str, language: str, min_p: float,
               languages: tuple[str, ...], asked: dict[str, float] | None = None) -> Coverage | None:
    """The noun the question asks for ("Which architect…", "Quelle est la hauteur…"), when the evidence
    lacks it in any form, put to the LLM as `check` puts each word; in the question languages of
    `languages`, whatever the evidence's language (an English noun over French sentences is always
    asked). None when off, in another language, when the question asks for no noun, or when `asked`
    (the words `check` asked already) holds it."""
    noun = lang.asked_noun(question)
    if min_p <= 0 or language not in languages or noun is None or noun in (asked or {}):
        return None
    result = Coverage(min_p=min_p)
    if word_stems(noun) <= word_stems(evidence) or says_price(noun, evidence):
        return result
    with llm.aside():
        p = _p_yes(llm, question, evidence, noun)
    if p is None:
        return None
    result.p_yes[noun] = round(p, 4)
    return result


def missing_item(llm: TextModel, item: list[tuple[str, ...]], question: str, evidence: str, window: str,
                 language: str, languages: tuple[str, ...], min_p: float, evidence_language: str = "") -> list[str]:
    """The groups of `item`, the thing a price question prices (`lang.priced_item`: "Combien coûte une
    entrée pour un étudiant ?" -> entrée; étudiant), that the evidence does not name, each group's words
    joined by a space. Where the evidence is in the question's language,
    word for word: `window` (the cited sentences, the sentence before each and their headings) must hold
    a word of each group in some form, except in `languages`, where the every-word check reads those
    words (synonyms included). Put to the LLM like the asked noun, under `min_p`, where the evidence is in
    another language ("towel" over "moyennant 8 euros par heure": 0.58; "ten-visit card" over "La carte
    de dix entrées": 0.87). Word for word in French, as the own sets' French price near misses scored
    alike with right answers when put to the LLM (0.60-0.79; docs/quality-log.md)."""
    if (evidence_language or lang.language_of(evidence)) == language:
        if language in languages:
            return []
        forms = word_stems(window)
        return [" ".join(group) for group in item if not any(word_stems(w) <= forms for w in group)]
    missing = []
    with llm.aside():
        for group in item:
            p = _p_yes(llm, question, evidence, " ".join(group))
            if p is not None and p < min_p:
                missing.append(" ".join(group))
                break  # one is enough
    return missing


def _p_yes(llm: TextModel, question: str, evidence: str, word: str) -> float | None:
    """The LLM's probability that the evidence says `word` (the coverage prompt, whose fixed start's
    model state is kept, so a check reads only the rest); None from a model that gives none."""
    text = prompts.render("coverage.user", sentence=evidence, question=question, word=word)
    fixed = prompts.fixed_start("coverage.user")
    return llm.yes_probability([{"role": "user", "content": text}], keep=fixed or None)


# Prepositions that open what follows a yes/no question's predicate ("allowed | in the space").
_PREPOSITIONS = frozenset("in at on for to with during from by of after before until into inside without within "
                          "dans pour avec pendant par chez sans sur sous avant apres jusqu".split())


def predicate_word(question: str) -> str | None:
    """The word a yes/no question asks to be true or not, which the sentence answering "no" says the
    opposite of: the last content word before the first preposition, or before the end, other than the
    subject's words (`lang.polar_subject`): "allowed" in "Are cats allowed in the coworking space?",
    "free" in "Is breakfast free in private rooms?", "smoke" in "Can I smoke on the roof terrace?". None
    when nothing but the subject comes before ("Is the price of a night included?" asks every word)."""
    subject = set(lang.content_words(lang.polar_subject(question) or ""))
    tokens = [lang.fold(t) for t in re.findall(r"[\w'’-]+", question)]
    head: list[str] = []
    for token in tokens[1:]:
        if token in _PREPOSITIONS:
            break
        head.append(token)
    words = [w for w in lang.content_words(" ".join(head)) if w not in subject]
    return words[-1] if words else None


def restated(words: list[str], answer: str) -> list[str]:
    """Those of the words that the answer restates, in any form (`evidence.word_stems`)."""
    forms = word_stems(answer)
    return [w for w in words if word_stems(w) <= forms]


def check(llm: TextModel, question: str, evidence: str, language: str, min_p: float,
          languages: tuple[str, ...], answer: str = "", restated_languages: tuple[str, ...] = (),
          min_restated_p: float = 0.0, window: str = "", headings: str = "", evidence_language: str = "") -> Coverage | None:
    """None when the check does not apply (off, another language, evidence in another language, a
    model that gives no probabilities); otherwise each unmatched word's probability of being said.
    In `languages`, every unmatched word of the question is asked, under `min_p`; in
    `restated_languages`, only those the answer restates, under `min_restated_p`, and a word counts as
    unmatched only when `window` (the cited sentences with the sentence before each, which the model
    read with them; by default the evidence alone) lacks it too: "ils ont convenu" after a sentence
    naming the ministers says what the ministers agreed. Every word of the English path is matched
    on the evidence alone: there the window excused a swapped word that the sentence before happened
    to hold (a near miss answered on the own set), and mended no answer. What heads the evidence does
    count there (`headings`: its document's title line, its paragraph's lead line): "How often can I
    pause my membership?" is answered by "Yes, once a year." under "Can I pause my membership?".
    `evidence_language`: the language of the passages the evidence comes from (default: the evidence's)."""
    if language in languages:
        restated_only = False
    elif language in restated_languages:
        restated_only, min_p = True, min_restated_p
    else:
        return None
    if min_p <= 0 or (evidence_language or lang.language_of(evidence)) != language:
        return None
    if restated_only:
        words = restated(unmatched(question, window or evidence), answer)
    else:
        words = unmatched(question, f"{evidence} {headings}")
        if lang.is_polar(question):
            predicate = predicate_word(question)
            words = [w for w in words if w != predicate]
    result = Coverage(min_p=min_p)
    if not words:
        return result
    with llm.aside():  # the answer prompt stays in the cache for the next question
        for word in words:
            p = _p_yes(llm, question, evidence, word)
            if p is None:
                return None
            result.p_yes[word] = round(p, 4)
            if p < min_p:
                break  # one word the evidence does not say is enough
    return result
