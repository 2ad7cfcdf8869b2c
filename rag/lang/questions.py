"""What a question asks for: a yes or a no (`is_polar`), the noun after its interrogative determiner
("Which architect…?", "What is the height of…?", "En quelle année…?", "Quel est le parti de…?"), or the
role a "who" question names ("Who is the mayor of…?", "Qui était l'époux de…?"), and what a yes/no
question is about (`polar_subject`: "Is the hostel closed…?", "L'auberge est-elle fermée… ?").

Only closed-class words are listed here (interrogative determiners, copulas, auxiliaries,
prepositions, and the few nouns that only introduce another: "type of", "sorte de"); the noun itself
is whatever content word comes next. No part-of-speech tagger: where an adjective comes first
("What political party…?") the adjective is taken, which still names what is asked; a capitalised word
or a stopword before the noun is passed over ("Who is the Louvre curator?", "What is the name of
the Russian defence minister?", "Qui était le nouveau commandant…?"), and a capitalised word straight
before "of"/"de" is the noun ("Who is the Chancellor of…?").
"""

from __future__ import annotations

import re

from .figures import asked_figure
from .words import ARTICLES, POSSESSIVE, WORD, content_words, fold, numbers, word_forms


_DETERMINERS = {"en": frozenset({"which", "what"}), "fr": frozenset({"quel", "quelle", "quels", "quelles"})}
# "Who"/"qui" asks for a noun only as "Who is the <role>…", "Qui était l'<role>…" (copula, then article).
_WHO = frozenset({"who", "qui"})
# Forms of "to be" between the determiner and the noun ("What was the…", "Quelle a été la…").
_COPULAS = frozenset("is was are were be been 's est etait etaient sont fut furent sera seront serait a ont avait "
                     "avaient ete".split())
# An auxiliary right after "what" makes it a pronoun ("What did she say?"): no noun is asked.
_AUXILIARIES = frozenset("did does do has have had can could will would should might may must".split())
# Nouns that only introduce the one asked for: "What type of engine…", "Quelle sorte de…".
_INTRODUCERS = frozenset("type types kind kinds sort sorts form forms name names genre genres sorte sortes espece especes nom "
                         "noms".split())
_OF = frozenset("of de d du des".split())
_ARTICLES = ARTICLES["en"] | ARTICLES["fr"]
_POSSESSIVES = frozenset("his her its their son sa ses leur leurs".split())
# After "what" straight before its noun, the next word shows it is one: "What year did…", "What share
# of…"; "What exposes organisms…" and "What happens when…" have a verb there, and "what" is a pronoun.
_AFTER_NOUN = _AUXILIARIES | frozenset("is was are were of in on at for from to with by about during".split())
_LEADING = 3  # an English determiner or "who"/"qui" counts within the first words only ("In which year", "À qui")
_LOOK_AHEAD = 3  # the noun is sought this many words on, past capitalised words and stopwords


# A yes/no question starts with an auxiliary ("Is the pool open…?", "Can I…?", "Doesn't it…?"); in French
# with "est-ce que", or its verb and subject pronoun are joined by a hyphen ("Peut-on…", "La piscine
# est-elle…", "Y a-t-il…"). Words that may come before it: "And is…", "Et peut-on…".
_POLAR_EN = _AUXILIARIES | frozenset("is are was were am shall".split())
_INVERTED = re.compile(r"\w-(?:t-)?(?:il|elle|on|ils|elles|je|tu|nous|vous)\b", re.IGNORECASE)
_LEADERS = frozenset("and but so then also et mais alors donc".split())
# Interrogative words: before the inversion they ask for something else ("Quand la piscine est-elle
# ouverte ?"); "or"/"ou" asks to choose between the options it joins ("Is it red or blue?"). "Où" folds
# to "ou", so the choice test has already turned it down ("Où la piscine est-elle ?").
_INTERROGATIVES = frozenset("qui que qu quoi quel quelle quels quelles lequel laquelle lesquels lesquelles quand "
                            "comment combien pourquoi".split())
