"""The forms of the referral screens: inbox filters, intake, assessment actions and decision.

The forms only parse what was typed; the rules are the services' (their refusals are put on
these forms by `nas.common.views.run_service`), so field names follow the services' arguments.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from nas.accounts.models import User
from nas.accounts.roles import CASEWORK_ROLES
from nas.casework.choices import ClientType
from nas.common.dates import today
from nas.common.forms import BoundedModelChoiceField, DateInput
from nas.common.models import Office
from nas.common.views import VersionField
from nas.people.choices import UNKNOWN_NATIONALITY, AgeAssessment, Gender
from nas.people.nationalities import nationality_choices
from nas.referrals.choices import Channel, Consent, Outcome, ReferralStatus, Urgency
from nas.referrals.models import NegativeReason, Organisation, Referral, ReferrerType

OPEN_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.UNDER_ASSESSMENT)
OPEN = "open"
# Free text is bounded so that a pasted document cannot fill the database.
LONG_TEXT = 10_000


def _text_area(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- the inbox ----------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    """Narrow the inbox by status, referrer type, office, received date and reference."""

    q = forms.CharField(
        label=_("Reference number"),
        required=False,
        max_length=40,
        help_text=_("All or part of it, for example 2025-000042."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (OPEN, _("Open (received or under assessment)")),
            *ReferralStatus.choices,
        ],
    )
    referrer_type = forms.ModelChoiceField(
        label=_("Referrer type"),
        required=False,
        queryset=ReferrerType.objects.all(),
        empty_label=_("Any referrer type"),
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        required=False,
        queryset=Office.objects.all(),
        empty_label=_("Any office"),
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date must not be before the start date."))
        return data

    def apply(self, referrals: QuerySet[Referral]) -> QuerySet[Referral]:
        """Return REFERRALS narrowed by the fields that are valid (call is_valid() first)."""
        data = getattr(self, "cleaned_data", {})
        text = (data.get("q") or "").strip()
        if text:
            referrals = referrals.filter(ref__icontains=text)
        status = data.get("status")
        if status == OPEN:
            referrals = referrals.filter(status__in=OPEN_STATUSES)
        elif status:
            referrals = referrals.filter(status=status)
        if data.get("referrer_type"):
            referrals = referrals.filter(referrer_type=data["referrer_type"])
        if data.get("office"):
            referrals = referrals.filter(office=data["office"])
        if data.get("received_from"):
            referrals = referrals.filter(received__gte=data["received_from"])
        if data.get("received_to"):
            referrals = referrals.filter(received__lte=data["received_to"])
        return referrals


def inbox_order(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Order REFERRALS open ones first, oldest first, then the closed ones newest first."""
    is_open = When(status__in=OPEN_STATUSES, then=Value(0))
    return referrals.annotate(
        closed=Case(is_open, default=Value(1), output_field=IntegerField()),
        open_since=Case(When(status__in=OPEN_STATUSES, then=F("received"))),
    ).order_by("closed", F("open_since").asc(nulls_last=True), F("received").desc(), "id")


# --- intake -------------------------------------------------------------------------------

INTAKE_CHANNELS = [
    (code, label)
    for code, label in Channel.choices
    if code in {Channel.PHONE, Channel.HELPLINE, Channel.EMAIL, Channel.LETTER, Channel.IN_PERSON}
]
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


class ReferralIntakeForm(forms.Form):
    """A referral taken by phone, e-mail, letter or in person, of a person new to the system."""

    PERSON_FIELDS = (
        "given_names",
        "family_name",
        "date_of_birth",
        "birth_year",
        "age_assessment",
        "gender",
        "primary_nationality",
        "languages",
        "interpreter_needed",
    )
    REFERRAL_FIELDS = (
        "received",
        "channel",
        "referrer_type",
        "organisation",
        "organisation_name",
        "office",
        "urgency",
        "safety_concerns",
        "account",
        "consent",
    )

    given_names = forms.CharField(label=_("Given names"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=200)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1,
        max_value=9999,
        help_text=_("Only when the exact date of birth is not known."),
    )
    age_assessment = forms.ChoiceField(
        label=_("Age assessment"),
        required=False,
        choices=AgeAssessment.choices,
        widget=forms.RadioSelect,
        help_text=_("Only when neither the date nor the year of birth is known."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN, widget=forms.RadioSelect
    )
    primary_nationality = forms.ChoiceField(
        label=_("Nationality"), choices=nationality_choices, initial=UNKNOWN_NATIONALITY
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("Language codes separated by commas, for example: ru, en."),
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)

    received = forms.DateField(label=_("Date received"), widget=DateInput())
    channel = forms.ChoiceField(
        label=_("Received by"), choices=INTAKE_CHANNELS, widget=forms.RadioSelect
    )
    referrer_type = forms.ModelChoiceField(
        label=_("Referrer type"), queryset=ReferrerType.objects.filter(active=True)
    )
    organisation = BoundedModelChoiceField(
        label=_("Referring organisation"),
        required=False,
        queryset=Organisation.objects.filter(active=True),
        empty_label=_("Not in the list"),
    )
    organisation_name = forms.CharField(
        label=_("Name of the organisation or referrer"),
        required=False,
        max_length=200,
        help_text=_("When the organisation is not in the list, or to name the referrer."),
    )
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.filter(active=True))
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    safety_concerns = forms.CharField(
        label=_("Safety concerns"), required=False, max_length=LONG_TEXT, widget=_text_area(3)
    )
    account = forms.CharField(
        label=_("Account of what happened"),
        required=False,
        max_length=LONG_TEXT,
        widget=_text_area(8),
    )
    consent = forms.ChoiceField(
        label=_("Consent to the referral"),
        choices=Consent.choices,
        initial=Consent.NOT_ASKED,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received"].initial = today()
        if getattr(user, "office_id", None):
            self.fields["office"].initial = user.office_id

    def clean_languages(self) -> list[str]:
        codes: list[str] = []
        for part in re.split(r"[\s,;]+", self.cleaned_data["languages"].lower()):
            if not part:
                continue
            if not LANGUAGE_CODE.fullmatch(part):
                raise forms.ValidationError(
                    _("“%(code)s” is not a language code (two or three letters)."),
                    code="invalid",
                    params={"code": part},
                )
            if part not in codes:
                codes.append(part)
        return codes

    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PERSON_FIELDS]

    def referral_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.REFERRAL_FIELDS]

    def person_values(self) -> dict[str, Any]:
        """Return the arguments of people.services.person_create."""
        data = {name: self.cleaned_data[name] for name in self.PERSON_FIELDS}
        data["nationalities"] = [data["primary_nationality"]]
        return data

    def referral_values(self) -> dict[str, Any]:
        """Return the arguments of referrals.services.referral_receive (but the person)."""
        return {name: self.cleaned_data[name] for name in self.REFERRAL_FIELDS}


