"""Read referrals, with access checked."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from nas.casework.models import ClientPeriod
from nas.casework.selectors import client_scope, works_on_cases
from nas.referrals.choices import ReferralStatus
from nas.referrals.models import Referral


def referral_scope(user: Any, prefix: str = "") -> Q:
    """Return the condition on Referral of the referrals USER may see.

    The same rule as `nas.accounts.rules.can_view_referral`: a referral whose client is
    restricted is seen by those who see the client; any other by its office's staff and its
    assignee; and every referral by those who see its client. PREFIX applies it through a
    relation (e.g. "referral__" on Task). The visible clients are looked up per referral
    (EXISTS on the indexed referral_id), never as a list of every visible client.
    """
    if not works_on_cases(user):
        return Q(pk__in=[])
    periods = ClientPeriod.objects.filter(referral_id=OuterRef(f"{prefix}pk"))
    open_to = Q(**{f"{prefix}assigned_to_id": user.pk})
    if user.office_id is not None:
        open_to |= Q(**{f"{prefix}office_id": user.office_id})
    # Only a decided referral has a client (admission_decide creates the client period with
    # the decision): the look-up of a visible client is skipped for the open ones, which
    # the inbox and the dashboard list (docs/benchmarks.md).
    decided = Q(**{f"{prefix}status": ReferralStatus.DECIDED})
    # The referrals of restricted clients, few, as one list read once per query: SQLite
    # probed the client periods once per open referral (the dashboard's waiting referrals
    # 10 -> 8 ms at 1,000,000 referrals).
    restricted = ClientPeriod.objects.filter(restricted=True, referral__isnull=False)
    return (open_to & ~Q(**{f"{prefix}pk__in": restricted.values("referral_id")})) | (
        decided & Q(Exists(periods.filter(client_scope(user))))
    )


def referrals_visible_to(*, user: Any) -> QuerySet[Referral]:
    """Return the referrals USER may see."""
    return Referral.objects.filter(referral_scope(user)).select_related(
        "person", "referrer_type", "office", "assigned_to"
    )


def referral_get_for_user(*, user: Any, referral_id: int) -> Referral:
    """Return one referral USER may see; not found and not permitted look the same."""
    return referrals_visible_to(user=user).get(pk=referral_id)
