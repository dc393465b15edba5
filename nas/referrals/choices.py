"""Choices for referrals, decisions and contacts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    HELPLINE = "helpline", _("Helpline")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    WEB_FORM = "web_form", _("Web form")
    PORTAL = "portal", _("Referral portal")
    API = "api", _("API")


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    IMMEDIATE_DANGER = "immediate_danger", _("Immediate danger")


class Consent(models.TextChoices):
    GIVEN = "given", _("Consent given")
    NOT_GIVEN = "not_given", _("No consent")
    NOT_ASKED = "not_asked", _("Not yet asked")
    # For a minor, consent is irrelevant (DOMAIN.md): the one reason it is not needed.
    NOT_NEEDED = "not_needed", _("Not needed (a minor)")


class Outcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class HelplineOutcome(models.TextChoices):
    ADVICE = "advice", _("Advice given")
    REFERRAL_MADE = "referral_made", _("Referral made")
    OTHER = "other", _("Other")


class TrainingAudience(models.TextChoices):
    AUTHORITIES = "authorities", _("Authorities")
    NGOS = "ngos", _("Non-governmental organisations")
    HEALTH_SOCIAL = "health_social", _("Health and social services")
    EMPLOYERS = "employers", _("Employers and trade unions")
    EDUCATION = "education", _("Educational institutions")
    INTERNATIONAL = "international", _("International partners")
    OTHER = "other", _("Other")


# Codes of reference lists that rules depend on.
SELF_REFERRAL = "self"
