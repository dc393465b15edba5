"""The reference lists a referrer needs, by code with labels in English, Finnish and Swedish.

Codes are those of INTERCHANGE.md section 1. Lists kept in tables (offices, referrer types)
carry their labels in the table; the others take them from the translations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import TextChoices
from django.utils import translation
from django_countries import countries

from nas.common.models import Office, ReferenceItem
from nas.people.choices import AgeAssessment, Gender
from nas.people.nationalities import SPECIAL_CODES, nationality_name
from nas.referrals.choices import Channel, Consent, ReferralStatus, Urgency
from nas.referrals.models import ReferrerType

LANGUAGES = ("en", "fi", "sv")
# Nationalities: ISO 3166-1 alpha-2, then the two special codes.
NATIONALITY_CODES = [str(code) for code in countries.countries] + list(SPECIAL_CODES)

Item = dict[str, Any]


def _table(model: type[ReferenceItem]) -> Callable[[], list[Item]]:
    def items() -> list[Item]:
        return [
            {
                "code": row.code,
                "labels": {language: getattr(row, f"label_{language}") for language in LANGUAGES},
                "active": row.active,
            }
            for row in model._default_manager.order_by("position", "code")
        ]

    return items


def _translated(codes: Iterable[str], label: Callable[[str], Any]) -> list[Item]:
    codes = list(codes)
    labels: dict[str, dict[str, str]] = {code: {} for code in codes}
    for language in LANGUAGES:
        with translation.override(language):
            for code in codes:
                labels[code][language] = str(label(code))
    return [{"code": code, "labels": labels[code], "active": True} for code in codes]


def _choices(choices: type[TextChoices]) -> Callable[[], list[Item]]:
    return lambda: _translated(choices.values, lambda code: choices(code).label)


def _nationalities() -> list[Item]:
    return _translated(NATIONALITY_CODES, nationality_name)


LISTS: dict[str, Callable[[], list[Item]]] = {
    "referrer_types": _table(ReferrerType),
    "offices": _table(Office),
    "genders": _choices(Gender),
    "age_assessments": _choices(AgeAssessment),
    "nationalities": _nationalities,
    "urgency": _choices(Urgency),
    "consent": _choices(Consent),
    "channels": _choices(Channel),
    "referral_statuses": _choices(ReferralStatus),
}


def reference_list(name: str) -> list[Item]:
    """Return the items of the reference list NAME (a key of LISTS)."""
    return LISTS[name]()
