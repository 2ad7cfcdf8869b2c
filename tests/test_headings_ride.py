"""A passage that is only a heading (a title or section line) rides along with the top-k passages
instead of taking one of their places, when `retrieval.headings_ride` is on (`rag.index.best`)."""

from __future__ import annotations

import pytest

from rag.index import best
from rag.settings import Settings
from rag.types import Chunk, Hit

pytestmark = pytest.mark.unit


def _hit(text: str, i: int) -> Hit:
    return Hit(Chunk(f"c{i}", "a.txt", i * 100, i * 100 + len(text), text), 1.0 / (i + 1), 0.5)


RANKED = [_hit(t, i) for i, t in enumerate([
    "Mort de Lucienne Vasseur, pionnière de l'étude des glaciers alpins",  # a title line
    "La glaciologue est morte le 14 février à Annecy.",
    "Operating modes",  # a section line
    "Elle soutient en 1961 une thèse sur l'écoulement de la glace.",
    "The tank is guaranteed for seven years.",
    "Installation",
])]


def test_headings_ride_by_default_and_take_places_when_off():
    assert Settings().retrieval.headings_ride
    assert best(RANKED, 3) == RANKED[:3]


def test_headings_ranked_among_the_k_passages_ride_along():
    got = best(RANKED, 3, headings_ride=True)
    assert got == RANKED[:5]  # three passages that state something, and the two headings ranked among them
    assert "Installation" not in [h.chunk.text for h in got]  # a heading ranked after them does not come


def test_fewer_passages_than_k_gives_them_all():
    assert best(RANKED[:2], 3, headings_ride=True) == RANKED[:2]
    assert best([], 3, headings_ride=True) == []


def test_a_short_sentence_is_no_heading():
    ranked = [_hit("Closed on Sundays.", 0), _hit("Open daily.", 1), _hit("Dogs welcome.", 2), _hit("Menu", 3)]
    assert best(ranked, 3, headings_ride=True) == ranked[:3]
