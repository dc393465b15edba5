"""Read what the referral portal shows: an organisation's own referrals, members, invitations.

A referrer sees the referrals of their own organisation and nothing else, and of those only
the reference number, the date received, the status and, once decided, whether the person
was admitted: no personal data, so listing them is not a read of personal data.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from nas.accounts.models import User
from nas.accounts.roles import Role
from nas.portal.models import Invitation
from nas.referrals.models import Referral


def is_portal_user(user: Any) -> bool:
    """Return whether USER is an active referrer of an active organisation."""
    organisation = getattr(user, "organisation", None)
    return (
        bool(user.is_active)
        and organisation is not None
        and organisation.active
        and user.has_role(Role.REFERRER)
    )


def is_organisation_admin(user: Any) -> bool:
    """Return whether USER may invite and deactivate the users of their organisation."""
    return bool(getattr(user, "organisation_admin", False)) and is_portal_user(user)


def portal_referrals(*, user: Any) -> QuerySet[Referral]:
    """Return the referrals of USER's organisation, newest first, with `outcome` annotated.

    Only the columns the portal shows are loaded: nothing of the person or of the account.
    """
    return (
        Referral.objects.filter(organisation_id=user.organisation_id)
        .annotate(outcome=F("decision__outcome"))
        .only("id", "ref", "received", "status")
        .order_by("-received", "-id")
    )


def portal_referral_get(*, user: Any, referral_id: int) -> Referral:
    """Return one referral of USER's organisation; another's and a missing one look the same."""
    return portal_referrals(user=user).get(pk=referral_id)


def organisation_members(*, user: Any) -> QuerySet[User]:
    """Return the active users of USER's organisation, by name."""
    return User.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def organisation_member_get(*, user: Any, member_id: int) -> User:
    """Return an active user of USER's organisation; anyone else is not found."""
    return organisation_members(user=user).get(pk=member_id)


def pending_invitations(*, user: Any) -> QuerySet[Invitation]:
    """Return the invitations of USER's organisation not yet accepted nor expired."""
    return Invitation.objects.filter(
        organisation_id=user.organisation_id,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at", "-id")


def token_hash(token: str) -> str:
    """Return the hash under which an invitation's token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    """Return the invitation TOKEN opens, if it is still open: not accepted, not expired,
    its organisation still active."""
    return (
        Invitation.objects.select_related("organisation")
        .filter(
            token_hash=token_hash(token),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
            organisation__active=True,
        )
        .first()
    )
