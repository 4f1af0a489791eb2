"""One base error for everything samestory raises on purpose.

Each subclass also inherits the built-in exception a caller would expect, so
``except ValueError`` keeps working, and every message says how to fix the problem.
"""

from __future__ import annotations


class SamestoryError(Exception):
    """Base class of all errors samestory raises deliberately."""


class InputError(SamestoryError, ValueError):
    """An input (file, text, record) cannot be turned into an article.

    ``source`` names the file or record, ``reason`` says what is wrong with it.
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class OptionsError(SamestoryError, ValueError):
    """An option or parameter is out of range or of the wrong type (``CompareOptions``,
    ``ClusterOptions``, ``StoryClusterer`` and the like); the message names the allowed
    values."""


class MissingDependencyError(SamestoryError, ImportError):
    """An optional dependency (an extra) is not installed."""

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{package} is not installed; install it with: pip install 'samestory[{extra}]'"
        )


class ModelError(SamestoryError, RuntimeError):
    """A shipped model file is missing, corrupt or does not match this version."""
