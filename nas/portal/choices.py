"""Choices of the portal's and the public form's questions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("I do not know")


class ConsentAnswer(models.TextChoices):
    """Whether the person consented to the referral, or why consent is not needed yet."""

    GIVEN = "given", _("Yes, the person consents to the referral")
    MINOR = "minor", _("Not needed: the person is a minor")
    NOT_ASKED = "not_asked", _("Not yet asked")


class AgeGuess(models.TextChoices):
    """What the referrer thinks of the age of a person whose date of birth is not known."""

    MINOR = "minor", _("Probably a minor (under 18)")
    ADULT = "adult", _("Probably an adult")
    UNKNOWN = "unknown", _("Cannot say")
