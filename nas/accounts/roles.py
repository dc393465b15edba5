"""The roles of the system; each is a Django group assigned by an administrator."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role, stored as the name of its group."""

    CASEWORKER = "caseworker", _("Caseworker")
    DECISION_MAKER = "decision_maker", _("Decision-maker")
    STATISTICIAN = "statistician", _("Statistician")
    AUDITOR = "auditor", _("Auditor / data protection officer")
    ADMINISTRATOR = "administrator", _("Administrator")
    REFERRER = "referrer", _("Referrer")


# Roles that work with personal data of clients and referrals.
CASEWORK_ROLES = frozenset({Role.CASEWORKER, Role.DECISION_MAKER})
