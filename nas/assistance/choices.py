"""Choices for services."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    NAS = "nas", _("Assistance system")
    WELLBEING_SERVICES_COUNTY = "wellbeing_services_county", _("Wellbeing services county")
    RECEPTION_CENTRE = "reception_centre", _("Reception centre")
    MUNICIPALITY = "municipality", _("Municipality")
    NGO = "ngo", _("Non-governmental organisation")
    COMPANY = "company", _("Company")
