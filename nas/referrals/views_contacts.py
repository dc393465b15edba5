"""Log and list helpline contacts, anonymous consultations and training events.

These records name nobody. The one piece of personal data the pages can show is the
reference number of a referral linked to a contact or a consultation, shown only to those who
may see that referral, and each page showing one is audited (one event per page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nas.accounts.decorators import permission_required
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common.forms import is_key
from nas.common.views import run_service
from nas.referrals.choices import HelplineOutcome
from nas.referrals.forms_contacts import (
    ConsultationFilterForm,
    ConsultationForm,
    ConsultationLinkForm,
    HelplineContactForm,
    HelplineFilterForm,
    TrainingEventForm,
    TrainingFilterForm,
)
from nas.referrals.models import AnonymousConsultation, Referral
from nas.referrals.selectors_contacts import (
    consultations_visible_to,
    helpline_contacts_visible_to,
    referrals_among,
    training_events_visible_to,
)
from nas.referrals.services import (
    anonymous_consultation_link,
    anonymous_consultation_record,
    helpline_contact_record,
    training_event_record,
)

PAGE_SIZE = 50
FORM_TEMPLATE = "referrals/contacts/record_form.html"


# --- helpline -----------------------------------------------------------------------------


@permission_required("referrals.view_helplinecontact")
@require_GET
def helpline_list(request: HttpRequest) -> HttpResponse:
    """List the helpline contacts, newest first, with the totals of the filtered period."""
    form = HelplineFilterForm(request.GET)
    form.is_valid()
    contacts = form.apply(helpline_contacts_visible_to(user=request.user))
    totals = contacts.aggregate(
        total=Count("pk"),
        advice=Count("pk", filter=Q(outcome=HelplineOutcome.ADVICE)),
        referral_made=Count("pk", filter=Q(outcome=HelplineOutcome.REFERRAL_MADE)),
    )
    page = _page(request, contacts)
    rows = _with_linked_referrals(request, page.object_list, "helpline.list")
    context = {"form": form, "totals": totals, "page": page, "rows": rows}
    return render(request, "referrals/contacts/helpline_list.html", context)


@permission_required("referrals.add_helplinecontact")
@require_http_methods(["GET", "POST"])
def helpline_add(request: HttpRequest) -> HttpResponse:
    """Record a helpline contact; "Save and add another" comes back to an empty form."""
    return _record_page(
        request,
        HelplineContactForm(_posted(request), user=request.user),
        lambda data: helpline_contact_record(
            acting_user=request.user,
            date=data["date"],
            caller_type=data["caller_type"],
            language=data["language"],
            topic=data["topic"],
            outcome=data["outcome"],
            referral=data["referral"],
        ),
        RecordPage(
            _("Record a helpline contact"),
            _("The helpline contact was recorded."),
            "contacts:helpline",
            _("Helpline contacts"),
            another="contacts:helpline_add",
        ),
    )


# --- anonymous consultations --------------------------------------------------------------


@permission_required("referrals.view_anonymousconsultation")
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    """List the consultations the user may see, newest first, with the period's totals."""
    form = ConsultationFilterForm(request.GET)
    form.is_valid()
    consultations = form.apply(consultations_visible_to(user=request.user))
    totals = consultations.aggregate(
        total=Count("pk"),
        declined=Count("pk", filter=Q(adult_declined_referral=True)),
        linked=Count("pk", filter=Q(referral__isnull=False)),
    )
    page = _page(request, consultations)
    rows = _with_linked_referrals(request, page.object_list, "consultation.list")
    context = {"form": form, "totals": totals, "page": page, "rows": rows}
    return render(request, "referrals/contacts/consultation_list.html", context)


@permission_required("referrals.add_anonymousconsultation")
@require_http_methods(["GET", "POST"])
def consultation_add(request: HttpRequest) -> HttpResponse:
    """Record an anonymous consultation."""
    return _record_page(
        request,
        ConsultationForm(_posted(request), user=request.user),
        lambda data: anonymous_consultation_record(
            acting_user=request.user,
            date=data["date"],
            office=data["office"],
            contact_type=data["contact_type"],
            channel=data["channel"],
            topic=data["topic"],
            adult_declined_referral=data["adult_declined_referral"],
        ),
        RecordPage(
            _("Record an anonymous consultation"),
            _("The consultation was recorded."),
            "contacts:consultations",
            _("Anonymous consultations"),
        ),
    )


