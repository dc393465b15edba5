"""Read referrals, with access checked."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nas.accounts.roles import CASEWORK_ROLES
from nas.referrals.models import Referral


def _works_on_cases(user: Any) -> bool:
    return bool(
        user.is_authenticated and user.groups.filter(name__in=list(CASEWORK_ROLES)).exists()
    )


def referrals_visible_to(*, user: Any) -> QuerySet[Referral]:
    """Return the referrals USER may see: their office's and those assigned to them."""
    if not _works_on_cases(user):
        return Referral.objects.none()
    scope = Q(assigned_to=user)
    if user.office_id:
        scope |= Q(office_id=user.office_id)
    return Referral.objects.filter(scope).select_related(
        "person", "referrer_type", "office", "assigned_to"
    )


def referral_get_for_user(*, user: Any, referral_id: int) -> Referral:
    """Return one referral USER may see; not found and not permitted look the same."""
    return referrals_visible_to(user=user).get(pk=referral_id)
