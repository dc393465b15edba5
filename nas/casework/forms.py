"""Forms of the client file's actions; the services check the rules, the forms only the types.

Field names are those of the services' arguments, so that a refusal naming a field (a
`DomainError` with `field`) is shown next to that field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nas.accounts.models import User
from nas.accounts.roles import CASEWORK_ROLES
from nas.casework.choices import (
    ClientType,
    ExploiterRelation,
    GrantedBy,
    IdentificationGround,
    Place,
    TaskKind,
)
from nas.casework.models import (
    EndReason,
    ExploitationForm,
    LabourSector,
    MeansOfControl,
)
from nas.common.dates import today
from nas.common.forms import BoundedModelChoiceField, DateInput
from nas.common.views import VersionField
from nas.people.choices import Gender
from nas.people.models import PermitType, ResidenceCategory
from nas.people.nationalities import SPECIAL_CODES, nationality_choices
from nas.referrals.choices import Channel
from nas.referrals.models import ReferrerType

TEXT_MAX = 5000


def date_field(
    label: Any, *, required: bool = True, today_initial: bool = False
) -> forms.DateField:
    """Return a date field, prefilled with today when TODAY_INITIAL (an event just happened)."""
    return forms.DateField(
        label=label, required=required, widget=DateInput(), initial=today if today_initial else None
    )


class KnownBooleanField(forms.NullBooleanField):
    """Yes, no, or not known (None): a finding that may be left open."""

    widget = forms.RadioSelect(
        choices=[("unknown", _("Not known")), ("true", _("Yes")), ("false", _("No"))]
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("initial", "unknown")
        super().__init__(**kwargs)


def active(model: Any) -> QuerySet[Any]:
    """Return the active entries of a reference list, in their order."""
    return model.objects.filter(active=True)


def reference_field(model: Any, label: Any, *, required: bool = True) -> forms.ModelChoiceField:
    """Return a choice of an active entry of the reference list MODEL, in the active language."""
    return forms.ModelChoiceField(
        queryset=active(model), label=label, required=required, empty_label="–"
    )


def country_choices() -> list[tuple[str, str]]:
    """Return the countries (not 'stateless' or 'unknown'), a blank first."""
    return [("", "–")] + [pair for pair in nationality_choices() if pair[0] not in SPECIAL_CODES]


def casework_staff() -> QuerySet[User]:
    """Return the active caseworkers and decision-makers, who may be responsible for a case."""
    return (
        User.objects.filter(is_active=True, groups__name__in=list(CASEWORK_ROLES))
        .select_related("office")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class StaffChoiceField(BoundedModelChoiceField):
    """A caseworker or decision-maker, shown with their office."""

    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({obj.office})" if obj.office_id else name


class ExploitationRecordForm(forms.Form):
    form = reference_field(ExploitationForm, _("Form of exploitation"))
    is_primary = forms.BooleanField(
        label=_("This is the primary form of exploitation"), required=False
    )
    place = forms.ChoiceField(
        label=_("Where it took place"), choices=Place.choices, widget=forms.RadioSelect
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        required=False,
        help_text=_("Needed when it took place abroad."),
    )
    sector = reference_field(LabourSector, _("Sector of forced labour"), required=False)
    means_of_control = forms.ModelMultipleChoiceField(
        queryset=active(MeansOfControl),
        label=_("Means of control"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exploiter_relation = forms.ChoiceField(
        label=_("The exploiter's relation to the client"),
        choices=ExploiterRelation.choices,
        initial=ExploiterRelation.UNKNOWN,
        help_text=_("A category only: no data identifying a suspect is kept."),
    )
    exploiter_safety_risk = KnownBooleanField(label=_("Is the exploiter a safety risk?"))
    minor_when_exploited = KnownBooleanField(label=_("Was the client a minor when exploited?"))
    start = date_field(_("Start"), required=False)
    end = date_field(_("End"), required=False)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["means_of_control"] = list(data["means_of_control"])
        return data


class ResidenceForm(forms.Form):
    valid_from = date_field(_("From"))
    category = reference_field(ResidenceCategory, _("Right of residence"))
    permit_type = reference_field(
        PermitType,
        _("Type of residence permit"),
        required=False,
    )


class ReflectionPeriodForm(forms.Form):
    granted_by = forms.ChoiceField(
        label=_("Granted by"),
        choices=GrantedBy.choices,
        initial=GrantedBy.NAS,
        widget=forms.RadioSelect,
    )
    granted = date_field(_("Decision date"), today_initial=True)
    start = date_field(_("Start"))
    end = date_field(_("End"))


class IdentificationForm(forms.Form):
    date = date_field(_("Date of the identification"))
    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=[
            (ground.value, ground.label)
            for ground in IdentificationGround
            if ground != IdentificationGround.ADMISSION
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "A separate identification is made only for decisions of July 2015 to 2022; "
            "from 2023 the positive admission decision is the identification."
        ),
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NoteForm(forms.Form):
    date = date_field(_("Date"), today_initial=True)
    text = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices, initial=TaskKind.OTHER)
    due = date_field(_("Due"))
    assigned_to = StaffChoiceField(
        queryset=casework_staff(),
        label=_("Assigned to"),
        required=False,
        empty_label=_("Me"),
    )


class TaskCompleteForm(forms.Form):
    date = date_field(_("Completed on"), today_initial=True)
    version = VersionField()


class AssignForm(forms.Form):
    caseworker = StaffChoiceField(queryset=casework_staff(), label=_("Caseworker"))
    version = VersionField()


class RestrictForm(forms.Form):
    restricted = forms.TypedChoiceField(
        choices=[("true", _("Restrict")), ("false", _("Remove the restriction"))],
        coerce=lambda value: value == "true",
        widget=forms.HiddenInput,
    )
    version = VersionField()


class ChildForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    date_of_birth = date_field(_("Date of birth"), required=False)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        max_value=9999,
        help_text=_("When the date of birth is not known."),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    primary_nationality = forms.ChoiceField(
        label=_("Nationality"), choices=nationality_choices, initial="unknown"
    )
    admitted = date_field(_("Admitted"), today_initial=True)

    def person_fields(self) -> dict[str, Any]:
        """Return the arguments of person_create: what is needed to count and serve a child."""
        data = dict(self.cleaned_data)
        data.pop("admitted")
        data["nationalities"] = [data["primary_nationality"]]
        return data


class EndForm(forms.Form):
    date = date_field(_("End of assistance"), today_initial=True)
    reason = reference_field(EndReason, _("Reason"))
    details = forms.CharField(
        label=_("Details"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when the reason is “other”."),
    )
    version = VersionField()


class ReadmitForm(forms.Form):
    received = date_field(_("Referral received"), today_initial=True)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    referrer_type = reference_field(ReferrerType, _("Referrer type"))
    account = forms.CharField(
        label=_("Account of what happened"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    date = date_field(_("Decision date"), today_initial=True)
    client_type = forms.ChoiceField(
        label=_("Client type"),
        choices=[(kind.value, kind.label) for kind in (ClientType.VICTIM, ClientType.WITNESS)],
        widget=forms.RadioSelect,
    )
    consent_given = KnownBooleanField(label=_("Has the person given their consent?"))
    trafficking_definition_met = KnownBooleanField(
        label=_("Is the definition of human trafficking met?")
    )
    need_for_help = KnownBooleanField(label=_("Does the person need help through the system?"))
