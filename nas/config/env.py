"""Typed helpers that read settings from the environment and fail loudly."""

from __future__ import annotations

import os
from pathlib import Path


class ImproperlyConfiguredEnv(RuntimeError):
    """An environment variable is missing or malformed."""


def _raw(name: str) -> str | None:
    """Return NAME, or the content of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfiguredEnv(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    return os.environ.get(name)


def string(name: str, default: str | None = None) -> str:
    """Return a string setting; without a default a missing value is an error."""
    value = _raw(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfiguredEnv(f"{name} must be set")
        return default
    return value


def optional(name: str) -> str | None:
    """Return a string setting or None when unset."""
    value = _raw(name)
    return value or None


def boolean(name: str, default: bool) -> bool:
    """Return a boolean setting: 1/true/yes/on or 0/false/no/off."""
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfiguredEnv(f"{name} must be a boolean, got {value!r}")


def integer(name: str, default: int, minimum: int | None = None) -> int:
    """Return an integer setting (at least MINIMUM, when given)."""
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name} must be an integer, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfiguredEnv(f"{name} must be at least {minimum}, got {number}")
    return number


def csv_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list setting."""
    value = _raw(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
