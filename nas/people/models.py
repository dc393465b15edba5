"""Persons and the reference lists about residence."""

from __future__ import annotations

from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from nas.common.crypto import EncryptedJSONListField, EncryptedTextField
from nas.common.models import ReferenceItem, VersionedModel
from nas.people.choices import AgeAssessment, Gender


class ResidenceCategory(ReferenceItem):
    """A category of right of residence in Finland."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("residence category")
        verbose_name_plural = _("residence categories")


class PermitType(ReferenceItem):
    """A type of residence permit."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("permit type")
        verbose_name_plural = _("permit types")


class Person(VersionedModel):
    """Someone referred, a client or a client's child."""

    ref = models.CharField(_("reference"), max_length=40, unique=True)
    # Direct identifiers are stored encrypted (nas/common/crypto.py); names are searched
    # through name_hash and name_tokens, keyed hashes kept up to date by the services.
    given_names = EncryptedTextField(_("given names"), max_length=200, blank=True)
    family_name = EncryptedTextField(_("family name"), max_length=200, blank=True)
    aliases = EncryptedJSONListField(_("aliases"), default=list, blank=True)
    name_hash = models.CharField(
        _("name search hash"), max_length=64, blank=True, db_index=True, editable=False
    )
    name_tokens = models.TextField(_("name part search hashes"), blank=True, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    age_assessment = models.CharField(
        _("age assessment"), max_length=10, choices=AgeAssessment.choices, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    primary_nationality = models.CharField(
        _("primary nationality"), max_length=10, default="unknown", db_index=True
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    phone = EncryptedTextField(_("phone"), max_length=50, blank=True)
    email = EncryptedTextField(_("e-mail"), max_length=254, blank=True, validators=[validate_email])
    address = EncryptedTextField(_("address"), blank=True)
    personal_identity_code = EncryptedTextField(
        _("personal identity code"), max_length=11, blank=True
    )
    municipality_of_residence = models.CharField(
        _("municipality of residence"), max_length=100, blank=True
    )
    # Set when the retention rule anonymised the person (nas.people.services.person_anonymise).
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(date_of_birth__isnull=False) & models.Q(birth_year__isnull=False)
                ),
                name="person_dob_or_year",
            ),
        ]
        indexes = [
            # PostgreSQL: the attributes the statistics count, beside the key, so that joining
            # the persons of the clients counted reads this narrow index, not the wide rows
            # (encrypted names and contacts): 1,000,000 referrals' statistics 4.3 -> 3.6 s.
            # SQLite has no covering INCLUDE indexes; Django creates this one only where
            # the database has them (its own rows by key measured as fast there).
            models.Index(
                fields=["id"],
                include=[
                    "gender",
                    "primary_nationality",
                    "date_of_birth",
                    "birth_year",
                    "age_assessment",
                ],
                name="person_statistics",
            ),
        ]

    def __str__(self) -> str:
        name = f"{self.given_names} {self.family_name}".strip()
        return name or self.ref

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


class PersonNameToken(models.Model):
    """One part of a person's names or aliases, as its keyed hash: the index of name search.

    The same hashes as Person.name_tokens, one row each, so that a search looks a part up
    in an index instead of scanning every person's name_tokens with LIKE (at 100,000
    referrals that scan was most of the client search's 100 ms: docs/benchmarks.md).
    Kept by nas.people.services.name_tokens_replace wherever name_tokens changes.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("name search token")
        verbose_name_plural = _("name search tokens")
        indexes = [models.Index(fields=["token", "person"], name="person_name_token")]

    def __str__(self) -> str:
        return self.token
