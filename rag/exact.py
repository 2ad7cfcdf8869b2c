"""The exact checks of one claim against its evidence, and of what the question asks against it.

`unstated`: what a claim states that its evidence does not (a number, weekday, month, season, currency,
hour, a price's period, or proper name); `named_elsewhere`: a name the question asks about put on a
statement about someone or something else; `unasked`: why the evidence does not answer what the
question asks (a number, day, currency or price's period the question gives, a count of something
else, a negation); `missing` runs the first two on one evidence. `rag.verify` runs them on each claim.
"""

from __future__ import annotations

import re

from . import lang
from .lang.clock import swapped_hours, without_given_hours
from .lang.counted import counted_noun, miscounted
from .lang.money import amounts, is_free, unasked_currencies, unstated_currencies
from .lang.periods import mentioned_periods, priced_periods, rate_periods
from .lang.words import written_numbers
from .names import VectorCache, name_stated
from .sentences import Sentence


def unstated(claim: str, evidence: str, vectors: VectorCache | None, question: str = "", titles: str = "") -> list[str]:
    """What the claim states that its evidence does not: numbers, weekdays/months/seasons, currencies ("45 euros"
    from "£45": `lang.money`), an hour on the other half of the day ("10 heures" from "10 pm":
    `lang.clock`), proper names, and in a claim that gives an amount of money, the period it prices by
    ("£260 a week" over "a fixed desk £260" given by the month) and a price the evidence gives for another
    period than the question asks (`other_periods`; `lang.periods`). A number the claim writes as its
    evidence does ("£2,400" in a French claim over an English sentence) is the evidence's, whichever
    way the claim's language reads its separator.

    Names the question itself gives are checked once for the whole answer, strictly (`absent_names`): a
    claim restating the question's subject ("the United States' objective is…") may rely on it. A claim's
    other names may also be a longer or shorter form of the evidence's ("Kublai Khan" for "Kublai"), which
    the name embeddings accept in either language.

    The evidence's counts in words from two up are numbers ("by nine votes to two" states the 2 of "9
    votes to 2"); the claim's are not checked below three (text2num's default): "the two ministers" may
    restate a sentence that names both without saying "two".

    A name may also be given by the `titles` of the evidence's documents (their title lines): "the
    company employs 240 people", in a document titled "Verdane: a year of growth", is said of Verdane,
    as `named_elsewhere` takes it for the names the question asks about."""
    dated, dated_evidence = lang.dated(claim), lang.dated(evidence)  # a holiday's date, as the date written
    # a number the claim writes as its evidence does ("£2,400" in a French claim over an English sentence)
    # is the evidence's, however the claim's language would read it
    copied = {read for written, read in written_numbers(dated).items() if written in written_numbers(dated_evidence)}
    missing = sorted(lang.numbers(without_given_hours(dated, dated_evidence)) - lang.numbers(dated_evidence, counts=True)
                     - copied)
    days = lang.calendar_terms(dated) - lang.calendar_terms(dated_evidence, stated=True)
    missing += [f"{kind} {i}" for kind, i in sorted(days)]
    missing += [f"currency {c}" for c in unstated_currencies(claim, evidence)]
    if amounts(claim) or is_free(claim):  # "£260 a week" over a month's price; the hour's price for the day's
        missing += [f"period {p}" for p in sorted(rate_periods(claim) - mentioned_periods(evidence))]
        missing += other_periods(question, claim, evidence)
    missing += [f"time {t}" for t in swapped_hours(dated, dated_evidence)]  # "10 heures" over "10 pm"
    asked = " ".join(lang.names(question))
    missing += [n for n in lang.names(claim) if not lang.mentions(asked, n) and not name_stated(n, evidence, vectors)
                and not (titles and name_stated(n, titles, vectors, True, False))]
    return missing


def named_elsewhere(question: str, claim: str, evidence: list[Sentence], vectors: VectorCache | None) -> list[str]:
    """The names the question asks about that the claim restates ("Genghis Khan fought…") but that
    neither the paragraphs its evidence stands in nor those documents' titles give (a title line, or
    the file name): a statement about someone or something else, put on the one asked about. A
    document's subject is often named only in its title ("# Acme Corp annual report") or file name
    ("fr-pakistan.txt"), not in each paragraph. A name the cited sentences themselves state in another
    form, as `unstated` reads a claim's names ("Flemish" of "peintre flamand", "Russian" of "russe"), is
    not one put on them. [] when a paragraph is unknown."""
    return not_around([n for n in lang.names(question) if lang.mentions(claim, n)], question, evidence, vectors)


def unnamed_around(question: str, answer: str, evidence: list[Sentence], vectors: VectorCache | None) -> list[str]:
    """The names the question asks about that the answer leaves out and that the paragraphs of its
    evidence and their documents' titles never give either ("Who opened the Avon Meadows Bridge?" answered
    "The bridge was opened … by the mayor of Halifax" from the paragraph of another bridge): the answer
    is about something else. Two names side by side before a French inverted verb ("…de Picasso
    Apollinaire était-il admiratif ?") are each looked for on its own. [] when a paragraph is unknown."""
    left_out = [n for n in lang.names(question) if not lang.mentions(answer, n)]
    return [n for n in not_around(left_out, question, evidence, vectors)
            if not any(not not_around([a, b], question, evidence, vectors)
                       for a, b in lang.splits_before_inverted_verb(question, n))]


