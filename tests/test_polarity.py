"""Which way a yes/no answer and its evidence go (rag.polarity, lang.is_polar), on a fake LLM."""

import pytest

from rag import polarity
from rag.lang import is_polar
from tests.test_coverage import YesNo

pytestmark = pytest.mark.unit

EVIDENCE = "Elle est fermée le dimanche et les jours fériés."


@pytest.mark.parametrize("question", [
    "Is the pool open on public holidays?", "Can I take a bike on the bus?", "Doesn't it close at 8 pm?",
    "And are dogs allowed?", "Did the minister ignore the previous agreement?", "Is there a café?",
    "Le café est-il payant ?", "Peut-on fumer sur la terrasse ?", "Y a-t-il un parking ?",
    "Est-ce que les chiens sont acceptés ?", "Est-ce qu'il faut réserver ?", "Et est-ce que les chats sont acceptés ?",
    "Mais, est-ce qu'on peut venir ?", "Les chiens sont-ils admis dans l'eau ?",
])
def test_questions_that_ask_for_a_yes_or_a_no(question):
    assert is_polar(question)


@pytest.mark.parametrize("question", [
    "When is the pool open?", "Which pool is open on Sundays?", "51.6% was not in favour of what?",
    "Is it open on Saturdays or on Sundays?", "Who was the first mayor?",
    "Quand la piscine est-elle ouverte ?", "Combien coûte-t-il ?", "Qui est-il ?", "À quelle heure ouvre-t-elle ?",
    "Qu'est-ce que le bassin olympique ?", "La piscine ouvre à quelle heure ?", "Faut-il un bonnet ou un maillot ?",
    "Open on Sundays?", "", "Où la piscine est-elle ?", "Et où est-ce que je me gare ?",
])
def test_questions_that_ask_for_something_else(question):
    assert not is_polar(question)


def test_an_answer_that_goes_the_other_way_than_its_evidence_shows_a_gap():
    llm = YesNo(0.19, 0.96)  # the evidence says no, the answer yes
    p = polarity.check(llm, "Is the pool open on public holidays?", EVIDENCE, "It is open on public holidays [1].", 0.5)
    assert (p.evidence, p.answer) == (0.19, 0.96) and p.gap == pytest.approx(0.77)
    assert EVIDENCE in llm.asked[0] and "It is open on public holidays." in llm.asked[1]
    assert "[1]" not in llm.asked[1]  # the citation marks are not read as the answer's text
    assert all(a.startswith('Question: "Is the pool open on public holidays?"') for a in llm.asked)  # a shared start


@pytest.mark.parametrize("answer, p_answer", [
    ("Yes, smoking is banned everywhere, the roof terrace included [1].", 1.0),  # its reader takes the yes
    ("No, it is closed on public holidays [1].", 0.0), ("Oui — elle est ouverte [1].", 1.0),
    ("Non. Elle est fermée [1].", 0.0), ("Si, elle ouvre le dimanche [1].", 1.0),
])
def test_an_answer_opening_with_its_yes_or_no_goes_that_way(answer, p_answer):
    llm = YesNo(0.09)
    p = polarity.check(llm, "Can I smoke on the roof terrace?", EVIDENCE, answer, 0.6)
    assert (p.evidence, p.answer) == (0.09, p_answer) and len(llm.asked) == 1  # only the evidence is read
    assert EVIDENCE in llm.asked[0]


@pytest.mark.parametrize("answer", ["No dogs are allowed [1].", "Nonetheless it opens [1].", "Yesterday it closed [1]."])
def test_a_no_that_belongs_to_the_statement_is_not_a_reply_word(answer):
    llm = YesNo(0.2, 0.3)
    assert polarity.check(llm, "Is the pool open?", EVIDENCE, answer, 0.6).answer == 0.3 and len(llm.asked) == 2


def test_only_yes_no_questions_are_asked_and_zero_turns_it_off():
    llm = YesNo()
    assert polarity.check(llm, "When is the pool closed?", EVIDENCE, "On Sundays [1].", 0.5) is None
    assert polarity.check(llm, "Is the pool open on Sundays?", EVIDENCE, "No [1].", 0.0) is None
    assert llm.asked == []


def test_a_model_without_probabilities_gives_no_reading():
    assert polarity.check(YesNo(None, 0.9), "Is it open?", EVIDENCE, "Yes [1].", 0.5) is None
