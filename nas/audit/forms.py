"""The auditor's search and export forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nas.accounts.models import User
from nas.audit.models import AuditEvent
from nas.audit.selectors import EventFilter, PersonKey, person_key_find, user_find
from nas.common.forms import DateInput


class EventFilterForm(forms.Form):
    """A date range, a kind and an action that narrow a list of audit events."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *AuditEvent.Kind.choices],
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=80,
        help_text=_("The exact action, for example break_glass for emergency access."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def filters(self) -> EventFilter:
        """Return the filter the valid form describes."""
        data = self.cleaned_data
        return EventFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            action=data.get("action", "").strip(),
            kind=data.get("kind", ""),
        )


class PersonAccessForm(EventFilterForm):
    """Find the events about one person, named by number or reference."""

    person = forms.CharField(
        label=_("Person number or reference"),
        max_length=40,
        help_text=_("The number of the person or their reference, for example P-3F2A1B9C0D12."),
    )
    field_order = ["person", "date_from", "date_to", "kind", "action"]

    def clean_person(self) -> PersonKey:
        key = person_key_find(text=self.cleaned_data["person"])
        if key is None:
            raise forms.ValidationError(
                _("No person has this number or reference."), code="not_found"
            )
        return key


class UserActivityForm(EventFilterForm):
    """Find the events written by one user, named by username."""

    username = forms.CharField(label=_("Username"), max_length=150)
    field_order = ["username", "date_from", "date_to", "kind", "action"]

    def clean_username(self) -> User:
        found = user_find(username=self.cleaned_data["username"])
        if found is None:
            raise forms.ValidationError(_("No user has this username."), code="not_found")
        return found


class ExportFormat(forms.ChoiceField):
    """CSV for a spreadsheet, JSON for another system."""

    def __init__(self) -> None:
        super().__init__(
            label=_("Format"),
            choices=[("csv", _("CSV (spreadsheet)")), ("json", _("JSON"))],
            initial="csv",
            widget=forms.RadioSelect,
        )


def _purpose_field() -> forms.CharField:
    return forms.CharField(
        label=_("Purpose of the export"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why the list is exported, for example the number of the person's access "
            "request. The export and its purpose are recorded in the audit log."
        ),
    )


class PersonAccessExportForm(PersonAccessForm):
    """Export the events about one person, for a stated purpose."""

    purpose = _purpose_field()
    format = ExportFormat()
    field_order = [*PersonAccessForm.field_order, "purpose", "format"]


class UserActivityExportForm(UserActivityForm):
    """Export the events written by one user, for a stated purpose."""

    purpose = _purpose_field()
    format = ExportFormat()
    field_order = [*UserActivityForm.field_order, "purpose", "format"]
