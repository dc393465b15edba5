"""Forms for logging and listing helpline contacts, anonymous consultations and trainings.

The forms check only the shape of what was typed; the rules (dates since the system's start
and not in the future, at least one participant, a referral for "referral made") are the
services', whose refusals `run_service` puts on these forms.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from nas.common.dates import today
from nas.common.forms import DateInput
from nas.common.models import Office
from nas.referrals.choices import Channel, HelplineOutcome, TrainingAudience
from nas.referrals.models import Referral, ReferrerType
from nas.referrals.selectors_contacts import referral_find_for_user

M = TypeVar("M", bound=Model)


def _any(label: Any) -> list[tuple[str, Any]]:
    """Return the empty choice of a filter ("any ...")."""
    return [("", label)]


def _referral_by_ref(user: Any, ref: str) -> Referral | None:
    """Return the referral USER may see with reference number REF (None when REF is empty)."""
    if not ref:
        return None
    referral = referral_find_for_user(user=user, ref=ref)
    if referral is None:
        # The same answer for a referral that does not exist and one the user may not see.
        raise forms.ValidationError(
            _("No referral you may see has this reference number."), code="not_found"
        )
    return referral


# --- filters of the lists -----------------------------------------------------------------


class ContactFilterForm(forms.Form):
    """A date range and exact values of the listed model's fields that narrow a list."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def apply(self, queryset: QuerySet[M]) -> QuerySet[M]:
        """Narrow QUERYSET by the fields that are valid (call is_valid() first)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("date_from"):
            queryset = queryset.filter(date__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(date__lte=data["date_to"])
        for name in self.fields:
            if name not in ("date_from", "date_to") and data.get(name) not in (None, ""):
                queryset = queryset.filter(**{name: data[name]})
        return queryset

    def is_filtered(self) -> bool:
        """Return whether any filter was given."""
        return any(self.data.get(name) for name in self.fields)


class HelplineFilterForm(ContactFilterForm):
    caller_type = forms.ModelChoiceField(
        label=_("Caller type"),
        queryset=ReferrerType.objects.all(),
        required=False,
        empty_label=_("Any caller"),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=_any(_("Any outcome")) + HelplineOutcome.choices,
    )
    language = forms.CharField(label=_("Language"), required=False, max_length=10)

    def clean_language(self) -> str:
        return str(self.cleaned_data["language"]).strip().lower()


class ConsultationFilterForm(ContactFilterForm):
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.all(),
        required=False,
        empty_label=_("Any office"),
    )
    contact_type = forms.ModelChoiceField(
        label=_("Who consulted"),
        queryset=ReferrerType.objects.all(),
        required=False,
        empty_label=_("Anyone"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=_any(_("Any channel")) + Channel.choices
    )


class TrainingFilterForm(ContactFilterForm):
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.all(),
        required=False,
        empty_label=_("Any office"),
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=_any(_("Any audience")) + TrainingAudience.choices,
    )


# --- recording ----------------------------------------------------------------------------


class _RecordForm(forms.Form):
    """A form recording a dated contact record for USER; the date defaults to today."""

    date = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["date"].initial = today
        if "office" in self.fields:
            self.fields["office"].initial = user.office_id


class HelplineContactForm(_RecordForm):
    caller_type = forms.ModelChoiceField(
        label=_("Caller type"),
        queryset=ReferrerType.objects.filter(active=True),
        empty_label=_("Choose a caller type"),
    )
    language = forms.CharField(
        label=_("Language of the call"),
        max_length=10,
        help_text=_("The language code, for example fi, sv, en, ru or ar."),
        validators=[
            RegexValidator(
                r"^[A-Za-z]{2,3}$", _("Enter a language code of two or three letters, such as fi.")
            )
        ],
    )
    topic = forms.CharField(
        label=_("Topic"),
        max_length=200,
        help_text=_("What the call was about, without names or identifying details."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=HelplineOutcome.choices, widget=forms.RadioSelect
    )
    referral = forms.CharField(
        label=_("Referral made (reference number)"),
        required=False,
        max_length=40,
        help_text=_("When a referral was made: its reference number, for example NAS-2025-000042."),
    )

    def clean_language(self) -> str:
        return str(self.cleaned_data["language"]).strip().lower()

    def clean_referral(self) -> Referral | None:
        return _referral_by_ref(self.user, self.cleaned_data["referral"])


class ConsultationForm(_RecordForm):
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.filter(active=True), empty_label=None
    )
    contact_type = forms.ModelChoiceField(
        label=_("Who consulted"),
        queryset=ReferrerType.objects.filter(active=True),
        empty_label=_("Choose who consulted"),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    topic = forms.CharField(
        label=_("Situation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe the situation without names or any detail that identifies anyone."),
    )
    adult_declined_referral = forms.BooleanField(
        label=_("An adult who does not consent to a referral"), required=False
    )


class TrainingEventForm(_RecordForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("Audience"), choices=TrainingAudience.choices)
    # The column's range on every database (SQLite alone would take more).
    participants = forms.IntegerField(label=_("Number of participants"), max_value=2**31 - 1)
    office = forms.ModelChoiceField(
        label=_("Office that held it"),
        queryset=Office.objects.filter(active=True),
        empty_label=None,
    )


class ConsultationLinkForm(forms.Form):
    """The referral that followed a consultation, named by its reference number."""

    referral = forms.CharField(
        label=_("Reference number of the referral"),
        max_length=40,
        help_text=_("For example NAS-2025-000042."),
    )
    # The referral the consultation was linked to when the page was shown (empty: none), so
    # that a link someone else made meanwhile is not silently replaced.
    linked = forms.IntegerField(
        label=_("Linked referral"), required=False, widget=forms.HiddenInput, min_value=1
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_referral(self) -> Referral | None:
        return _referral_by_ref(self.user, self.cleaned_data["referral"])
