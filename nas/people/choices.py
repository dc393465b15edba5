"""Choices for persons."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class AgeAssessment(models.TextChoices):
    """When the date of birth is unknown: the assessed age group."""

    MINOR = "minor", _("Minor")
    ADULT = "adult", _("Adult")
    UNKNOWN = "unknown", _("Unknown")


STATELESS = "stateless"
UNKNOWN_NATIONALITY = "unknown"
