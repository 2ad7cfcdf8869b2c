"""Holidays read as the dates they fall on (`rag.lang.dates`, from the `holidays` package), and the checks
that compare a claim's or a question's dates with its evidence's (unit tier)."""

import pytest

from rag import lang
from rag.lang.dates import holidays_in
from rag.exact import unasked, unstated

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text, date", [
    ("Are the courts open on Christmas Day?", (12, 25)),
    ("Le club ferme-t-il à Noël ?", (12, 25)),
    ("Les courts sont-ils ouverts le jour de Noël ?", (12, 25)),
    ("Is the pool open on New Year's Day?", (1, 1)),
    ("Is the pool open on New Year’s Day?", (1, 1)),
    ("Le club est-il fermé le jour de l'An ?", (1, 1)),
    ("The shop is shut on Boxing Day.", (12, 26)),
    ("Le musée est fermé à la Toussaint.", (11, 1)),
])
def test_a_holiday_with_one_day_is_read_as_that_date(text, date):
    assert [d for _, d in holidays_in(text)] == [date]


@pytest.mark.parametrize("text", [
    "Independence Day is a public holiday.",  # a different day in each country
    "La Fête nationale est fériée.",  # 14 July in France, 21 July in Belgium, 1 August in Switzerland
    "Victory Day parades",  # 8 May in France, 9 May in Russia
    "The office closes on Easter Monday.",  # moves with Easter
    "l'armistice de 1940 fut signé en juin",  # written in lower case: an armistice, not the holiday
    "Jane Smith met the minister on Friday.",
])
def test_names_that_are_no_one_day_are_not_read_as_dates(text):
    assert holidays_in(text) == ()


def test_a_holiday_is_not_a_name_the_documents_must_give():
    assert lang.names("Are the tennis courts open on Christmas Day?") == []
    assert lang.names("Le club est-il fermé le jour de l'An ?") == []
    assert lang.names("Did Jane Smith open the shop on Christmas Day?") == ["Jane Smith"]
    assert lang.names("Did Jane Smith open the shop on Independence Day?") == ["Jane Smith", "Independence Day"]


def test_a_holiday_is_written_as_its_date_for_the_checks_only():
    assert lang.dated("Closed on Christmas Day.") == "Closed on Christmas Day. (25 December)"
    assert lang.dated("Closed on Sundays.") == "Closed on Sundays."


FRENCH = "Ils sont fermés le 25 décembre et le 1er janvier."


@pytest.mark.parametrize("claim, evidence, missing", [
    ("No, the courts are closed on Christmas Day.", FRENCH, []),  # the holiday, by the date written
    ("No, the courts are closed on New Year's Day.", FRENCH, []),
    ("Non, ils sont fermés le 25 décembre.", "The courts are closed on Christmas Day.", []),  # the other way
    ("No, the courts are closed on Boxing Day.", FRENCH, ["26"]),  # 26 December: another day
    ("No, the courts are closed on Christmas Day.", "The courts are closed on Sundays.", ["25", "month 12"]),
])
def test_a_claims_holiday_must_be_its_evidences_date(claim, evidence, missing):
    assert unstated(claim, evidence, None) == missing


def test_a_question_about_a_holiday_needs_evidence_of_its_date():
    assert unasked("Are the tennis courts open on Christmas Day?", "No, they are closed.", FRENCH, FRENCH) == ""
    hostel = "Check-in opens at 3 pm and closes at 11 pm."
    assert "25" in unasked("Is the hostel closed on Christmas Day?", "No, it is open.", hostel, hostel)
    assert unasked("Le club est-il ouvert le 25 décembre ?", "Non.", "Closed on Christmas Day.", "Closed on Christmas Day.") == ""


def test_a_claims_holiday_is_embedded_with_its_date_for_support():
    import numpy as np

    from rag.chunking import chunk_id
    from rag.names import VectorCache
    from rag.sentences import sentences_of
    from rag.types import Chunk, Hit
    from rag.verify import check_claims

    class Recording:  # every text embedded the same way; records what the claims were embedded as
        def __init__(self):
            self.queried = []

        def queries(self, texts):
            self.queried += texts
            return np.ones((len(texts), 4), "float32") / 2

        documents = queries

    chunk = Chunk(chunk_id("t.txt", 0, len(FRENCH), FRENCH), "t.txt", 0, len(FRENCH), FRENCH)
    embedder = Recording()
    claims = check_claims("Are the courts open on Christmas Day?", "No, they are closed on Christmas Day.", [1],
                          sentences_of([Hit(chunk, 0.5, 0.6)]), VectorCache(embedder), 0.45)
    assert claims[0].evidence and not claims[0].reason
    assert embedder.queried[-1].endswith("closed on Christmas Day. (25 December)")