_CHOICE = frozenset({"or", "ou"})
_EST_CE_QUE = re.compile(r"(?:(?:%s)\W+)*est-ce qu" % "|".join(sorted(_LEADERS)))  # "Et est-ce que…"
_WH = frozenset("what which who whom whose where when why how".split())  # "51.6% was not in favour of what?"


def _asks_est_ce_que(question: str) -> bool:
    """Does the question open with "est-ce que" (after a leading "et", "mais"…, or punctuation)?"""
    return _EST_CE_QUE.match(fold(question.lstrip(" ¿¡-–—\"'«“").lower())) is not None


def is_polar(question: str) -> bool:
    """Does the question ask for a yes or a no? "Is the pool open on Sundays?", "Can I take a bike on the
    bus?", "Le café est-il payant ?", "Est-ce que les chiens sont acceptés ?" -> True; "Which pool…?",
    "When is it open?", "Quand la piscine est-elle ouverte ?", "Is it red or blue?" -> False. An English
    question with a "wh" word anywhere is not counted ("51.6% was not in favour of what?"), even where it
    is a relative ("Is it open to people who do not camp?"): the checks that read this then do not run."""
    words = [fold(w.replace("’", "'")) for w in WORD.findall(question)]
    while words and words[0] in _LEADERS:
        words = words[1:]
    if not words or _CHOICE & set(words):
        return False
    first = words[0][:-3] if words[0].endswith("n't") else words[0]  # "doesn't", "can't" ("ca"), "won't" ("wo")
    if _WH & set(words):
        return False
    if first in _POLAR_EN | {"ca", "wo"} or _asks_est_ce_que(question):
        return True
    inverted = _INVERTED.search(question)
    if not inverted:
        return False
    before = [fold(w).split("'")[0] for w in WORD.findall(question[: inverted.start() + 1])]
    return not _INTERROGATIVES & set(before)


def asked_noun(question: str) -> str | None:
    """The content word the question's interrogative determiner introduces, or the role "who" asks
    about, as written (lowercase), or None: "Which architect designed it?" -> "architect", "Quelle est la
    hauteur de la tour ?" -> "hauteur", "Who was the husband of X?" -> "husband", "What did he say?" and
    "Who is X?" -> None. English "which"/"what" and "who"/"qui" count only among the first words
    (elsewhere they are relative pronouns); French "quel" counts wherever it stands."""
    tokens = []
    for token in (t.replace("’", "'") for t in WORD.findall(question)):
        head, s = token[:-2], token[-2:]
        # "What's the height…", "Who's the mayor…": the contracted copula is a word of its own
        tokens += [head, s] if s.lower() == "'s" and fold(head) in _DETERMINERS["en"] | _WHO else [token]
    folded = [fold(t) for t in tokens]
    start = None
    for i, word in enumerate(folded):
        if word in _DETERMINERS["fr"] or (word in _DETERMINERS["en"] | _WHO and i < _LEADING):
            start = i + 1
            break
    if start is None or start >= len(tokens):
        return None
    who = folded[start - 1] in _WHO
    i = start
    if folded[i] in _AUXILIARIES:
        return None
    had_copula = had_article = False
    while i < len(tokens) and folded[i] in _COPULAS:
        i, had_copula = i + 1, True
    if who and not had_copula:
        return None  # "Qui a dit… ?", "Who won?": only "Who is the <role>" names one
    if i < len(tokens) and (folded[i] in _ARTICLES | _POSSESSIVES):
        i, had_article = i + 1, True
    elif had_copula and not (i < len(tokens) and folded[i].startswith("l'")):  # "l'altitude" is read below
        return None  # "What is Paris?", "Quel est Paris ?", "Who is X?": no noun after the determiner
    if i + 1 < len(tokens) and folded[i] in _INTRODUCERS:
        i += 2 if folded[i + 1] in _OF else 1 if _elided_of(folded[i + 1]) else 0
        if i < len(tokens) and folded[i] in _ARTICLES:
            i += 1  # "the name of the minister"
    while i < len(tokens) and numbers(tokens[i], counts=True):
        i += 1  # "Quels sont les trois pays…", "Which two treaties…": the noun follows the number
    if i >= len(tokens):
        return None
    if folded[start - 1] == "what" and not had_article and i + 1 < len(tokens) and folded[i + 1] not in _AFTER_NOUN:
        return None
    return _noun_from(tokens, folded, i)