# --- assessment ---------------------------------------------------------------------------


class StartAssessmentForm(forms.Form):
    """Start the assessment: only the version of the referral the page showed."""

    version = VersionField()


def office_caseworkers(office: Office) -> QuerySet[User]:
    """Return the active caseworkers and decision-makers of OFFICE, by name."""
    return (
        User.objects.filter(office=office, is_active=True, groups__name__in=list(CASEWORK_ROLES))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class CaseworkerChoiceField(BoundedModelChoiceField):
    """A choice of users, each shown by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class AssignForm(forms.Form):
    """Make a caseworker of the referral's office responsible for it."""

    version = VersionField()
    assigned_to = CaseworkerChoiceField(
        label=_("Caseworker"), queryset=User.objects.none(), empty_label=_("Choose a caseworker")
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assigned_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = office_caseworkers(referral.office)
        field.initial = referral.assigned_to_id


class WithdrawForm(forms.Form):
    """The date and reason of a withdrawal."""

    version = VersionField()
    date = forms.DateField(label=_("Date withdrawn"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for withdrawal"), required=False, max_length=LONG_TEXT, widget=_text_area(4)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = today()


# --- the admission decision ---------------------------------------------------------------

YES, NO = "yes", "no"
# The three findings of a decision, as the form asks them and the letter states them.
FINDING_LABELS = {
    "consent_given": _("The person has given their consent"),
    "trafficking_definition_met": _("The definition of human trafficking is met"),
    "need_for_help": _("The person needs help through the assistance system"),
}


def _finding(value: str) -> bool | None:
    return {YES: True, NO: False}.get(value)


class FindingField(forms.TypedChoiceField):
    """A finding of the decision: yes, no, or not stated (None)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=[(YES, _("Yes")), (NO, _("No")), ("", _("Not stated"))],
            coerce=_finding,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            **kwargs,
        )


class DecisionForm(forms.Form):
    """The admission decision on a referral under assessment."""

    version = VersionField()
    date = forms.DateField(label=_("Decision date"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    client_type = forms.ChoiceField(
        label=_("Client type"),
        required=False,
        choices=[
            (ClientType.VICTIM, ClientType.VICTIM.label),
            (ClientType.WITNESS, ClientType.WITNESS.label),
        ],
        initial=ClientType.VICTIM,
        widget=forms.RadioSelect,
        help_text=_("For a positive decision. Children are admitted with their parent."),
    )
    consent_given = FindingField(
        label=FINDING_LABELS["consent_given"],
        help_text=_("Consent is not required for a minor."),
    )
    trafficking_definition_met = FindingField(
        label=FINDING_LABELS["trafficking_definition_met"],
        help_text=_("On a low threshold: no criminal investigation is needed."),
    )
    need_for_help = FindingField(label=FINDING_LABELS["need_for_help"])
    negative_reason = BoundedModelChoiceField(
        label=_("Reason for a negative decision"),
        required=False,
        queryset=NegativeReason.objects.filter(active=True),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    reason_text = forms.CharField(
        label=_("Grounds"),
        required=False,
        max_length=LONG_TEXT,
        widget=_text_area(6),
        help_text=_("The grounds are written in the decision letter."),
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = today()
        self.fields["version"].initial = referral.version
        consent = {Consent.GIVEN: YES, Consent.NOT_GIVEN: NO}.get(Consent(referral.consent))
        self.fields["consent_given"].initial = consent or ""

    def decision_values(self) -> dict[str, Any]:
        """Return the arguments of referrals.services.admission_decide (but the referral)."""
        data = dict(self.cleaned_data)
        data.pop("version")
        return data
