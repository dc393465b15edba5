"""User accounts."""

from __future__ import annotations

from django.conf import settings
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
    # A referrer belongs to the organisation whose referrals they submit and see; its
    # administrator may invite the organisation's other referrers.
    organisation = models.ForeignKey(
        "referrals.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    organisation_admin = models.BooleanField(
        _("administrator of the organisation"),
        default=False,
        help_text=_("May invite and remove the organisation's referrers in the referral portal."),
    )
    # Until when the user may set up two-factor sign-in with their password alone: opened
    # by an administrator for a new account or a lost phone, closed once it is set up.
    two_factor_enrol_until = models.DateTimeField(
        _("may set up two-factor sign-in until"), null=True, blank=True
    )

    def role_names(self) -> frozenset[str]:
        """Return the names of the user's groups (their roles), read once per instance.

        The access rules ask for the roles several times a page; the user is loaded anew for
        each request, so the answer is cached on the instance, and a change of this
        instance's groups forgets it (see `forget_roles`).
        """
        cached: frozenset[str] | None = getattr(self, "_role_names", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True))
            self._role_names = cached
        return cached

    def forget_roles(self) -> None:
        """Forget the cached roles (after a change of the user's groups)."""
        self.__dict__.pop("_role_names", None)

    def has_role(self, role: str) -> bool:
        """Return whether the user belongs to the group of ROLE."""
        return role in self.role_names()

    def has_any_role(self, roles: frozenset[str]) -> bool:
        """Return whether the user belongs to the group of any of ROLES."""
        return not self.role_names().isdisjoint(roles)


class EmergencyAccess(models.Model):
    """Grant one user time-limited access to one client they could not otherwise see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
    )
    client = models.ForeignKey(
        "casework.ClientPeriod",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
    )
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(_("granted"))
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"], name="emergency_user_expires")]

    def __str__(self) -> str:
        return f"{self.user} -> {self.client_id} ({self.granted_at:%Y-%m-%d %H:%M})"