def _elided_of(word: str) -> bool:
    return word.startswith("d'")  # "d'acier", "d'orchestre"


def _of(word: str) -> bool:
    """"of", "de" and their forms, elided ones included."""
    return word in _OF or _elided_of(word)


def _noun_from(tokens: list[str], folded: list[str], i: int) -> str | None:
    """The first content word from `tokens[i]` on, within `_LOOK_AHEAD` words, passing over capitalised
    words and stopwords; a capitalised word just before "of"/"de" is the noun ("the Chancellor of")."""
    for j in range(i, min(i + _LOOK_AHEAD, len(tokens))):
        if j > i and (folded[j] in _AFTER_NOUN | _COPULAS or _of(folded[j])):
            return None  # "Quel nom était donné…": a verb, not a noun, comes next
        if POSSESSIVE.search(tokens[j]) and j + 1 < len(tokens):
            continue  # "the scheme's manager": the noun comes after the possessive
        if tokens[j][:1].isupper() and j + 1 < len(tokens) and _of(folded[j + 1]):
            words = content_words(tokens[j].lower())
        else:
            words = content_words(tokens[j])
        if words:
            return words[0].lower() + _complement(tokens, folded, j)
    return None


def _complement(tokens: list[str], folded: list[str], j: int) -> str:
    """A French compound's complement after the noun at `j`, with its "de" (" de file" in "chef de file",
    " d'orchestre"): a lowercase content word with no article between. The noun alone would ask
    something else ("chef" for "chef de file")."""
    if j + 1 < len(tokens) and _elided_of(folded[j + 1]) and content_words(tokens[j + 1]) == [tokens[j + 1][2:]]:
        return " " + tokens[j + 1].lower()
    if (j + 2 < len(tokens) and folded[j + 1] == "de" and tokens[j + 2].islower() and "'" not in tokens[j + 2]
            and content_words(tokens[j + 2])):
        return " de " + tokens[j + 2]
    return ""


# A yes/no question's subject, which the answer must be about: after "is"/"does" ("Is the hostel closed…",
# "Does the gym open…", "Are dogs allowed…"), not after a modal, whose subject is who acts ("Can members
# play…": what is asked about is elsewhere); in French before the inverted verb ("L'auberge est-elle…") or
# after "est-ce que" with its article ("Est-ce que les chiens sont admis ?").
_SUBJECT_VERBS = frozenset("is are was were does do did has have had".split())
_DETERMINED = _ARTICLES | _POSSESSIVES | frozenset("this that these those ce cet cette ces".split())


def polar_subject(question: str) -> str | None:
    """The common noun a yes/no question is about, as written (lowercase), or None: "Is the hostel closed
    on 1 January?" -> "hostel", "L'auberge de jeunesse est-elle fermée ?" -> "auberge de jeunesse",
    "Est-ce que les chiens sont admis ?" -> "chiens", "Is breakfast free?" -> "breakfast"; "Can members
    play…?", "Is it open?", "Peut-on… ?", "Y a-t-il… ?", a question about a name ("Is Paris…?", which the
    names check reads) and any question that is not yes/no -> None. The first content word is taken,
    an adjective where one comes first, as `asked_noun` does."""
    if not is_polar(question):
        return None
    tokens = [t.replace("’", "'") for t in WORD.findall(question)]
    folded = [fold(t) for t in tokens]
    i = 0
    while i < len(tokens) and folded[i] in _LEADERS:
        i += 1
    if i < len(tokens) and (folded[i] in _DETERMINED or "'" in folded[i]):
        tokens[i] = tokens[i].lower()  # "La piscine…", "L'auberge…": an article's capital is the question's
    inverted = _INVERTED.search(question)
    est_ce_que = _asks_est_ce_que(question)
    if i < len(folded) and folded[i].removesuffix("n't") in _SUBJECT_VERBS:
        i += 1  # before the French forms: "Is the add-on free?" holds no inverted verb
    elif est_ce_que:
        i += 2  # "est-ce", "que"/"qu'…" (an elided "qu'il" is a pronoun: nothing follows)
        if i - 1 < len(folded) and folded[i - 1].startswith("qu'"):
            return None
    elif inverted is not None and (end := len(WORD.findall(question[: inverted.start() + 1])) - 1) > i:
        tokens, folded = tokens[:end], folded[:end]  # the subject stands before the inverted verb
    else:
        return None
    if i >= len(tokens):
        return None
    if folded[i] in _DETERMINED:
        i += 1
    elif not content_words(tokens[i]):  # "l'auberge" holds its noun
        return None  # "Is it…", "Is there…", "Est-ce que je…": a pronoun, or a name, is the subject
    return _noun_from(tokens, folded, i) if i < len(tokens) else None


