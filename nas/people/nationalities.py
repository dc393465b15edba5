"""Nationality codes: ISO 3166-1 alpha-2 (names from django-countries), stateless, unknown."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries import countries

from nas.people.choices import STATELESS, UNKNOWN_NATIONALITY

SPECIAL_CODES = (STATELESS, UNKNOWN_NATIONALITY)


def is_valid_nationality(code: str) -> bool:
    """Return whether CODE is an ISO 3166 alpha-2 code in upper case, stateless or unknown."""
    return code in SPECIAL_CODES or (code.isupper() and code in countries)


def nationality_name(code: str) -> str:
    """Return the name of a nationality code in the active language."""
    if code == STATELESS:
        return _("Stateless")
    if code == UNKNOWN_NATIONALITY:
        return _("Unknown")
    return str(countries.name(code)) or code


def nationality_choices() -> list[tuple[str, str]]:
    """Return (code, name) pairs for every nationality, sorted by name."""
    return [(str(code), str(name)) for code, name in countries] + [
        (STATELESS, _("Stateless")),
        (UNKNOWN_NATIONALITY, _("Unknown")),
    ]
