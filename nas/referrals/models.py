"""Referrals, admission decisions, anonymous consultations, helpline contacts, trainings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nas.casework.choices import ClientType
from nas.common.models import ReferenceItem, TimeStampedModel, VersionedModel
from nas.referrals.choices import (
    Channel,
    Consent,
    HelplineOutcome,
    Outcome,
    ReferralStatus,
    TrainingAudience,
    Urgency,
)


class ReferrerType(ReferenceItem):
    """A type of referrer (police, reception centre, the person themself, ...)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("referrer type")
        verbose_name_plural = _("referrer types")


class Organisation(models.Model):
    """A referring organisation, e.g. a police department or an NGO."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    referrer_type = models.ForeignKey(
        ReferrerType, verbose_name=_("referrer type"), on_delete=models.PROTECT
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NegativeReason(ReferenceItem):
    """A reason for a negative admission decision."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("reason for a negative decision")
        verbose_name_plural = _("reasons for a negative decision")


class Referral(VersionedModel):
    """A referral (application) of a person to the assistance system."""

    ref = models.CharField(_("reference number"), max_length=40, unique=True)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    received = models.DateField(_("received"), db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    referrer_type = models.ForeignKey(
        ReferrerType, verbose_name=_("referrer type"), on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    organisation_name = models.CharField(_("referring organisation"), max_length=200, blank=True)
    office = models.ForeignKey(
        "common.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_referrals",
    )
    account = models.TextField(_("account of what happened"), blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    safety_concerns = models.TextField(_("safety concerns"), blank=True)
    consent = models.CharField(
        _("consent"), max_length=20, choices=Consent.choices, default=Consent.NOT_ASKED
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.RECEIVED,
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-received", "-id"]
        indexes = [
            models.Index(fields=["office", "status"], name="referral_office_status"),
            # Status first: also every look-up by status alone. With the date received, the
            # referrals of one status received by a day (the statistics' pending referrals)
            # are one range of it, in order; with the date withdrawn, those withdrawn after
            # the day are read from it alone.
            models.Index(
                fields=["status", "received", "withdrawn_on"], name="referral_status_received"
            ),
        ]
        permissions = [("decide_admission", _("Can sign admission decisions"))]

    def __str__(self) -> str:
        return self.ref


class AdmissionDecision(TimeStampedModel):
    """The administrative decision on a referral: positive (admitted) or negative."""

    referral = models.OneToOneField(
        Referral, verbose_name=_("referral"), on_delete=models.PROTECT, related_name="decision"
    )
    date = models.DateField(_("decision date"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    client_type = models.CharField(
        _("client type"), max_length=10, choices=ClientType.choices, blank=True
    )
    negative_reason = models.ForeignKey(
        NegativeReason,
        verbose_name=_("reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    reason_text = models.TextField(_("grounds"), blank=True)
    consent_given = models.BooleanField(_("consent given"), null=True, blank=True)
    trafficking_definition_met = models.BooleanField(
        _("definition of trafficking met"), null=True, blank=True
    )
    need_for_help = models.BooleanField(
        _("needs help through the assistance system"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision-maker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Copies of the referral's date received and referrer type (nas/casework/copies.py),
    # neither of which changes once the referral is received: the statistics count the
    # decisions of a period by them, and the days to decision, from the decisions' own index
    # instead of looking up each decision's referral (0.3-0.6 s a query at 1,000,000
    # referrals on SQLite).
    referral_received = models.DateField(null=True, blank=True, editable=False)
    referral_referrer_type = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("admission decision")
        verbose_name_plural = _("admission decisions")
        indexes = [
            # Every column the statistics count of the decisions of a period (covering).
            models.Index(
                fields=[
                    "date",
                    "outcome",
                    "negative_reason",
                    "referral_referrer_type",
                    "referral_received",
                ],
                name="decision_statistics",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="positive", negative_reason__isnull=True)
                | models.Q(outcome="negative", negative_reason__isnull=False),
                name="decision_negative_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral.ref}: {self.get_outcome_display()}"


class AnonymousConsultation(TimeStampedModel):
    """A consultation without identities; counted, never personal, linkable to a referral."""

    date = models.DateField(_("date"), db_index=True)
    office = models.ForeignKey("common.Office", verbose_name=_("office"), on_delete=models.PROTECT)
    contact_type = models.ForeignKey(
        ReferrerType, verbose_name=_("who consulted"), on_delete=models.PROTECT
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    topic = models.TextField(_("situation (no names or identifying details)"))
    adult_declined_referral = models.BooleanField(
        _("an adult who does not consent to a referral"), default=False
    )
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("linked referral"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("anonymous consultation")
        verbose_name_plural = _("anonymous consultations")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.contact_type}"


class HelplineContact(TimeStampedModel):
    """A contact to the 24/7 helpline."""

    date = models.DateField(_("date"), db_index=True)
    caller_type = models.ForeignKey(
        ReferrerType, verbose_name=_("caller type"), on_delete=models.PROTECT
    )
    language = models.CharField(_("language"), max_length=10)
    topic = models.CharField(_("topic"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=20, choices=HelplineOutcome.choices)
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral made"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="helpline_contacts",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("helpline contact")
        verbose_name_plural = _("helpline contacts")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"


class TrainingEvent(TimeStampedModel):
    """A training event the assistance system held for stakeholders."""

    date = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("audience"), max_length=20, choices=TrainingAudience.choices)
    participants = models.PositiveIntegerField(_("participants"))
    office = models.ForeignKey("common.Office", verbose_name=_("office"), on_delete=models.PROTECT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"