@permission_required("referrals.change_anonymousconsultation")
@require_http_methods(["GET", "POST"])
def consultation_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a consultation the user may see to a referral they may see that followed it."""
    if not is_key(pk):
        raise Http404
    consultation = get_object_or_404(consultations_visible_to(user=request.user), pk=pk)
    form = ConsultationLinkForm(_posted(request), user=request.user)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["linked"] != consultation.referral_id:
            form.add_error(
                None,
                _(
                    "Someone else linked this consultation to a referral meanwhile. "
                    "Check the link shown below before changing it."
                ),
            )
        elif _link(request, form, consultation):
            messages.success(request, _("The consultation was linked to the referral."))
            return redirect("contacts:consultations")
    [(_shown, linked)] = _with_linked_referrals(
        request, [consultation], "consultation.view", target=consultation
    )
    context = {"form": form, "consultation": consultation, "linked": linked}
    return render(request, "referrals/contacts/consultation_link.html", context)


def _link(
    request: HttpRequest, form: ConsultationLinkForm, consultation: AnonymousConsultation
) -> bool:
    """Link CONSULTATION to the referral of FORM; False when the service refused."""
    linked = run_service(
        form,
        lambda: anonymous_consultation_link(
            acting_user=request.user,
            consultation=consultation,
            referral=form.cleaned_data["referral"],
        ),
    )
    return linked is not None


# --- training events ----------------------------------------------------------------------


@permission_required("referrals.view_trainingevent")
@require_GET
def training_list(request: HttpRequest) -> HttpResponse:
    """List the training events, newest first, with events and participants of the period."""
    form = TrainingFilterForm(request.GET)
    form.is_valid()
    events = form.apply(training_events_visible_to(user=request.user))
    totals = events.aggregate(total=Count("pk"), participants=Sum("participants"))
    context = {"form": form, "totals": totals, "page": _page(request, events)}
    return render(request, "referrals/contacts/training_list.html", context)


@permission_required("referrals.add_trainingevent")
@require_http_methods(["GET", "POST"])
def training_add(request: HttpRequest) -> HttpResponse:
    """Record a training event held for stakeholders."""
    return _record_page(
        request,
        TrainingEventForm(_posted(request), user=request.user),
        lambda data: training_event_record(
            acting_user=request.user,
            date=data["date"],
            title=data["title"],
            audience=data["audience"],
            participants=data["participants"],
            office=data["office"],
        ),
        RecordPage(
            _("Record a training event"),
            _("The training event was recorded."),
            "contacts:training",
            _("Training events"),
        ),
    )


# --- helpers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordPage:
    """The words and places of a page that records a contact."""

    title: Any
    done: Any
    list_url: str
    list_label: Any
    # The form again for the next record ("Save and add another"), if the page offers it.
    another: str | None = None


def _record_page(
    request: HttpRequest,
    form: forms.Form,
    record: Callable[[dict[str, Any]], Any],
    page: RecordPage,
) -> HttpResponse:
    """Show FORM; once valid, RECORD its data through the service and go to the list."""
    if form.is_bound and form.is_valid() and run_service(form, lambda: record(form.cleaned_data)):
        messages.success(request, page.done)
        if page.another and "another" in request.POST:
            return redirect(page.another)
        return redirect(page.list_url)
    context = {
        "form": form,
        "title": page.title,
        "list_url": page.list_url,
        "list_label": page.list_label,
        "another": page.another is not None,
    }
    return render(request, FORM_TEMPLATE, context)


def _posted(request: HttpRequest) -> Any:
    """Return the POSTed data to bind a form to, or None on a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, rows: QuerySet[Any]) -> Page:
    """Return the requested page of ROWS, newest first, read now."""
    page = Paginator(rows.order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return page


def _with_linked_referrals(
    request: HttpRequest, rows: Iterable[Any], action: str, target: Model | None = None
) -> Sequence[tuple[Any, Referral | None]]:
    """Pair each of ROWS with its linked referral when the user may see it, else None.

    The reference numbers shown are a read of those persons' data: audited as ACTION.
    """
    rows = list(rows)
    visible = referrals_among(user=request.user, referral_ids=[r.referral_id for r in rows])
    person_ids = sorted({referral.person_id for referral in visible.values()})
    if person_ids:
        with transaction.atomic():
            audit_log(
                actor=request.user,
                kind=AuditEvent.Kind.READ,
                action=action,
                target=target,
                changes={"person_ids": person_ids},
            )
    return [(row, visible.get(row.referral_id)) for row in rows]
