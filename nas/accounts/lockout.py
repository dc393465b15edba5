"""How django-axes names the account a failed sign-in was for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# A username longer than any account's cannot belong to one; cut it to the length of axes'
# column, so that a huge username posted to a sign-in form is counted instead of failing
# with a database error (PostgreSQL enforces the length, SQLite does not).
USERNAME_MAX_LENGTH = 255


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """Return the username of a sign-in attempt, as django-axes stores and counts it."""
    source: Any = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username")
    if username is None:
        return None
    return str(username).replace("\x00", "")[:USERNAME_MAX_LENGTH]
