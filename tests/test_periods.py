"""The period a price is for (`rag.lang.periods`) and the checks that read it (`rag.exact`, `rag.coverage`)."""

import pytest

from rag import coverage
from rag.exact import other_periods, unasked, unstated
from rag.lang.money import amounts
from rag.lang.periods import mentioned_periods, priced_periods, rate_periods

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text,periods", [
    ("Bikes are hired out at £12 a day.", {"day"}),
    ("The studio costs $40 per hour.", {"hour"}),
    ("Une chambre coûte 70 euros la nuit.", {"night"}),
    ("Le vestiaire est loué 4 euros de l'heure.", {"hour"}),
    ("L'abonnement revient à 20 € par mois.", {"month"}),
    ("Le garage se loue à la semaine.", {"week"}),
    ("The quarterly fee is due in advance.", {"quarter"}),
    ("Le tarif horaire est affiché à l'entrée.", {"hour"}),
    ("What is the price of a week pass?", {"week"}),
    ("Combien coûte la salle pour une journée ?", {"day"}),
    ("Parking: 15 €/h, 40 €/j.", {"hour", "day"}),
    # no period priced
    ("The museum is open every day.", set()),
    ("Les horaires sont affichés à l'entrée.", set()),  # a timetable, not an hourly rate
    ("The tour lasts an hour.", set()),
    ("How much is a room for two nights?", set()),
    ("Tickets cost £5 an adult.", set()),
])
def test_the_periods_a_text_prices_by(text, periods):
    assert rate_periods(text) == periods


def test_a_period_is_mentioned_in_any_form_and_french_an_only_after_a_number():
    assert mentioned_periods("Members renew every twelve months.") == {"month"}
    assert mentioned_periods("Une journée d'initiation est offerte.") == {"day"}
    assert mentioned_periods("Il faut avoir 18 ans.") == {"year"}
    assert mentioned_periods("Entry is £5 an adult and £3 a child.") == set()  # English "an" is an article


def test_amounts_of_money_in_either_language():
    assert amounts("Entry costs 4,50 € or £2,400, or 2 400 euros, or $3.90; the hall is 1,5 km away in 2019.") == [
        4.5, 2400.0, 2400.0, 3.9]


@pytest.mark.parametrize("text,bound", [
    ("Rooms cost £80 a night and £450 a week.", {(80.0, "night"), (450.0, "week")}),
    ("L'accès coûte 6 euros de l'heure, ou 30 euros la journée.", {(6.0, "hour"), (30.0, "day")}),
    ("Members can pay in four quarterly instalments of £30.", {(30.0, "quarter")}),
    ("L'adhésion annuelle coûte 25 euros, et 10 euros pour les enfants.", {(25.0, "year")}),
    ("A locker costs £3.", set()),
])
def test_the_amounts_a_text_binds_to_a_period(text, bound):
    assert priced_periods(text) == bound


ROOMS = "Rooms cost £80 a night and £450 a week."


def test_a_price_for_a_period_the_evidence_does_not_give_is_unstated():
    assert unstated("A room costs £80 a night.", ROOMS, None) == []
    assert unstated("A room costs £80 a month.", ROOMS, None) == ["period month"]
    assert unstated("Une chambre coûte 80 £ par mois.", ROOMS, None) == ["period month"]
    # a count "a year" is not a price's period
    assert unstated("The hotel gets 3,000 guests a year.", "The hotel gets 3,000 guests.", None) == []


def test_the_price_of_another_period_is_unstated():
    question = "How much does a room cost for a week?"
    assert other_periods(question, "A room costs £450.", ROOMS) == []
    assert other_periods(question, "A room costs £80.", ROOMS) == ["80 a week (its evidence: a night)"]
    assert unstated("A room costs £80.", ROOMS, None, question) == ["80 a week (its evidence: a night)"]
    # an amount the evidence binds to no period is left alone, and so is a question that asks for none
    assert other_periods(question, "A room costs £12.", ROOMS + " Breakfast is £12.") == []
    assert other_periods("How much does a room cost?", "A room costs £80.", ROOMS) == []


def test_a_period_the_question_prices_by_must_be_in_the_passages():
    passages = "A desk costs £200 a month. Printing is charged by the page."
    assert unasked("How much is a desk per week?", "A desk costs £200.", passages, passages) == \
        "the question's period week is not in its evidence"
    assert unasked("How much is a desk per month?", "A desk costs £200.", passages, passages) == ""
    # only where the claim gives a price: "how many visitors a year" is a count
    assert unasked("How many visitors a week does it get?", "It gets 500 visitors.", passages, passages) == ""


def test_a_number_the_claim_copies_from_its_evidence_reads_as_the_evidence_s():
    evidence = "Annual members pay £1,200 a year."
    assert unstated("Les membres annuels paient £1,200 par an.", evidence, None) == []
    assert "1.300" in unstated("Les membres annuels paient £1,300 par an.", evidence, None)


def test_a_word_that_only_means_a_price_is_said_by_an_amount():
    assert "cost" not in coverage.unmatched("How much does a kayak cost?", "Kayaks are rented at £20 an hour.")
    assert "cost" in coverage.unmatched("How much does a kayak cost?", "Kayaks are rented by the hour.")
    # the words that name what is paid for are still asked
    assert "rental" in coverage.unmatched("What is the rental price of a kayak?", "Kayak lessons are £20.")


def test_a_free_price_for_a_period_the_evidence_does_not_give_is_unstated():
    evidence = "| Formule | Adultes | Enfants |\n| Abonnement annuel | 290 € | gratuit |"
    assert unstated("L'abonnement mensuel est gratuit pour les enfants.", evidence, None) == ["period month"]
    assert unstated("L'abonnement annuel est gratuit pour les enfants.", evidence, None) == []
    # "free" with no period priced is left alone
    assert unstated("Wi-Fi is free in the clubhouse.", "Wi-Fi is free in the clubhouse.", None) == []
