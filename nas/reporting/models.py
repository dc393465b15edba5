"""Frozen publications: the published figures of a period, kept as they were published."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedStatistics(models.Model):
    """The published (disclosure-controlled) figures of a period, frozen when published.

    `figures` maps each figure key (INTERCHANGE.md section 3, plus the publication's trend
    keys `referrals.same_period.<year>`) to its published count, or null when withheld. The
    keys are language-independent: one frozen publication serves every language. Later
    corrections to the records never change these numbers; the statistics page lists where
    a fresh computation now differs.

    The model also carries the permissions of the statistics screens (Meta.permissions).
    """

    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    figures = models.JSONField(_("published figures"))
    threshold = models.PositiveSmallIntegerField(_("disclosure threshold"))
    # The withheld figures published as "<threshold" (the others withheld were shown as "..").
    small = models.JSONField(_("figures shown as under the threshold"), default=list, blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who published: the user's name, or the command and the account that ran it.
    published_by_label = models.CharField(_("published by"), max_length=150)

    class Meta:
        verbose_name = _("published statistics")
        verbose_name_plural = _("published statistics")
        ordering = ["-period_end", "period_start"]
        default_permissions = ()
        permissions = [
            ("view_statistics", _("Can view the published statistics")),
            ("view_internal_statistics", _("Can view the internal, unsuppressed statistics")),
            ("publish_statistics", _("Can publish and freeze the statistics of a period")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end"], name="published_statistics_period_once"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="published_statistics_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start} – {self.period_end}"