def not_around(asked: list[str], question: str, evidence: list[Sentence], vectors: VectorCache | None) -> list[str]:
    """Those of `asked` (names of the question) that neither the paragraphs of the evidence, nor their
    documents' titles and file names, nor the cited sentences in another form give. [] when a
    paragraph is unknown."""
    if not asked or not evidence or any(not s.paragraph for s in evidence):
        return []
    language = lang.detect(question)
    around = " ".join(dict.fromkeys(s.paragraph for s in evidence))
    titles = " ".join(dict.fromkeys([*(re.sub(r"[\W_]+", " ", s.source.rsplit(".", 1)[0]).title() for s in evidence),
                                     *(s.title for s in evidence if s.title)]))
    cited = " ".join(s.text for s in evidence)  # not the sentence before: it may stand in another paragraph
    return [n for n in asked if not name_stated(n, around, vectors, lang.language_of(around) != language, False)
            and not name_stated(n, titles, vectors, True, False)
            and not name_stated(n, cited, vectors, lang.language_of(cited) != language)]


def ungiven(question: str, text: str) -> list[str]:
    """The numbers in digits and the weekdays, months and seasons the question gives that the text does
    not state ("the question's 1961", "weekday 2"); a holiday gives its date ("Christmas Day": 25
    December), and an hour is given on either half of the day ("23 h" by "11 pm")."""
    dated, dated_text = lang.dated(question), lang.dated(text)
    asked = lang.numbers(without_given_hours(dated, dated_text), words=False)
    numbers = sorted(asked - lang.numbers(dated_text, every=True)) if asked else []
    return numbers + [f"{kind} {i}" for kind, i in sorted(lang.calendar_terms(dated) - lang.calendar_terms(dated_text, stated=True))]


def other_periods(question: str, claim: str, evidence: str) -> list[str]:
    """The claim's prices that its evidence gives for another period than the question asks ("the day
    rate" answered "5 euros" over "5 euros de l'heure, ou 25 euros la journée"): each amount of the
    claim that the evidence binds to periods (`lang.periods.priced_periods`), none of them asked."""
    priced = amounts(claim)
    asked = rate_periods(question) if priced else set()
    if not asked:
        return []
    bound = priced_periods(evidence)
    out = []
    for value in dict.fromkeys(priced):
        periods = {p for v, p in bound if v == value}
        if periods and not periods & asked:
            out.append(f"{value:g} a {'/'.join(sorted(asked))} (its evidence: a {'/'.join(sorted(periods))})")
    return out


def unasked(question: str, claim: str, window: str, passages: str) -> str:
    """Why the evidence does not answer what the question asks, or "": a number (in digits: "how many
    hundred years" names no number), a weekday/month/season, a currency asked for ("en dollars":
    `lang.money.asked_currencies`) or, when the claim gives a price, a period the question prices by
    ("per week", "à l'heure": `lang.periods.rate_periods`) the question gives that the cited passages
    never state ("in the 16th century" answered from a sentence about the 17th; a holiday asks for its date), a count whose
    number the evidence gives for something else than what the question counts ("sept courts" over
    "sept jours": `lang.counted`), a negation the question asks
    about that the claim does not state ("51.6% was not in favour of what?" answered "A Scottish
    Assembly." from a sentence saying 51.6% were in favour of it, and "did not" about something else: the
    claim must say what was not, so a bare "France." to "Which country did not sign?" is withheld too),
    or a negation the question or the claim asks for and the evidence does not state ("What was not…?"
    answered from a sentence that says what was; the "No," a reply to a yes/no question opens with is
    its answer, not a negation: "No, the pool is closed." stands on "The pool is closed."); a negation in
    a relative clause only says which ones the question is about ("people who do not live in the town",
    `lang.negation_asked`), and so does the claim that restates that clause (`lang.without_question_clauses`)."""
    terms = ungiven(question, passages)
    terms += [f"currency {c}" for c in unasked_currencies(question, passages)]  # "en dollars" over euros
    if amounts(claim) or is_free(claim):  # "per week" over prices by the month
        terms += [f"period {p}" for p in sorted(rate_periods(question) - mentioned_periods(passages))]
    if terms:
        return "the question's " + ", ".join(terms) + " is not in its evidence"
    noun = counted_noun(question)
    if miscount := miscounted(noun, claim, window, question):  # "sept courts" over "sept jours à l'avance"
        return f"its evidence's {miscount} counts something else than the question's {noun}"
    if lang.negation_asked(question) and not lang.negated(claim):
        return "the question asks what was not the case and the claim states no negation"
    stated = lang.negated(lang.without_question_clauses(question, lang.without_reply_word(claim)))
    if (lang.negation_asked(question) or stated) and not lang.negated(window):
        return "a negation is asked or stated and its evidence states none"
    return ""


def missing(question: str, claim: str, evidence: list[Sentence], vectors: VectorCache) -> tuple[list[str], list[str]]:
    """The exact checks on this evidence: what the claim states that it does not (`unstated`), and the
    question's names its paragraphs lack (`named_elsewhere`)."""
    titles = " ".join(dict.fromkeys(s.title for s in evidence if s.title))
    return (unstated(claim, " ".join(s.window for s in evidence), vectors, question, titles),
            named_elsewhere(question, claim, evidence, vectors))
