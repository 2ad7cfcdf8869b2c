"""Shared fixtures. Tests write only under tmp_path; models are read from the user cache."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from rag.settings import Settings, bundled_sources_dir  # noqa: E402

ARTICLE = bundled_sources_dir() / "us-russia-syria.fr.txt"


@pytest.fixture
def article_text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def small_settings(tmp_path: Path) -> Settings:
    """The small real English embedder (all-MiniLM-L6-v2), an index under tmp_path."""
    return Settings.from_env(embedder="all-minilm-l6-v2", index_dir=tmp_path / "index")


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    real = tmp_path_factory.mktemp("real")
    return Settings.from_env(index_dir=real / "index", state_dir=real / "states")


@pytest.fixture(scope="session")
def real_index(real_settings: Settings):
    from rag import build_index

    return build_index([ARTICLE], real_settings.index_dir, real_settings)
