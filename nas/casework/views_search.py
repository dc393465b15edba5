"""Find a client: a search form over the clients the user may see, paginated, with htmx."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Page
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from nas.accounts.decorators import permission_required
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.casework.choices import ClientStatus
from nas.casework.models import ClientPeriod, Exploitation, ExploitationForm
from nas.casework.selectors import clients_visible_to
from nas.common.forms import DateInput
from nas.common.models import Office
from nas.common.pagination import KeysFirstPaginator
from nas.common.views import render_partial
from nas.people.nationalities import nationality_choices, nationality_name
from nas.people.selectors import name_condition

PAGE_SIZE = 50
ME = "me"


class ClientSearchForm(forms.Form):
    """What a client is searched by; every field is optional."""

    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Whole names or aliases: “anna” finds Anna-Maria, “ann” does not."),
    )
    reference = forms.CharField(label=_("Reference number"), required=False, max_length=40)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
    )
    # A callable: the country names are listed in the language of each request.
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        choices=lambda: [("", _("Any")), *nationality_choices()],
    )
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.all(), required=False, empty_label=_("Any")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *ClientStatus.choices]
    )
    exploitation = forms.ModelChoiceField(
        label=_("Form of exploitation"),
        queryset=ExploitationForm.objects.all(),
        required=False,
        empty_label=_("Any"),
    )
    caseworker = forms.ChoiceField(
        label=_("Caseworker"), required=False, choices=[("", _("Anyone")), (ME, _("Me"))]
    )

    def used_filters(self) -> list[str]:
        """Return the names of the fields given a value (what the audit log records)."""
        return sorted(name for name, value in self.cleaned_data.items() if value)


def search_clients(user: Any, data: dict[str, Any]) -> QuerySet[ClientPeriod]:
    """Return the clients USER may see that match DATA (ClientSearchForm's cleaned data)."""
    clients = clients_visible_to(user=user)
    if data["name"]:
        # The clients are those USER may see, so their persons are too: only the names are
        # compared (a second visibility check of the persons cost 60-90 ms a search at
        # 1,000,000 referrals on SQLite, docs/benchmarks.md).
        clients = clients.filter(name_condition(data["name"], prefix="person__"))
    if data["reference"]:
        ref = data["reference"].strip().upper()
        clients = clients.filter(Q(person__ref=ref) | Q(referral__ref=ref))
    if born := data["date_of_birth"]:
        # A person known only by the year of birth may be the one sought.
        clients = clients.filter(
            Q(person__date_of_birth=born)
            | Q(person__date_of_birth__isnull=True, person__birth_year=born.year)
        )
    if data["nationality"]:
        # Nationalities are a JSON list of codes; a quoted code matches one whole entry.
        clients = clients.filter(person__nationalities__icontains=f'"{data["nationality"]}"')
    if data["office"]:
        clients = clients.filter(office=data["office"])
    if data["status"]:
        clients = clients.filter(status=data["status"])
    if data["exploitation"]:
        forms_of = Exploitation.objects.filter(client=OuterRef("pk"), form=data["exploitation"])
        clients = clients.filter(Exists(forms_of))
    if data["caseworker"] == ME:
        clients = clients.filter(caseworker_id=user.pk)
    return clients.order_by("-admitted", "-id")


def my_active_clients(user: Any) -> QuerySet[ClientPeriod]:
    """Return the active clients whose caseworker USER is: what an empty search shows."""
    return (
        clients_visible_to(user=user)
        .filter(caseworker_id=user.pk, status=ClientStatus.ACTIVE)
        .order_by("-admitted", "-id")
    )


def _audit_search(request: HttpRequest, page: Page, filters: list[str]) -> None:
    """Record the persons shown and which filters were used, never the terms themselves."""
    person_ids = sorted({client.person_id for client in page.object_list})
    if not person_ids:
        return
    with transaction.atomic():
        audit_log(
            actor=request.user,
            kind=AuditEvent.Kind.READ,
            action="client.search",
            changes={"person_ids": person_ids, "filters": filters, "page": page.number},
        )


@permission_required("casework.view_clientperiod")
@require_GET
def client_search(request: HttpRequest) -> HttpResponse:
    """Search the clients the user may see; an empty search lists the user's active clients."""
    form = ClientSearchForm(request.GET)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        filters = form.used_filters()
        if filters:
            clients = search_clients(request.user, form.cleaned_data)
        else:
            clients = my_active_clients(request.user)
        page = KeysFirstPaginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
        _audit_search(request, page, filters)
        rows = [
            (client, ", ".join(nationality_name(code) for code in client.person.nationalities))
            for client in page.object_list
        ]
        context.update(page=page, rows=rows, searched=bool(filters))
    return render_partial(
        request, "casework/client_search.html", context, "casework/_client_results.html"
    )
