"""The period picker of the statistics page (a GET form), and the download request."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from nas.common.dates import Period, today
from nas.common.validation import SYSTEM_START
from nas.reporting.services import FORMATS, LANGUAGES

YEAR, HALF, RANGE = "year", "half", "range"
PUBLISHED, INTERNAL = "published", "internal"


def default_data() -> dict[str, str]:
    """The period shown first: the last full year, published figures."""
    return {"kind": YEAR, "year": str(today().year - 1), "figures": PUBLISHED}


class PeriodForm(forms.Form):
    """A year, a half-year or a date range; and, for those allowed, internal figures."""

    kind = forms.ChoiceField(
        label=_("Period"),
        choices=[(YEAR, _("A year")), (HALF, _("A half-year")), (RANGE, _("Dates from and to"))],
        initial=YEAR,
        widget=forms.RadioSelect,
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=SYSTEM_START.year,
        max_value=9999,
        help_text=_("For a year or a half-year, for example 2025."),
    )
    half = forms.ChoiceField(
        label=_("Half-year"),
        required=False,
        choices=[("", _("Choose")), ("1", _("January–June")), ("2", _("July–December"))],
    )
    start = forms.DateField(
        label=_("From"), required=False, help_text=_("For dates from and to, for example 1.3.2025.")
    )
    end = forms.DateField(label=_("To"), required=False)
    figures = forms.ChoiceField(
        label=_("Figures"),
        choices=[
            (PUBLISHED, _("Published: small numbers withheld")),
            (INTERNAL, _("Internal: as counted, not for publication (recorded in the audit log)")),
        ],
        initial=PUBLISHED,
        required=False,
        widget=forms.RadioSelect,
    )
    purpose = forms.CharField(
        label=_("Purpose of the internal figures"),
        required=False,
        max_length=500,
        help_text=_("Needed for internal figures, for example: quality check of the 2025 data."),
    )

    def __init__(self, *args: Any, may_see_internal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_see_internal:
            del self.fields["figures"]
            del self.fields["purpose"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, year = data.get("kind"), data.get("year")
        if kind in (YEAR, HALF) and year is None and "year" not in self.errors:
            self.add_error("year", _("Enter the year."))
        if kind == HALF and not data.get("half"):
            self.add_error("half", _("Choose the half-year."))
        if kind == RANGE:
            self._check_range(data.get("start"), data.get("end"))
        if data.get("figures") == INTERNAL and not (data.get("purpose") or "").strip():
            self.add_error("purpose", _("Enter the purpose of the internal figures."))
        if not self.errors:
            data["period"] = self._period(data)
        return data

    def _check_range(self, start: dt.date | None, end: dt.date | None) -> None:
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Enter the first day."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Enter the last day."))
        if start and end and end < start:
            self.add_error("end", _("The last day cannot be before the first day."))
        if start and start < SYSTEM_START:
            self.add_error("start", _("The first day cannot be before 2006."))

    @staticmethod
    def _period(data: dict[str, Any]) -> Period:
        if data["kind"] == YEAR:
            return Period.year(data["year"])
        if data["kind"] == HALF:
            return Period.half_year(data["year"], int(data["half"]))
        return Period(data["start"], data["end"])

    @property
    def internal(self) -> bool:
        return self.cleaned_data.get("figures") == INTERNAL

    def query(self, **extra: str) -> str:
        """Return the query string of the chosen period (and figures), with EXTRA."""
        data = self.cleaned_data
        params: dict[str, str] = {"kind": data["kind"]}
        if data["kind"] in (YEAR, HALF):
            params["year"] = str(data["year"])
        if data["kind"] == HALF:
            params["half"] = data["half"]
        if data["kind"] == RANGE:
            params["start"] = data["start"].isoformat()
            params["end"] = data["end"].isoformat()
        if self.internal:
            params["figures"] = INTERNAL
            params["purpose"] = data["purpose"].strip()
        return urlencode({**params, **extra})


class DownloadForm(PeriodForm):
    """A period and the file wanted: its format and language."""

    format = forms.ChoiceField(label=_("Format"), choices=[(f, f) for f in FORMATS])
    lang = forms.ChoiceField(
        label=_("Language"), required=False, choices=[(code, code) for code in LANGUAGES]
    )