# An answer that only restates its question ("De qui X et Y sont-ils contemporains ?" answered "X et Y
# sont contemporains."): it gives no word, name or number the question lacks. Read only where the
# answer must bring something new: a question with an interrogative word, not a yes/no question (its
# answer restates it: "Yes, the pool is open on Sundays"), nor one that offers its options ("red or
# blue?", "which of the two", "entre X et Y"), nor one asking for a figure (`asked_figure` reads those).
_ASKING = _WH | frozenset("qui que qu quoi quel quelle quels quelles quand comment combien pourquoi où".split())
_MARKERS = re.compile(r"\[\d+\]")  # the answer's citation markers
_OFFERS = re.compile(r"\b(?:or|ou|between|among|entre|parmi|lequel|laquelle|lesquels|lesquelles|(?:which|what) of)\b")


def restates(question: str, answer: str) -> bool:
    """Does the answer say nothing its question does not (no word, name or number of its own), where an
    answer must? "Qui a écrit X ?" answered "X a été écrit." -> True; answered "Y a écrit X." -> False;
    "Is it open on Sundays?" answered "Yes, it is open on Sundays." -> False (not read)."""
    lowered = question.lower().replace("’", "'")
    asking = {w.split("'")[0] for w in WORD.findall(lowered)} & _ASKING
    if not asking or _OFFERS.search(lowered) or is_polar(question) or asked_figure(question):
        return False
    answer = _MARKERS.sub("", answer)
    if numbers(answer, counts=True) - numbers(question, counts=True):
        return False
    return not word_forms(answer) - word_forms(question)


# A relative pronoun after a noun opens a clause that says which ones the question is about ("people
# who do not live in the town", "les visiteurs qui ne campent pas"): its negation is no part of what is asked.
# pronouns that a clause saying which ones follows as it follows a noun ("for someone who does not live…",
# "ceux qui ne campent pas"); stopwords, unlike nouns
_ANTECEDENTS = frozenset({"someone", "somebody", "anyone", "anybody", "everyone", "everybody", "those", "one",
                          "quelqu'un", "ceux", "celles", "celui", "celle", "quiconque"})
_RELATIVE = re.compile(r"(?<=[^\W\d_])(\s+)(who|that|which|qui)\b[^,;:?]*", re.I)


def negation_asked(question: str) -> bool:
    """Does the question ask what was not the case ("Which country did not sign?", "Qu'est-ce que la
    mairie n'a pas précisé ?")? A negation inside a relative clause after a noun or a pronoun such as
    "someone" or "ceux" does not make it so ("How much does membership cost for people who do not live
    in the town?", "…for someone who does not live in the town?" ask a price)."""
    from .words import negated, stopwords

    def clause(m: re.Match) -> str:
        before = question[: m.start()].split()
        word = fold(before[-1].strip("'’")) if before else ""
        noun = len(before) >= 2 and (word not in stopwords() or word in _ANTECEDENTS)
        return m.group(1) if noun else m.group(0)

    return negated(_RELATIVE.sub(clause, question))


def without_question_clauses(question: str, claim: str) -> str:
    """The claim without the relative clauses it restates from the question ("The course costs €390 for
    someone who does not live in the town." to "… for someone who does not live in the town?"): their
    negation says which ones the claim is about, as in the question (`negation_asked`), and is no
    statement its evidence must make; a clause of the claim's own stays."""
    for m in _RELATIVE.finditer(question):
        clause = m.group(0).strip()
        claim = re.sub(r"\s+" + re.escape(clause) + r"\b", "", claim, flags=re.I)
    return claim
