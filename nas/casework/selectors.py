"""Read clients, with access checked."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nas.accounts.models import EmergencyAccess
from nas.accounts.roles import CASEWORK_ROLES
from nas.casework.models import ClientPeriod
from nas.common.validation import refuse


def works_on_cases(user: Any) -> bool:
    """Return whether USER is an active caseworker or decision-maker."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_any_role(CASEWORK_ROLES)
    )


def client_scope(user: Any, prefix: str = "") -> Q:
    """Return the condition on ClientPeriod of the clients USER may see.

    The same rule as `nas.accounts.rules.can_view_client` (the tests check that they agree):
    their own clients, their office's unrestricted clients, and those they broke the glass for.
    PREFIX applies it through a relation (e.g. "client__" on Task): a condition on the
    row's own join, which the database checks row by row, instead of `client__in=` a list of
    every client the user may see (measured in docs/benchmarks.md: that list is built in full
    on every page).
    """
    if not works_on_cases(user):
        return Q(pk__in=[])
    granted = EmergencyAccess.objects.filter(user_id=user.pk, expires_at__gt=timezone.now())
    scope = Q(**{f"{prefix}caseworker_id": user.pk}) | Q(
        **{f"{prefix}pk__in": granted.values("client_id")}
    )
    if user.office_id is not None:
        scope |= Q(**{f"{prefix}office_id": user.office_id, f"{prefix}restricted": False})
    return scope


def clients_visible_to(*, user: Any) -> QuerySet[ClientPeriod]:
    """Return the client periods USER may see."""
    return ClientPeriod.objects.filter(client_scope(user)).select_related(
        "person", "office", "caseworker"
    )


def client_get_for_user(*, user: Any, client_id: int) -> ClientPeriod:
    """Return one client period USER may see; not found and not permitted look the same."""
    return clients_visible_to(user=user).get(pk=client_id)


def client_person_id(client_id: int) -> int | None:
    """Return the person of client CLIENT_ID, for auditing a refused read (shows nothing)."""
    return ClientPeriod.objects.filter(pk=client_id).values_list("person_id", flat=True).first()


def emergency_access_valid(*, user: Any, client: ClientPeriod) -> EmergencyAccess | None:
    """Return USER's emergency access to CLIENT that is valid now, if any."""
    return (
        EmergencyAccess.objects.filter(
            user_id=user.pk, client=client, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )


def client_for_emergency_access(*, client_id: int) -> ClientPeriod:
    """Return client CLIENT_ID with no data but its keys, for a request to break the glass."""
    return ClientPeriod.objects.only("pk", "person_id").get(pk=client_id)


def check_may_assign(acting_user: Any, visible: QuerySet[Any], case: Any, assignee: Any) -> None:
    """Refuse assigning CASE (not in VISIBLE to ACTING_USER) or assigning it to a non-caseworker.

    A case one cannot see cannot be handed to anyone (a pen-test finding of similar systems);
    only caseworkers and decision-makers can be responsible for a case.
    """
    if not visible.filter(pk=case.pk).exists():
        raise refuse(_("You cannot assign a case you cannot see."))
    if assignee is not None and not works_on_cases(assignee):
        raise refuse(_("Only a caseworker or a decision-maker can be responsible for a case."))
