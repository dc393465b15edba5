"""The signed-in home page, a client's summary and emergency access ("break the glass")."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from nas.accounts.decorators import permission_required, verified_login_required
from nas.accounts.services import break_glass_minutes, emergency_access_grant
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.casework.choices import ClientStatus
from nas.casework.models import ClientPeriod
from nas.casework.selectors import (
    client_for_emergency_access,
    client_get_for_user,
    client_person_id,
    clients_visible_to,
    emergency_access_valid,
)
from nas.common.errors import DomainError
from nas.referrals.choices import ReferralStatus
from nas.referrals.selectors import referrals_visible_to

HOME_ROWS = 50
VIEW_CLIENTS = "casework.view_clientperiod"


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


def _audit_refused_read(request: HttpRequest, client_id: int) -> None:
    """Audit a refused look at client CLIENT_ID (absent or not permitted: the same 404)."""
    with transaction.atomic():
        audit_log(
            actor=request.user,
            kind=AuditEvent.Kind.READ,
            action="client.view_denied",
            target=ClientPeriod(pk=client_id),
            person_id=client_person_id(client_id),
        )


@permission_required(VIEW_CLIENTS)
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    """Show a client's summary; every look is audited, a refused one too."""
    try:
        client = client_get_for_user(user=request.user, client_id=client_id)
    except ClientPeriod.DoesNotExist:
        _audit_refused_read(request, client_id)
        raise Http404 from None
    with transaction.atomic():
        audit_log(
            actor=request.user,
            kind=AuditEvent.Kind.READ,
            action="client.view",
            target=client,
            person_id=client.person_id,
        )
    emergency = emergency_access_valid(user=request.user, client=client)
    return render(
        request, "casework/client_detail.html", {"client": client, "emergency": emergency}
    )


class BreakGlassForm(forms.Form):
    """The written reason for emergency access (the service checks its length)."""

    reason = forms.CharField(
        label=_("Why do you need access to this client now?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@permission_required(VIEW_CLIENTS)
@require_http_methods(["GET", "POST"])
def client_break_glass(request: HttpRequest, client_id: int) -> HttpResponse:
    """Ask for time-limited emergency access to a client one cannot otherwise see."""
    try:
        client = client_for_emergency_access(client_id=client_id)
    except ClientPeriod.DoesNotExist:
        raise Http404 from None
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            emergency_access_grant(
                acting_user=request.user, client=client, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error("reason" if error.field == "reason" else None, str(error.message))
        else:
            return redirect("client_detail", client_id=client.pk)
    return render(
        request,
        "casework/break_glass.html",
        {"form": form, "client_id": client.pk, "minutes": break_glass_minutes()},
    )
