"""Where things live: the bundled knowledge base, the prompt files, the default index and caches
(in a checkout: its folders; in an installed package: the package's data and the user's folders)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

REPO_ROOT = Path(__file__).resolve().parent.parent


def _in_checkout() -> bool:
    return (REPO_ROOT / "index" / "sources").is_dir() and (REPO_ROOT / "pyproject.toml").is_file()


def bundled_sources_dir() -> Path:
    """Folder holding the bundled knowledge base (the article)."""
    if _in_checkout():
        return REPO_ROOT / "index" / "sources"
    return Path(__file__).resolve().parent / "bundled"


def prompts_dir() -> Path:
    if _in_checkout():
        return REPO_ROOT / "prompts"
    return Path(__file__).resolve().parent / "prompt_templates"


def default_index_dir() -> Path:
    if _in_checkout():
        return REPO_ROOT / "index" / "store"
    return Path(platformdirs.user_data_dir("rag-offline")) / "index"


def cache_dir(name: str) -> Path:
    return Path(platformdirs.user_cache_dir("rag-offline")) / name
