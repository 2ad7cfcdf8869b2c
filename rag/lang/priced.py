"""What a price question prices: "Combien coûte une entrée pour un étudiant à la piscine ?" asks the price
of an entry, for a student; "Combien coûte la location d'une serviette au club ?" of a towel; "How much
does a fixed desk cost per week?" of a fixed desk. A near miss of this kind ("a price the page does not
give") is answered with the price of something else the page lists: "6 euros la boîte" (of the balls)
to the towel's question, "38 euros" (ten entries) to the student's.

`priced_item` returns the thing priced as groups of content words: the noun phrase after the price
question's opening ("combien coûte", "how much does … cost", "quel est le prix de", "how much is"), cut
where a preposition of place or time starts ("à la piscine", "au club", "per week", "at the hostel":
where the question is asked, which the page's title may be the only one to say), with the complements
that name what is priced ("pour un étudiant", "en mobil-home", "for children") as groups of their own,
a word that only names a price ("le prix de", "la location d'", "the cost of") passed over for the noun
after it, and a compound's "de" read into its group ("cours de tennis": either word). Only closed-class words are listed here.
"""

from __future__ import annotations

from .words import ARTICLES, WORD, content_words, fold, numbers

# Words that only name a price or the act of paying for something: the item is the noun after them.
_PRICE_WORDS = frozenset("prix tarif tarifs cout couts montant frais location price prices cost costs fee fees rate "
                         "rates charge charges hire rental amount".split())
# Words that say "a price" and nothing more, folded: any amount of money says them ("How much does a berth
# cost?" over "Berths are charged at £28 a night"). Those of `_PRICE_WORDS` but the ones that name what is
# paid for ("location", "hire", "rental": the renting itself), "charge" (French "prise en charge"),
# "amount" and "frais", with the verbs of paying.
PRICE_WORDS = (_PRICE_WORDS - frozenset("location hire rental charge charges amount frais".split())) | frozenset(
    "coute coutent couter coutera priced costing pay pays paid paie paye payer".split())
_OF = frozenset("of de d du des".split())
_FOR = frozenset("pour for en".split())  # complements that name what is priced: kept as groups
# Everything else that opens a complement ends the item: place, time, company ("au club", "per week").
_STOPS = frozenset("au aux dans chez par sur sous avec sans pendant durant apres avant entre vers at in on per "
                   "to with without during after before from by inside within each every".split())
_DETERMINERS = ARTICLES["en"] | ARTICLES["fr"] | frozenset(
    "his her its their my your our son sa ses leur leurs mon ma mes ton ta tes votre vos notre nos ce cet cette "
    "ces this that these those chaque each any une un".split())
_COPULAS = frozenset("is are was were will be est sont etait sera seront".split())
_AUXILIARIES = frozenset("does do did will would".split())


def _tokens(question: str) -> list[str]:
    """The question's words, "d'une" and "l'entrée" split after their apostrophe ("d'", "une")."""
    out: list[str] = []
    for token in WORD.findall(question.replace("’", "'")):
        head, apostrophe, rest = token.partition("'")
        if apostrophe and rest and len(head) <= 2:
            out += [head + "'", rest]
        else:
            out.append(token)
    return out


def _span(folded: list[str]) -> tuple[int, int] | None:
    """Where the priced noun phrase starts and where it ends at the latest (before "cost" in "How much
    does X cost"), or None when the question asks no price."""
    end = len(folded)
    for k, word in enumerate(folded):
        nxt = folded[k + 1:]
        if word == "combien" and nxt:
            if nxt[0].startswith("cout"):  # "combien coûte", "coûtent", "coûtera"
                return k + 2, end
            if nxt[0] in ("a", "ont", "avait", "avaient") and nxt[1:2] and nxt[1].startswith("cout"):
                return k + 3, end  # "combien a coûté"
            paying = [j for j, w in enumerate(nxt[:4]) if w.startswith(("pay", "pai"))]  # "faut-il payer pour"
            if paying and paying[0] + 1 < len(nxt) and nxt[paying[0] + 1] == "pour":
                return k + paying[0] + 3, end
        if word == "how" and nxt[:1] == ["much"] and len(nxt) > 1:
            if nxt[1] in _AUXILIARIES and "cost" in nxt:
                c = k + 1 + nxt.index("cost")
                if folded[k + 3:c] == ["it"]:  # "How much does it cost to hire a towel…?"
                    return (c + 3, end) if folded[c + 1:c + 2] == ["to"] else None
                return k + 3, c
            if nxt[1] in _COPULAS:  # "How much is a day pass?"
                return k + 3, end
        if word in ("quel", "quelle", "what") and nxt[:1] and nxt[0] in _COPULAS:
            return (k + 2, end) if len(nxt) > 2 and nxt[2] in _PRICE_WORDS else None  # "quel est le prix de…"
    return None


def _qualifiers(words: list[str]) -> list[str]:
    """The words after a price's noun and before the item ("estimé" in "le coût estimé du jardin", "réduit"
    in "le tarif réduit de la piscine"), less a period ("annuel"), which the period checks read
    (`lang.periods`)."""
    from .periods import mentioned_periods  # periods reads this module's price words

    return [w for w in words if not mentioned_periods(w)]


def priced_item(question: str) -> list[tuple[str, ...]]:
    """The thing a price question prices, as groups of its content words (the evidence must name one
    word of each), or [] when the question asks no price or names nothing: "Combien coûte une entrée
    pour un étudiant à la piscine ?" -> [("entrée",), ("étudiant",)]; "Combien coûte la location d'une
    serviette au club de tennis ?" -> [("serviette",)]; "How much does a fixed desk cost per week?" ->
    [("fixed", "desk")]; "Quel est le coût estimé du jardin partagé ?" -> [("coût", "estimé"), ("jardin",
    "partagé")]: the words between a price's noun and "de" are what the price is said to be, a group of
    their own with the price's noun (put to the LLM as "coût estimé"), not a compound with the item
    (either word of which would name it)."""
    tokens = _tokens(question)
    folded = [fold(t).rstrip("'") for t in tokens]
    span = _span(folded)
    if span is None:
        return []
    start, end = span
    groups: list[list[str]] = [[]]
    opened_by = None  # the word that opened the current group (None: the head)
    for token, word in zip(tokens[start:end], folded[start:end]):
        current = groups[-1]
        if word in _OF:
            head_is_price = bool(current) and all(fold(w) in _PRICE_WORDS for w in current)
            if head_is_price or not current:
                groups[-1] = []  # "le prix de", "la location d'": the item comes next
                continue
            if fold(current[0]) in _PRICE_WORDS:  # "le coût estimé du jardin", "le tarif réduit de la piscine"
                qualified = _qualifiers(current[1:])  # what the price is said to be: a group of its own
                groups[-1] = [current[0], *qualified] if qualified else []
                groups.append([])  # the item comes next
                opened_by = None
                continue
            opened_by = "de"  # a compound's "de" when no determiner follows: "cours de tennis" is one group
            continue
        if word in _FOR:
            groups.append([])
            opened_by = word
            continue
        if word in _STOPS or token.lower() == "à":  # "à" folds to the English article "a"
            break
        if word in _DETERMINERS or numbers(token, counts=True):
            if opened_by == "de":
                break  # "la cotisation annuelle d'un jeune": a complement, not a compound
            continue
        current.extend(content_words(token))
        opened_by = None if opened_by == "de" else opened_by
    items = [tuple(g) for g in groups if g]
    if items and all(fold(w) in _PRICE_WORDS for w in items[0]):
        return []  # "Quel est le prix ?": nothing named
    return items
