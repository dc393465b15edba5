"""The one exception type for broken domain rules."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A domain rule refused an action; the message is translatable and shown to the user."""

    def __init__(self, message: str | Promise, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class ConcurrentEditError(DomainError):
    """The record was changed by someone else since it was opened."""

    def __init__(self, message: str | Promise, *, field: str | None = None):
        super().__init__(message, field=field, code="concurrent_edit")
