"""Read clients, with access checked."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nas.accounts.roles import CASEWORK_ROLES
from nas.casework.models import ClientPeriod


def clients_visible_to(*, user: Any) -> QuerySet[ClientPeriod]:
    """Return the client periods USER may see.

    A caseworker sees their office's clients and those assigned to them; a restricted
    client only when assigned.
    """
    if not (user.is_authenticated and user.groups.filter(name__in=list(CASEWORK_ROLES)).exists()):
        return ClientPeriod.objects.none()
    scope = Q(caseworker=user)
    if user.office_id:
        scope |= Q(office_id=user.office_id, restricted=False)
    return ClientPeriod.objects.filter(scope).select_related("person", "office", "caseworker")


def client_get_for_user(*, user: Any, client_id: int) -> ClientPeriod:
    """Return one client period USER may see; not found and not permitted look the same."""
    return clients_visible_to(user=user).get(pk=client_id)
