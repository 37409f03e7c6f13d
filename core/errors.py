"""A small hierarchy of errors the domain raises on purpose.

:class:`DomainError` carries a translation key; one place (the dispatcher) turns it into a
localised reply. Anything else is a bug: logged with its traceback, never shown to users.
"""

from __future__ import annotations

from typing import Any


class ConfigError(Exception):
    """Bad configuration: printed as one line at start-up, then the process exits."""


class DomainError(Exception):
    """An expected refusal with a localised explanation for the user."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class InvalidInput(DomainError):
    pass


class InvalidField(InvalidInput):
    """Bad input in one named field (an API caller is pointed at it; a chat asks again)."""

    def __init__(self, key: str, *, field: str, **args: Any) -> None:
        super().__init__(key, **args)
        self.field = field


class Conflict(DomainError):
    """The request clashes with what is already there (a phone another client has)."""
