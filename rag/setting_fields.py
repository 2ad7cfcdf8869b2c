"""The machinery of `rag.settings`: documented fields with bounds, groups that check their values
against their defaults' types, the parsing of `RAG_<FIELD>` environment values, and the listings
of `rag settings`."""

from __future__ import annotations

import dataclasses
from dataclasses import field
from pathlib import Path
from typing import Any, Callable

from .errors import SettingsError


def documented(default: Any = dataclasses.MISSING, doc: str = "", *, factory: Callable[[], Any] | None = None,
             low: float | None = None, high: float | None = None, secret: bool = False) -> Any:
    """A documented field; `low`/`high` bound numbers (inclusive); a secret is never printed."""
    meta = {"doc": doc, "low": low, "high": high, "secret": secret}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def default_of(f: dataclasses.Field) -> Any:
    return f.default_factory() if f.default is dataclasses.MISSING else f.default  # type: ignore[misc]


def bad_value(name: str, group: str, message: str, value: object) -> SettingsError:
    return SettingsError(f"setting {group}.{name} (RAG_{name.upper()}) {message}, got {value!r}; "
                         f"fix the variable or flag (`rag settings` lists every setting)")


class Group:
    """Checks every field against its default's type and bounds; paths are expanded."""

    GROUP = ""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value, default = getattr(self, f.name), default_of(f)
            if isinstance(default, Path):
                if not isinstance(value, (str, Path)):
                    raise bad_value(f.name, self.GROUP, "must be a folder path", value)
                object.__setattr__(self, f.name, Path(value).expanduser())
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise bad_value(f.name, self.GROUP, "must be true or false", value)
            elif isinstance(default, int):
                if isinstance(value, bool) or not isinstance(value, int):
                    raise bad_value(f.name, self.GROUP, "must be a whole number", value)
            elif isinstance(default, float):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise bad_value(f.name, self.GROUP, "must be a number", value)
                object.__setattr__(self, f.name, float(value))
            elif isinstance(default, str) and not isinstance(value, str):
                raise bad_value(f.name, self.GROUP, "must be text", value)
            low, high = f.metadata.get("low"), f.metadata.get("high")
            if low is not None and getattr(self, f.name) < low:
                raise bad_value(f.name, self.GROUP, f"must be at least {low}", value)
            if high is not None and getattr(self, f.name) > high:
                raise bad_value(f.name, self.GROUP, f"must be at most {high}", value)
        self.check()

    def check(self) -> None:
        """Checks that involve more than one field."""


def parse_env(name: str, raw: str, default: Any) -> Any:
    try:
        if isinstance(default, Path):
            return Path(raw).expanduser()
        if isinstance(default, bool):
            word = raw.strip().lower()
            if word not in ("1", "true", "yes", "on", "0", "false", "no", "off", ""):
                raise ValueError(raw)
            return word in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        kind = "true or false" if isinstance(default, bool) else "a number"
        raise SettingsError(f"RAG_{name.upper()}={raw!r} is not {kind}; fix or unset it "
                            f"(`rag settings` lists every setting)") from None
    return raw


def markdown_table(rows: list[dict[str, Any]], shorten: dict[str, str]) -> str:
    """`Settings.describe()` rows as the README's table of defaults (paths shortened by `shorten`)."""
    lines = ["| variable | group | default | what it does |", "|---|---|---|---|"]
    for r in rows:
        default = str(r["default"])
        for long, short in shorten.items():
            default = default.replace(long, short)
        if r["name"] == "n_threads":
            default = "CPU cores"
        lines.append(f"| `{r['variable']}` | {r['group']} | {f'`{default}`' if default else '(empty)'} | "
                     f"{str(r['doc']).replace('|', '/')} |")
    return "\n".join(lines)


def text_listing(rows: list[dict[str, Any]]) -> str:
    """`Settings.describe()` rows by group, each value with its default when it differs, and its doc."""
    lines, group = [], None
    for r in rows:
        if r["group"] != group:
            group = r["group"]
            lines.append(f"[{group}]")
        changed = "" if r["value"] == r["default"] else f"  (default {r['default']})"
        lines.append(f"  {r['variable']:<22} = {r['value']}{changed}\n      {r['doc']}")
    return "\n".join(lines)
