"""The signed-in home page: my office's open referrals and active clients."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nas.accounts.decorators import verified_login_required
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.casework.choices import ClientStatus
from nas.casework.selectors import clients_visible_to
from nas.referrals.choices import ReferralStatus
from nas.referrals.selectors import referrals_visible_to

HOME_ROWS = 50


@verified_login_required
def home(request: HttpRequest) -> HttpResponse:
    """List the referrals still open and the active clients the user may see."""
    user = request.user
    referrals = list(
        referrals_visible_to(user=user)
        .filter(status__in=[ReferralStatus.RECEIVED, ReferralStatus.UNDER_ASSESSMENT])
        .order_by("received", "id")[:HOME_ROWS]
    )
    clients = list(
        clients_visible_to(user=user)
        .filter(status=ClientStatus.ACTIVE)
        .order_by("-admitted", "-id")[:HOME_ROWS]
    )
    person_ids = sorted({r.person_id for r in referrals} | {c.person_id for c in clients})
    if person_ids:
        with transaction.atomic():
            audit_log(
                actor=user,
                kind=AuditEvent.Kind.READ,
                action="home.list",
                changes={"person_ids": person_ids},
            )
    return render(request, "casework/home.html", {"referrals": referrals, "clients": clients})
