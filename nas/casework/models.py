"""Clients and their casework: exploitation, residence, reflection, identification, notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nas.casework.choices import (
    ClientStatus,
    ClientType,
    ExploiterRelation,
    GrantedBy,
    IdentificationGround,
    Place,
    TaskKind,
    TaskStatus,
)
from nas.common.models import ReferenceItem, TimeStampedModel, VersionedModel


class ExploitationForm(ReferenceItem):
    """A form of exploitation."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("form of exploitation")
        verbose_name_plural = _("forms of exploitation")


class LabourSector(ReferenceItem):
    """A sector of forced labour, codable to an ISIC section."""

    isic_section = models.CharField(_("ISIC section"), max_length=1, blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("labour sector")
        verbose_name_plural = _("labour sectors")


class MeansOfControl(ReferenceItem):
    """A means by which an exploiter controls a victim."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("means of control")
        verbose_name_plural = _("means of control")


class EndReason(ReferenceItem):
    """A reason for ending assistance."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("reason for ending assistance")
        verbose_name_plural = _("reasons for ending assistance")


class ClientPeriod(VersionedModel):
    """A client relationship: from admission to the end of assistance."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="client_periods",
    )
    referral = models.OneToOneField(
        "referrals.Referral",
        verbose_name=_("referral"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="client_period",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    client_type = models.CharField(_("client type"), max_length=10, choices=ClientType.choices)
    admitted = models.DateField(_("admitted"), db_index=True)
    admitted_as_minor = models.BooleanField(_("admitted as a minor"), default=False)
    office = models.ForeignKey(
        "common.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="clients"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
    )
    restricted = models.BooleanField(_("restricted access"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ClientStatus.choices, default=ClientStatus.ACTIVE
    )
    ended_on = models.DateField(_("assistance ended"), null=True, blank=True, db_index=True)
    end_reason = models.ForeignKey(
        EndReason,
        verbose_name=_("reason for ending"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    end_reason_text = models.TextField(_("details of the ending"), blank=True)
    # Copies of what the statistics count of the person and of the referral of admission,
    # kept in step by the services (nas.casework.copies): the annual statistics count the
    # client periods from their own rows and indexes instead of joining every counted
    # period to its person and referral, which bounded them at 1,000,000 referrals
    # (docs/benchmarks.md). Not shown or edited anywhere: the person's own fields are.
    person_gender = models.CharField(max_length=10, blank=True, editable=False)
    person_primary_nationality = models.CharField(max_length=10, blank=True, editable=False)
    person_date_of_birth = models.DateField(null=True, blank=True, editable=False)
    person_birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    person_age_assessment = models.CharField(max_length=10, blank=True, editable=False)
    referral_referrer_type = models.CharField(max_length=40, blank=True, editable=False)
    # ... and of its forms of exploitation: how many took place in Finland, and the primary.
    forms_in_finland = models.PositiveSmallIntegerField(default=0, editable=False)
    primary_form = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["-admitted", "-id"]
        permissions = [
            ("end_assistance", _("Can sign decisions to end assistance")),
            ("grant_reflection_period", _("Can sign reflection period decisions")),
            ("identify_victim", _("Can sign formal identifications")),
        ]
        indexes = [
            models.Index(fields=["office", "status"], name="client_office_status"),
            # The statistics' two ways into the client periods, each an index holding every
            # column they count (covering: no row is read). By type and admission date: the
            # periods admitted in a period. By type, nationality and gender: the stock on a
            # day, read in the order of its groups (without it SQLite sorted the 400,000
            # active periods of the stock at 1,000,000 referrals).
            models.Index(
                fields=[
                    "client_type",
                    "admitted",
                    "ended_on",
                    "person_gender",
                    "person_primary_nationality",
                    "person_date_of_birth",
                    "person_birth_year",
                    "person_age_assessment",
                    "referral_referrer_type",
                    "forms_in_finland",
                    "primary_form",
                ],
                name="client_type_admitted",
            ),
            models.Index(
                fields=[
                    "client_type",
                    "person_primary_nationality",
                    "person_gender",
                    "admitted",
                    "ended_on",
                    "person_date_of_birth",
                    "person_birth_year",
                    "person_age_assessment",
                ],
                name="client_statistics_stock",
            ),
            # The few restricted clients by their referral: a referral is hidden from its
            # office when its client is restricted, which every list of referrals checks.
            # Without it PostgreSQL read every client period for them (57 ms a page at
            # 1,000,000 referrals).
            models.Index(
                fields=["referral"],
                condition=models.Q(restricted=True),
                name="client_restricted_referral",
            ),
            # A person's client periods with what decides who sees them (covering): the
            # search by name looks up every person with the name (7,129 for a family name of
            # the benchmark's) and keeps the clients the user may see, without reading the
            # periods (count 15 -> 9 ms SQLite, 22 -> 18 ms PostgreSQL at 1,000,000 referrals).
            models.Index(
                fields=["person", "office", "restricted", "caseworker", "id"],
                name="client_person_access",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="active", ended_on__isnull=True, end_reason__isnull=True)
                | models.Q(status="ended", ended_on__isnull=False, end_reason__isnull=False),
                name="client_end_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(client_type="child", parent__isnull=False, referral__isnull=True)
                | (~models.Q(client_type="child") & models.Q(parent__isnull=True)),
                name="client_child_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_client_type_display()}, {self.admitted:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.status == ClientStatus.ACTIVE


class Exploitation(VersionedModel):
    """One form of exploitation a client experienced; one per client period is primary."""

    client = models.ForeignKey(
        ClientPeriod,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="exploitations",
    )
    form = models.ForeignKey(ExploitationForm, verbose_name=_("form"), on_delete=models.PROTECT)
    is_primary = models.BooleanField(_("primary form"), default=False)
    place = models.CharField(_("place"), max_length=20, choices=Place.choices)
    country = models.CharField(_("country"), max_length=10, blank=True)
    sector = models.ForeignKey(
        LabourSector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True
    )
    means_of_control = models.ManyToManyField(
        MeansOfControl, verbose_name=_("means of control"), blank=True
    )
    exploiter_relation = models.CharField(
        _("exploiter's relation"),
        max_length=20,
        choices=ExploiterRelation.choices,
        default=ExploiterRelation.UNKNOWN,
    )
    exploiter_safety_risk = models.BooleanField(
        _("the exploiter is a safety risk"), null=True, blank=True
    )
    minor_when_exploited = models.BooleanField(_("a minor when exploited"), null=True, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("exploitation")
        verbose_name_plural = _("exploitation")
        ordering = ["-is_primary", "id"]
        indexes = [
            # Every column the statistics count of a client's forms (covering): the forms of
            # the new victims or of the stock, those in Finland, forced labour's sectors.
            models.Index(
                fields=["client", "place", "form", "is_primary", "sector"],
                name="exploitation_statistics",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(is_primary=True),
                name="exploitation_one_primary",
            ),
        ]

    def __str__(self) -> str:
        return str(self.form)


class ResidenceStatus(TimeStampedModel):
    """The client's right of residence from a date on; the rows form its history."""

    client = models.ForeignKey(
        ClientPeriod,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="residence_history",
    )
    valid_from = models.DateField(_("from"))
    category = models.ForeignKey(
        "people.ResidenceCategory", verbose_name=_("right of residence"), on_delete=models.PROTECT
    )
    permit_type = models.ForeignKey(
        "people.PermitType",
        verbose_name=_("permit type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("right of residence")
        verbose_name_plural = _("rights of residence")
        ordering = ["valid_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "valid_from"], name="residence_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.category}"


class ReflectionPeriod(TimeStampedModel):
    """A reflection period: a temporary right of residence of 30 days to 6 months."""

    client = models.ForeignKey(
        ClientPeriod,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="reflection_periods",
    )
    granted = models.DateField(_("decision date"), db_index=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), db_index=True)
    granted_by = models.CharField(_("granted by"), max_length=20, choices=GrantedBy.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision-maker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reflection period")
        verbose_name_plural = _("reflection periods")
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"{self.start} – {self.end}"


class Identification(TimeStampedModel):
    """The formal identification of a victim, under the rule in force on its date."""

    client = models.OneToOneField(
        ClientPeriod,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="identification",
    )
    date = models.DateField(_("date"))
    ground = models.CharField(_("ground"), max_length=30, choices=IdentificationGround.choices)
    justification = models.TextField(_("justification"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision-maker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("identification")
        verbose_name_plural = _("identifications")

    def __str__(self) -> str:
        return f"{self.date}: {self.get_ground_display()}"


class CaseNote(TimeStampedModel):
    """A dated, authored entry of the client's journal."""

    client = models.ForeignKey(
        ClientPeriod, verbose_name=_("client"), on_delete=models.CASCADE, related_name="notes"
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.author}"


class Task(VersionedModel):
    """A task with a deadline, about a client or a referral."""

    client = models.ForeignKey(
        ClientPeriod,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("referral"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    title = models.CharField(_("title"), max_length=200)
    due = models.DateField(_("due"), db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client__isnull=False) | models.Q(referral__isnull=False),
                name="task_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.title
