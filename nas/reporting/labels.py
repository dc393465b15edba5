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


def _figure_titles() -> dict[str, str]:
    """The title of every figure without a code, by key (active language)."""
    return {
        "referrals.total": _("Referrals"),
        "referrals.previous_period_total": _("Referrals in the same period a year earlier"),
        "decisions.positive": _("Positive decisions"),
        "decisions.negative": _("Negative decisions"),
        "decisions.pending_at_end": _("Referrals pending at the end of the period"),
        "decisions.median_days": _("Days from referral to decision, median"),
        "decisions.p90_days": _("Days from referral to decision, 90th percentile"),
        "ended.total": _("Assistance ended"),
        "new_clients.victims": _("New clients: victims"),
        "new_clients.witnesses": _("New clients: witnesses"),
        "new_clients.children": _("New clients: children of clients"),
        "new_clients.minors": _("New victims who were minors"),
        "new_clients.nationalities": _("Nationalities of the new victims"),
        "new_clients.exploited_in_finland": _("New victims exploited in Finland"),
        "new_clients.exploited_abroad_only": _("New victims exploited only abroad"),
        "exploitation.forms": _("Forms of exploitation of the new victims"),
        "finland.persons": _("Exploited in Finland: persons"),
        "finland.nationalities": _("Exploited in Finland: nationalities"),
        "finland.forms": _("Exploited in Finland: forms of exploitation"),
        "finland.persons_multiple_forms": _(
            "Exploited in Finland: persons with more than one form"
        ),
        "reflection_periods.granted": _("Reflection periods granted"),
        "stock.victims": _("Clients on the last day: victims"),
        "stock.witnesses": _("Clients on the last day: witnesses"),
        "stock.children": _("Clients on the last day: children of clients"),
        "stock.total": _("Clients on the last day"),
        "stock.minor_victims": _("Clients on the last day: victims who are minors"),
        "stock.admitted_as_minors": _("Clients on the last day: victims admitted as minors"),
        "stock.nationalities": _("Clients on the last day: nationalities"),
    }


def _family_titles() -> dict[str, tuple[str, str]]:
    """The title and the code list of every figure family, by key prefix (active language)."""
    return {
        "referrals.by_referrer_type": (_("Referrals by referrer type"), "referrer_type"),
        "referrals.same_period": (_("Referrals in the same period of the year"), "year"),
        "decisions.negative_by_reason": (_("Negative decisions by reason"), "negative_reason"),
        "ended.by_reason": (_("Assistance ended by reason"), "end_reason"),
        "new_clients.by_gender": (_("New victims by gender"), "gender"),
        "new_clients.by_age_band": (_("New victims by age at admission"), "age_band"),
        "new_clients.by_nationality": (_("New victims by nationality"), "nationality"),
        "exploitation.by_form": (_("Forms of exploitation of the new victims"), "form"),
        "exploitation.primary_by_form": (_("Primary forms of exploitation"), "form"),
        "exploitation.by_form_gender": (_("Forms of exploitation by gender"), "form.gender"),
        "finland.by_gender": (_("Exploited in Finland by gender"), "gender"),
        "finland.by_nationality": (_("Exploited in Finland by nationality"), "nationality"),
        "finland.by_form": (_("Exploited in Finland by form of exploitation"), "form"),
        "finland.forced_labour_by_sector": (
            _("Forced labour in Finland by sector"),
            "sector",
        ),
        "finland.by_residence": (_("Exploited in Finland by right of residence"), "residence"),
        "finland.by_permit_type": (_("Exploited in Finland by type of permit"), "permit"),
        "finland.by_referrer_type": (_("Exploited in Finland by referrer type"), "referrer_type"),
        "finland.multiple_forms_by_gender": (
            _("Exploited in Finland with more than one form, by gender"),
            "gender",
        ),
        "reflection_periods.granted_by": (
            _("Reflection periods by who granted them"),
            "granted_by",
        ),
        "stock.by_gender": (_("Clients on the last day by gender"), "gender"),
        "stock.by_nationality": (_("Clients on the last day by nationality"), "nationality"),
        "stock.by_form": (_("Clients on the last day by form of exploitation"), "form"),
    }


def figure_label(key: str, labels: Labels) -> str:
    """Return the title of the figure KEY (INTERCHANGE.md section 3), with its codes' labels.

    A key this function does not know is returned as it is, so that nothing is hidden.
    """
    title = _figure_titles().get(key)
    if title is not None:
        return title
    for prefix, (family, list_name) in _family_titles().items():
        if not key.startswith(prefix + "."):
            continue
        codes = key[len(prefix) + 1 :].split(".")
        names = list_name.split(".")
        if len(codes) != len(names):
            break
        parts = [
            code if name == "year" else labels.of(name, code)
            for name, code in zip(names, codes, strict=True)
        ]
        return f"{family}: {', '.join(parts)}"
    return key
