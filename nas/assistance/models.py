"""Services (assistance measures) delivered to clients."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nas.assistance.choices import Provider
from nas.common.models import ReferenceItem, VersionedModel


class ServiceType(ReferenceItem):
    """A type of service (assistance measure)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("service type")
        verbose_name_plural = _("service types")


class Service(VersionedModel):
    """A service delivered to a client, assessed on individual need."""

    client = models.ForeignKey(
        "casework.ClientPeriod",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("service"), on_delete=models.PROTECT
    )
    provider = models.CharField(_("provider"), max_length=30, choices=Provider.choices)
    provider_name = models.CharField(_("provider's name"), max_length=200, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return str(self.service_type)

    @property
    def is_open(self) -> bool:
        return self.end is None
