"""What the API accepts and returns.

A submission carries the referred person's details as the organisation knows them; the
organisation's referrer type and the channel `api` are not the caller's to choose. What the
API returns about a referral is its reference number, date received, status and, once
decided, whether the person was admitted: no personal data and no decision content.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nas.api.reference import NATIONALITY_CODES
from nas.common.models import Office
from nas.people.choices import AgeAssessment, Gender
from nas.referrals.choices import Consent, ReferralStatus, Urgency

LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
MAX_TEXT = 20_000


def _storable(value: str) -> None:
    """Refuse text that no database stores: lone surrogates (the NUL is refused by DRF)."""
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise serializers.ValidationError(_("The text holds characters that cannot be stored."))


# Said in the schema too (as a pattern), so that clients and schemathesis know it.
NO_NUL = RegexValidator(r"^[^\x00]*$", _("Null characters are not allowed."))


class Text(serializers.CharField):
    """A text field that refuses characters the database cannot store."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)
        self.validators += [NO_NUL, _storable]


class StrictSerializer(serializers.Serializer[dict[str, Any]]):
    """A serializer that refuses fields it does not know, rather than dropping them unseen."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        result: dict[str, Any] = super().to_internal_value(data)
        return result


class PersonSerializer(StrictSerializer):
    """The referred person (PERSON_FIELDS of nas.people.services that a referrer knows)."""

    given_names = Text(max_length=200)
    family_name = Text(max_length=200)
    aliases = serializers.ListField(
        child=Text(max_length=200, allow_blank=False, required=True, default=serializers.empty),
        max_length=20,
        required=False,
        default=list,
    )
    date_of_birth = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When known; otherwise birth_year, or age_assessment when neither is known.",
    )
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=9999, required=False, allow_null=True, default=None
    )
    age_assessment = serializers.ChoiceField(
        choices=AgeAssessment.choices, required=False, allow_blank=True, default=""
    )
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.UNKNOWN)
    nationalities = serializers.ListField(
        child=serializers.ChoiceField(choices=NATIONALITY_CODES),
        max_length=10,
        required=False,
        default=list,
        help_text="ISO 3166-1 alpha-2 codes in upper case, `stateless` or `unknown`.",
    )
    primary_nationality = serializers.ChoiceField(
        choices=NATIONALITY_CODES,
        required=False,
        allow_blank=True,
        default="",
        help_text="One of nationalities (default: the first): the one counted in statistics.",
    )
    languages = serializers.ListField(
        child=serializers.RegexField(LANGUAGE_PATTERN, max_length=3),
        max_length=10,
        required=False,
        default=list,
        help_text="ISO 639 language codes in lower case (`fi`, `ne`).",
    )
    interpreter_needed = serializers.BooleanField(default=False)
    phone = Text(max_length=50)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    address = Text(max_length=1000)


class ReferralSubmissionSerializer(StrictSerializer):
    """A referral submitted by a referring organisation."""

    person = PersonSerializer()
    office = serializers.ChoiceField(
        choices=[],
        required=False,
        help_text="The office to receive the referral (default: the intake office).",
    )
    account = Text(max_length=MAX_TEXT, help_text="What happened, as the referrer knows it.")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    safety_concerns = Text(max_length=MAX_TEXT)
    consent = serializers.ChoiceField(
        choices=Consent.choices,
        default=Consent.NOT_ASKED,
        help_text=(
            "Whether the person consented to the referral; `not_needed` only for a minor "
            "(refused with 400 when the person's age says adult)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offices are data: the choices are read when the request (or the schema) is made.
        office = cast(serializers.ChoiceField, self.fields["office"])
        office.choices = list(Office.objects.filter(active=True).values_list("code", "label_en"))


class ReferralStatusSerializer(serializers.Serializer[Any]):
    """A referral as its referrer may see it: no personal data, no decision content."""

    ref = serializers.CharField(read_only=True, help_text="The referral's reference number.")
    received = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    admitted = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="For a decided referral, whether the person was admitted; otherwise null.",
    )
