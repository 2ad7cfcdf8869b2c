"""Does a yes/no answer go the way its evidence goes?

A yes/no question's answer can share every word with the question, be cited to the right sentence and
still say the opposite of it: "Is the pool open on public holidays?" answered "Yes, the pool is open
on public holidays", citing "Elle est fermée le dimanche et les jours fériés.". Embeddings put "open"
and "fermée" close, and the negation check reads "not", not antonyms.

So, for a question that asks for a yes or a no (`lang.is_polar`), the LLM is asked that question twice
in a prompt of its own (`prompts/polarity.user.txt`): over the cited sentences (a line of a list under
its headings, `Context.reading_of`: "– bouteilles de gaz" under "Déchets refusés"), and over the answer
(its citation marks left out). Its probability of "yes" (read from the logits, nothing sampled) says
which way each goes; when the two differ by `verification.min_polarity_gap` or more, the answer says
something its sentences do not, and it is withheld. The two prompts start with the question, so the
second reads only the rest. docs/quality-log.md (twenty-seventh step) has the figures.

An answer that opens with its yes or no ("Yes, …", "Non, …": `lang.reply_word`) says which way it goes
in that word, and that is what its reader takes from it: it counts as P("yes") 1 or 0, and the model
reads only the sentences. "Yes, smoking is banned everywhere, the roof terrace included." to "Can I
smoke on the roof terrace?" read as a whole came to 0.26, near its sentence's 0.09, and was shown
(docs/quality-log.md, thirty-fourth step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lang, prompts
from .text_model import TextModel

_MARKS = re.compile(r"\s*\[\d+\]")


@dataclass(frozen=True)
class Polarity:
    """P("yes") to the question, going by the cited sentences and going by the answer."""

    evidence: float
    answer: float

    @property
    def gap(self) -> float:
        return abs(self.evidence - self.answer)


def check(llm: TextModel, question: str, evidence: str, answer: str, min_gap: float) -> Polarity | None:
    """Both readings, or None: off (`min_gap` 0), not a yes/no question, or a model that gives no
    probabilities."""
    if min_gap <= 0 or not lang.is_polar(question):
        return None
    reply = lang.reply_word(answer)
    with llm.aside():  # the answer prompt stays in the cache for the next question
        p_evidence = _p_yes(llm, question, evidence)
        p_answer = float(reply) if reply is not None else _p_yes(llm, question, _MARKS.sub("", answer))
    if p_evidence is None or p_answer is None:
        return None
    return Polarity(round(p_evidence, 4), round(p_answer, 4))


def _p_yes(llm: TextModel, question: str, text: str) -> float | None:
    content = prompts.render("polarity.user", question=question, text=text)
    return llm.yes_probability([{"role": "user", "content": content}])
