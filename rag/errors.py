"""User-facing errors.

Every class here carries a one-line message that says what went wrong *and* what
to do about it. The CLI and the UI catch exactly `RagError` and show its message;
anything else is a bug and propagates with its traceback.
"""

from __future__ import annotations


class RagError(Exception):
    """Base class: a problem the user can fix. `str(err)` is the one-line message."""


class InputError(RagError):
    """A question or a document the system cannot take (empty, too long, binary…)."""


class DocumentError(InputError):
    """A source file that cannot be read as text."""


class IndexError_(RagError):  # noqa: N801 - avoid shadowing the builtin IndexError
    """The index on disk is missing, corrupt or built with other settings."""


class ModelError(RagError):
    """A model file is missing, corrupt or cannot be loaded."""


class SettingsError(RagError):
    """A setting (environment variable, flag or keyword) with a value the system cannot use."""
