"""User accounts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff of the assistance system or an external referrer."""

    office = models.ForeignKey(
        "common.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    def has_role(self, role: str) -> bool:
        """Return whether the user belongs to the group of ROLE."""
        return self.groups.filter(name=role).exists()
