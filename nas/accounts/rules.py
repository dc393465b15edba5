"""Who may see which client and referral: object rules (django-rules), autodiscovered.

The rule, stated once here and mirrored in the selectors
(`nas.casework.selectors.clients_visible_to`, `nas.referrals.selectors.referrals_visible_to`,
whose tests check that both agree on a mixed dataset):

- Only caseworkers and decision-makers see clients and referrals. Statisticians, auditors,
  administrators (superusers included), referrers and users without a role see none.
- A client is seen by their own caseworker, by the casework staff of the client's office unless
  the client is restricted, and by a user holding a valid emergency access ("break the glass")
  to that client.
- A restricted client is seen only by the caseworker assigned to them. Not even the office's
  decision-maker sees them without breaking the glass: a decision-maker who must sign for a
  restricted client states a reason, which the auditor sees.
- A referral whose client is restricted is seen exactly by those who see the client. Any other
  referral is seen by the staff of its office, by the person it is assigned to and by those who
  see its client.

Superusers are not exempt: these are rules (`rules.test_rule`), not permissions, so Django's
"a superuser has every permission" does not open client files.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from nas.accounts.models import EmergencyAccess
from nas.accounts.roles import CASEWORK_ROLES

VIEW_CLIENT = "casework.view_client"
VIEW_REFERRAL = "referrals.view_referral"


@rules.predicate
def works_on_cases(user: Any) -> bool:
    """The user is a caseworker or a decision-maker."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_any_role(CASEWORK_ROLES)
    )


@rules.predicate
def is_clients_caseworker(user: Any, client: Any) -> bool:
    return client is not None and client.caseworker_id == user.pk


@rules.predicate
def at_clients_office_unrestricted(user: Any, client: Any) -> bool:
    return (
        client is not None
        and not client.restricted
        and user.office_id is not None
        and client.office_id == user.office_id
    )


@rules.predicate
def holds_emergency_access(user: Any, client: Any) -> bool:
    return (
        client is not None
        and EmergencyAccess.objects.filter(
            user_id=user.pk, client_id=client.pk, expires_at__gt=timezone.now()
        ).exists()
    )


can_view_client = works_on_cases & (
    is_clients_caseworker | at_clients_office_unrestricted | holds_emergency_access
)


def _client_of(referral: Any) -> Any:
    try:
        return referral.client_period
    except ObjectDoesNotExist:
        return None


@rules.predicate
def referral_client_visible(user: Any, referral: Any) -> bool:
    client = _client_of(referral) if referral is not None else None
    return client is not None and bool(can_view_client.test(user, client))


@rules.predicate
def referral_open_to_office_or_assignee(user: Any, referral: Any) -> bool:
    if referral is None:
        return False
    client = _client_of(referral)
    if client is not None and client.restricted:
        return False
    return referral.assigned_to_id == user.pk or (
        user.office_id is not None and referral.office_id == user.office_id
    )


can_view_referral = works_on_cases & (referral_open_to_office_or_assignee | referral_client_visible)

rules.add_rule(VIEW_CLIENT, can_view_client)
rules.add_rule(VIEW_REFERRAL, can_view_referral)
