"""The labels of the codes in the statistics, in the active language.

Reference lists carry their labels in the database (one query per list); the fixed lists
(genders, age bands, who granted a reflection period) are translatable strings here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model
from django.utils.translation import gettext as _

from nas.casework.choices import ClientType, GrantedBy
from nas.casework.models import EndReason, ExploitationForm, LabourSector
from nas.people.choices import Gender
from nas.people.models import PermitType, ResidenceCategory
from nas.people.nationalities import nationality_name
from nas.referrals.models import NegativeReason, ReferrerType
from nas.reporting.disclosure import OTHER
from nas.reporting.figures.common import UNKNOWN

_REFERENCE_LISTS: dict[str, type[Model]] = {
    "referrer_type": ReferrerType,
    "negative_reason": NegativeReason,
    "end_reason": EndReason,
    "form": ExploitationForm,
    "sector": LabourSector,
    "residence": ResidenceCategory,
    "permit": PermitType,
}


def age_band_labels() -> dict[str, str]:
    return {
        "under_18": _("Under 18"),
        "18_29": _("18–29"),
        "30_39": _("30–39"),
        "40_49": _("40–49"),
        "50_59": _("50–59"),
        "60_plus": _("60 and over"),
        "adult_unknown_age": _("Adult, age unknown"),
        "unknown": _("Age unknown"),
    }


@dataclass(frozen=True)
class Labels:
    """Code -> label of each list, looked up once for a publication (active language)."""

    lists: dict[str, dict[str, str]]

    def of(self, list_name: str, code: str) -> str:
        """Return the label of CODE in LIST_NAME (nationalities by their ISO names)."""
        if code == UNKNOWN:
            return _("Unknown")
        if code == OTHER:
            return _("Other")
        if list_name == "nationality":
            return nationality_name(code)
        return self.lists.get(list_name, {}).get(code, code)


def load_labels() -> Labels:
    """Return the labels of every list the statistics use, in the active language."""
    lists: dict[str, dict[str, str]] = {
        name: {item.pk: item.label for item in model._default_manager.all()}  # type: ignore[attr-defined]
        for name, model in _REFERENCE_LISTS.items()
    }
    lists["gender"] = {str(value): str(label) for value, label in Gender.choices}
    lists["granted_by"] = {str(value): str(label) for value, label in GrantedBy.choices}
    lists["client_type"] = {str(value): str(label) for value, label in ClientType.choices}
    lists["age_band"] = age_band_labels()
    return Labels(lists)
