"""The signed-in caseworker's dashboard: what waits for them, oldest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nas.accounts.decorators import verified_login_required
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.casework.choices import ClientStatus, TaskStatus
from nas.casework.models import ClientPeriod, ReflectionPeriod, Task
from nas.casework.selectors import client_scope, clients_visible_to
from nas.common.dates import today
from nas.common.pagination import counted_first_rows
from nas.referrals.forms import OPEN_STATUSES, inbox_order
from nas.referrals.models import Referral
from nas.referrals.selectors import referral_scope, referrals_visible_to

# Rows shown per list; each list links to its full page.
DASHBOARD_ROWS = 20
# Reflection periods ending and tasks due within this many days are shown.
SOON_DAYS = 14
# A referral waiting longer than this is shown as overdue (three weeks, after which the
# demo data's offices open a "decision pending" task).
OLD_REFERRAL_DAYS = 21
CASEWORK_PERMISSION = "casework.view_clientperiod"


@dataclass(frozen=True)
class DashboardList:
    """The first rows of one list of the dashboard, and how many there are in all."""

    count: int
    rows: list[Any]


@dataclass(frozen=True)
class WaitingReferral:
    referral: Referral
    age_days: int


def _first_rows(queryset: QuerySet[Any]) -> DashboardList:
    count, rows = counted_first_rows(queryset, DASHBOARD_ROWS)
    return DashboardList(count=count, rows=rows)


def _with_ages(waiting: DashboardList, day: dt.date) -> DashboardList:
    """Return WAITING with each referral's age in days on DAY."""
    rows = [WaitingReferral(r, (day - r.received).days) for r in waiting.rows]
    return DashboardList(count=waiting.count, rows=rows)


def waiting_referrals(user: Any) -> QuerySet[Referral]:
    """Referrals waiting for assessment or a decision, oldest first, as the inbox lists them.

    The inbox's order (not a plain ORDER BY received) also keeps SQLite on the status
    index: ordered by `received` it walked the received index through every closed
    referral to find the open ones (docs/benchmarks.md).
    """
    return inbox_order(referrals_visible_to(user=user).filter(status__in=OPEN_STATUSES))


def reflection_periods_ending(user: Any, day: dt.date) -> QuerySet[ReflectionPeriod]:
    """Reflection periods of active clients USER may see ending within SOON_DAYS of DAY."""
    return (
        ReflectionPeriod.objects.filter(
            client_scope(user, "client__"),
            client__status=ClientStatus.ACTIVE,
            end__gte=day,
            end__lte=day + dt.timedelta(days=SOON_DAYS),
        )
        .select_related("client__person")
        .order_by("end", "id")
    )


def tasks_due(user: Any, day: dt.date) -> QuerySet[Task]:
    """USER's open tasks due within SOON_DAYS of DAY or overdue, about cases USER may see."""
    visible = client_scope(user, "client__") | referral_scope(user, "referral__")
    return (
        Task.objects.filter(
            visible,
            assigned_to_id=user.pk,
            status=TaskStatus.OPEN,
            due__lte=day + dt.timedelta(days=SOON_DAYS),
        )
        .select_related("client__person", "referral__person")
        .order_by("due", "id")
    )


def my_clients(user: Any) -> QuerySet[ClientPeriod]:
    """Active clients whose caseworker USER is, most recently admitted first."""
    return clients_visible_to(user=user).filter(caseworker_id=user.pk, status=ClientStatus.ACTIVE)


def _person_ids(lists: dict[str, DashboardList]) -> list[int]:
    ids = {w.referral.person_id for w in lists["referrals"].rows}
    ids |= {p.client.person_id for p in lists["reflection_periods"].rows}
    ids |= {(t.client or t.referral).person_id for t in lists["tasks"].rows}
    ids |= {c.person_id for c in lists["clients"].rows}
    return sorted(ids)


@verified_login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the caseworker what waits: referrals, reflection periods, tasks, their clients."""
    user = request.user
    if not user.has_perm(CASEWORK_PERMISSION):
        if getattr(user, "organisation_id", None):
            # A referrer's work is in the referral portal of their organisation.
            return redirect("portal:home")
        return render(request, "casework/home.html", {"casework": False})
    day = today()
    lists = {
        "referrals": _with_ages(_first_rows(waiting_referrals(user)), day),
        "reflection_periods": _first_rows(reflection_periods_ending(user, day)),
        "tasks": _first_rows(tasks_due(user, day)),
        "clients": _first_rows(my_clients(user)),
    }
    person_ids = _person_ids(lists)
    if person_ids:
        with transaction.atomic():
            audit_log(
                actor=user,
                kind=AuditEvent.Kind.READ,
                action="home.list",
                changes={"person_ids": person_ids},
            )
    context = {
        "casework": True,
        "today": day,
        "soon_days": SOON_DAYS,
        "old_referral_days": OLD_REFERRAL_DAYS,
        **lists,
    }
    return render(request, "casework/home.html", context)
