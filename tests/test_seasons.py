import pytest

from rag.lang.seasons import months_seasons, seasons
from rag.lang.words import calendar_terms
from rag.exact import unasked, unstated

SPRING, SUMMER, AUTUMN, WINTER = (("season", i) for i in range(4))


@pytest.mark.parametrize("text, found", [
    ("Work is due to start next spring.", {SPRING}),
    ("une souscription publique lancée au printemps", {SPRING}),
    ("the museum's autumn subscription", {AUTUMN}),
    ("les vacances d'été", {SUMMER}), ("en été", {SUMMER}), ("cet hiver", {WINTER}), ("spring 2027", {SPRING}),
    ("Summer hours start in June.", {SUMMER}), ("in the summer months", {SUMMER}),
    # not seasons: the verb "été", springs of water, a verb, names, "fall"
    ("Le tableau a été adjugé 1,2 million d'euros.", set()), ("the hot springs nearby", set()),
    ("The river springs from the hills.", set()), ("They toured the Winter Palace.", set()),
    ("après le Printemps de Prague", set()), ("after the fall of the city", set()),
])
def test_seasons_a_text_names(text, found):
    assert seasons(text) == found


def test_a_month_gives_the_seasons_it_falls_in():
    assert months_seasons({("month", 7)}) == {SUMMER}
    assert months_seasons({("month", 3)}) == {WINTER, SPRING}
    assert SUMMER in calendar_terms("Open from June to September.", stated=True)
    assert SUMMER not in calendar_terms("Open from June to September.")


def test_a_season_the_evidence_does_not_give_is_not_stated():
    evidence = "L'achat a été financé par une souscription publique lancée au printemps."
    assert "season 2" in unstated("The subscription was launched in the autumn.", evidence, None)
    assert unstated("The subscription was launched in the spring.", evidence, None) == []  # across languages
    assert "season" in unasked("How many donors took part in the autumn subscription?", "2,400 donors.", evidence, evidence)
    assert unasked("Is the pool open in summer?", "Yes.", "Open from June to September.", "Open from June to September.") == ""
