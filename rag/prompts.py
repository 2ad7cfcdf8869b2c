"""Prompt templates live as text files in `prompts/`, loaded by name.

Templates use `string.Template` placeholders (`$question`); a missing value is
an error, never a silently empty slot. `PROMPTS_VERSION` is a hash of every
template and is recorded in each `Answer`, so a report says which prompts made it.
"""

from __future__ import annotations

import functools
import hashlib
from string import Template

from .paths import prompts_dir


@functools.lru_cache(maxsize=None)
def load(name: str) -> str:
    path = prompts_dir() / f"{name}.txt"
    return path.read_text(encoding="utf-8").strip()


def render(name: str, **values: str) -> str:
    return Template(load(name)).substitute(**values)


def fixed_start(name: str) -> str:
    """The template's text before its first placeholder: what every prompt made from it starts with."""
    return load(name).split("$", 1)[0]


@functools.lru_cache(maxsize=None)
def version() -> str:
    h = hashlib.sha256()
    for path in sorted(prompts_dir().glob("*.txt")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]
