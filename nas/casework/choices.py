"""Choices for clients and their casework."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClientType(models.TextChoices):
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    CHILD = "child", _("Child of a client")


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Place(models.TextChoices):
    """Where exploitation took place; 'strongly linked to Finland' counts as Finland."""

    FINLAND = "finland", _("Finland")
    ABROAD = "abroad", _("Abroad")
    FINLAND_AND_ABROAD = "finland_and_abroad", _("Finland and abroad")


# Exploitation that counts as "in Finland" (INTERCHANGE.md section 3, `finland.*`).
IN_FINLAND = (Place.FINLAND, Place.FINLAND_AND_ABROAD)


class ExploiterRelation(models.TextChoices):
    """The exploiter's relation to the client, a category only: no data on suspects."""

    EMPLOYER = "employer", _("Employer")
    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner (“loverboy”)")
    FAMILY = "family", _("Family")
    FRIEND_ACQUAINTANCE = "friend_acquaintance", _("Friend or acquaintance")
    ORGANISED_GROUP = "organised_group", _("Organised group")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class GrantedBy(models.TextChoices):
    NAS = "nas", _("Assistance system")
    POLICE = "police", _("Police")
    BORDER_GUARD = "border_guard", _("Border Guard")


class IdentificationGround(models.TextChoices):
    ADMISSION = "admission", _("Positive admission decision (from 2023)")
    EXPLOITED_ABROAD = "exploited_abroad", _("Exploited outside Finland (2015–2022)")
    SUSPECT_DEAD_OR_MISSING = (
        "suspect_dead_or_missing",
        _("No charges: the suspect died or disappeared (2015–2022)"),
    )


class TaskKind(models.TextChoices):
    DECISION_PENDING = "decision_pending", _("Decision pending")
    REFLECTION_ENDING = "reflection_ending", _("Reflection period ending")
    NEED_REVIEW = "need_review", _("Periodic review of need")
    OTHER = "other", _("Other")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# Codes of reference lists that rules depend on.
FORCED_LABOUR = "forced_labour"
NO_RIGHT_OF_RESIDENCE = "no_right_of_residence"
RESIDENCE_PERMIT = "residence_permit"
