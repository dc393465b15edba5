"""The referral screens: inbox, intake, the referral and its assessment, decision and letter.

Every page that shows a person's data records one read in the audit log; a referral the user
may not see is a 404, the same as a missing one, and the refused look is audited too. Changes
go through the services (`run_service` puts a refusal on the form, with what was typed kept).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nas.accounts.decorators import permission_required
from nas.accounts.models import User
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.casework.models import Task
from nas.common.dates import today
from nas.common.forms import is_key
from nas.common.pagination import KeysFirstPaginator
from nas.common.views import render_partial, run_service
from nas.people.nationalities import nationality_name
from nas.people.services import person_create
from nas.referrals.choices import Outcome, ReferralStatus, Urgency
from nas.referrals.forms import (
    OPEN,
    OPEN_STATUSES,
    AssignForm,
    DecisionForm,
    InboxFilterForm,
    ReferralIntakeForm,
    StartAssessmentForm,
    WithdrawForm,
    inbox_order,
)
from nas.referrals.letters import LETTER_LANGUAGES, letter_html, letter_language, letter_pdf
from nas.referrals.models import AdmissionDecision, Referral
from nas.referrals.selectors import referrals_visible_to
from nas.referrals.services import (
    admission_decide,
    referral_assign,
    referral_receive,
    referral_start_assessment,
    referral_withdraw,
)

VIEW = "referrals.view_referral"
ADD = "referrals.add_referral"
CHANGE = "referrals.change_referral"
DECIDE = "referrals.decide_admission"

PAGE_SIZE = 50
# An open referral older than this many days is marked in the inbox: a decision is overdue.
LONG_OPEN_DAYS = 21

STATUS_TAGS = {
    ReferralStatus.RECEIVED: "tag",
    ReferralStatus.UNDER_ASSESSMENT: "tag tag--yellow",
    ReferralStatus.DECIDED: "tag tag--green",
    ReferralStatus.WITHDRAWN: "tag tag--grey",
}
URGENCY_TAGS = {Urgency.URGENT: "tag tag--urgent", Urgency.IMMEDIATE_DANGER: "tag tag--red"}

# What the related rows of a referral's pages need, besides what the selector joins.
DETAIL_RELATED = (
    "organisation",
    "decision",
    "decision__negative_reason",
    "decision__decided_by",
    "client_period",
)


def _audit_read(user: Any, action: str, **fields: Any) -> None:
    """Record one read of personal data (one event per page)."""
    with transaction.atomic():
        audit_log(actor=user, kind=AuditEvent.Kind.READ, action=action, **fields)


def _audit_referral_read(user: Any, referral: Referral, action: str = "referral.view") -> None:
    _audit_read(user, action, target=referral, person_id=referral.person_id)


def _visible_referral(request: HttpRequest, referral_id: int) -> Referral:
    """Return the referral if the user may see it; else audit the refused look and 404."""
    if not is_key(referral_id):
        raise Http404
    try:
        return (
            referrals_visible_to(user=request.user)
            .select_related(*DETAIL_RELATED)
            .get(pk=referral_id)
        )
    except Referral.DoesNotExist:
        # Whose referral it was (if it exists) goes into the log, never to the user.
        person_id = (
            Referral.objects.filter(pk=referral_id).values_list("person_id", flat=True).first()
        )
        _audit_read(
            request.user,
            "referral.view_denied",
            target=Referral(pk=referral_id),
            person_id=person_id,
        )
        raise Http404 from None


def _decision(referral: Referral) -> AdmissionDecision | None:
    decision: AdmissionDecision | None = getattr(referral, "decision", None)
    return decision


# --- the inbox ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxRow:
    """A referral of the inbox with the days it has been open (None when closed)."""

    referral: Referral
    age_days: int | None

    @property
    def overdue(self) -> bool:
        return self.age_days is not None and self.age_days > LONG_OPEN_DAYS

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS[ReferralStatus(self.referral.status)]

    @property
    def urgency_tag(self) -> str:
        return URGENCY_TAGS.get(Urgency(self.referral.urgency), "")


def _inbox_row(referral: Referral, on: dt.date) -> InboxRow:
    is_open = referral.status in OPEN_STATUSES
    return InboxRow(referral, (on - referral.received).days if is_open else None)


@permission_required(VIEW)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """List the referrals the user may see, filtered, open ones first and oldest first.

    Without a status in the query the inbox shows the open referrals: the work waiting,
    and a page whose cost does not grow with the years of closed referrals behind it
    (docs/benchmarks.md). "Any status" lists them all.
    """
    data = request.GET.copy()
    data.setdefault("status", OPEN)
    form = InboxFilterForm(data)
    # A wrong field is explained on the page; the valid ones still narrow the list.
    form.is_valid()
    referrals = form.apply(referrals_visible_to(user=request.user))
    page = KeysFirstPaginator(inbox_order(referrals), PAGE_SIZE).get_page(request.GET.get("page"))
    on = today()
    rows = [_inbox_row(referral, on) for referral in page.object_list]
    person_ids = sorted({row.referral.person_id for row in rows})
    if person_ids:
        _audit_read(
            request.user,
            "referral.list",
            changes={"person_ids": person_ids, "page": page.number},
        )
    context = {"form": form, "page": page, "rows": rows}
    return render_partial(request, "referrals/inbox.html", context, "referrals/_inbox_results.html")


# --- intake -------------------------------------------------------------------------------


@permission_required(ADD)
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    """Record a referral taken by phone, e-mail or letter, with the person it concerns."""
    data = request.POST if request.method == "POST" else None
    form = ReferralIntakeForm(data, user=request.user)
    if form.is_bound and form.is_valid():

        def receive() -> Referral:
            # The person and the referral are saved together or not at all.
            with transaction.atomic():
                person = person_create(acting_user=request.user, **form.person_values())
                return referral_receive(
                    acting_user=request.user, person=person, **form.referral_values()
                )

        referral = run_service(form, receive)
        if referral is not None:
            messages.success(
                request,
                _("Referral recorded. Its reference number is %(ref)s.") % {"ref": referral.ref},
            )
            if referrals_visible_to(user=request.user).filter(pk=referral.pk).exists():
                return redirect("referrals:detail", referral_id=referral.pk)
            return redirect("referrals:inbox")
    return render(request, "referrals/new.html", {"form": form})


# --- the referral and its assessment ------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """A step in a referral's life, as the audit log recorded it."""

    occurred_at: dt.datetime
    label: str
    actor: str
    detail: str = ""


def _history_labels() -> dict[str, str]:
    return {
        "referral.receive": _("Referral recorded"),
        "referral.start_assessment": _("Assessment started"),
        "referral.assign": _("Caseworker assigned"),
        "referral.withdraw": _("Referral withdrawn"),
        "referral.decide": _("Admission decided"),
    }


def _name(user: User | None) -> str:
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()


def _history(referral: Referral) -> list[HistoryEntry]:
    """Return the steps of REFERRAL from the audit log, oldest first (a fixed few queries).

    The log keeps who did what and when; the referral keeps only its present state. The
    events are found through the person index, then narrowed to this referral.
    """
    labels = _history_labels()
    events = list(
        AuditEvent.objects.filter(
            person_id=referral.person_id,
            object_type=Referral._meta.label_lower,
            object_id=str(referral.pk),
            action__in=list(labels),
        )
        .select_related("actor")
        .order_by("seq")
    )

    def assignee(event: AuditEvent) -> int | None:
        value = event.changes.get("assigned_to")
        value = value[-1] if isinstance(value, list) and value else value
        return value if isinstance(value, int) else None

    ids = {pk for pk in map(assignee, events) if pk is not None}
    users = {user.pk: user for user in User.objects.filter(pk__in=ids)} if ids else {}
    entries = []
    for event in events:
        pk = assignee(event)
        detail = _("To %(name)s") % {"name": _name(users.get(pk))} if pk is not None else ""
        actor = _name(event.actor) if event.actor else event.actor_label
        entries.append(HistoryEntry(event.occurred_at, labels[event.action], actor, detail))
    return entries


def _versioned(form_class: type[forms.Form], record: Referral, **kwargs: Any) -> Any:
    """Return an unbound FORM_CLASS opened on the record's current version."""
    return form_class(initial={"version": record.version}, **kwargs)


def _render_detail(
    request: HttpRequest,
    referral: Referral,
    *,
    start_form: StartAssessmentForm | None = None,
    assign_form: AssignForm | None = None,
) -> HttpResponse:
    """Show the referral (with a refused action's form, if any) and audit the read."""
    person = referral.person
    is_open = referral.status in OPEN_STATUSES
    context = {
        "referral": referral,
        "person": person,
        "nationalities": [nationality_name(code) for code in person.nationalities],
        "decision": _decision(referral),
        "client_period": getattr(referral, "client_period", None),
        "is_open": is_open,
        "age_days": (today() - referral.received).days if is_open else None,
        "status_tag": STATUS_TAGS[ReferralStatus(referral.status)],
        "urgency_tag": URGENCY_TAGS.get(Urgency(referral.urgency), ""),
        "history": _history(referral),
        "tasks": list(
            Task.objects.filter(referral=referral).select_related("assigned_to").order_by("due")
        ),
        "start_form": start_form or _versioned(StartAssessmentForm, referral, prefix="start"),
        "assign_form": assign_form
        or _versioned(AssignForm, referral, prefix="assign", referral=referral),
        "letter_languages": LETTER_LANGUAGES,
    }
    _audit_referral_read(request.user, referral)
    return render(request, "referrals/detail.html", context)


@permission_required(VIEW)
@require_GET
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Show a referral, the person, its history and tasks, and the next steps."""
    return _render_detail(request, _visible_referral(request, referral_id))


@permission_required(CHANGE)
@require_POST
def referral_start_assessment_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Move a received referral under assessment."""
    referral = _visible_referral(request, referral_id)
    form = StartAssessmentForm(request.POST, prefix="start")
    if form.is_valid():
        done = run_service(
            form,
            lambda: referral_start_assessment(
                acting_user=request.user,
                referral=referral,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if done is not None:
            messages.success(request, _("The assessment has started."))
            return redirect("referrals:detail", referral_id=referral.pk)
    # The service may have changed the copy in memory before refusing: show the stored one.
    return _render_detail(request, _visible_referral(request, referral_id), start_form=form)


@permission_required(CHANGE)
@require_POST
def referral_assign_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Make a caseworker of the referral's office responsible for it."""
    referral = _visible_referral(request, referral_id)
    form = AssignForm(request.POST, prefix="assign", referral=referral)
    if form.is_valid():
        assignee = form.cleaned_data["assigned_to"]
        done = run_service(
            form,
            lambda: referral_assign(
                acting_user=request.user,
                referral=referral,
                assigned_to=assignee,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("%(name)s is now responsible for the referral.") % {"name": _name(assignee)},
            )
            return redirect("referrals:detail", referral_id=referral.pk)
    return _render_detail(request, _visible_referral(request, referral_id), assign_form=form)


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def referral_withdraw_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Record that a referral was withdrawn, with the date and the reason."""
    referral = _visible_referral(request, referral_id)
    if request.method != "POST":
        form = _versioned(WithdrawForm, referral)
    else:
        form = WithdrawForm(request.POST)
        if form.is_valid():
            done = run_service(
                form,
                lambda: referral_withdraw(
                    acting_user=request.user,
                    referral=referral,
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                ),
            )
            if done is not None:
                messages.success(request, _("The referral was recorded as withdrawn."))
                return redirect("referrals:detail", referral_id=referral.pk)
        referral = _visible_referral(request, referral_id)
    _audit_referral_read(request.user, referral)
    return render(request, "referrals/withdraw.html", {"referral": referral, "form": form})


# --- the admission decision and its letter ------------------------------------------------


@permission_required(DECIDE)
@require_http_methods(["GET", "POST"])
def referral_decide(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Sign the admission decision on a referral under assessment."""
    referral = _visible_referral(request, referral_id)
    if request.method != "POST":
        form = DecisionForm(referral=referral)
    else:
        form = DecisionForm(request.POST, referral=referral)
        if form.is_valid():
            decision = run_service(
                form,
                lambda: admission_decide(
                    acting_user=request.user,
                    referral=referral,
                    expected_version=form.cleaned_data["version"],
                    **form.decision_values(),
                ),
            )
            if decision is not None:
                if decision.outcome == Outcome.POSITIVE:
                    message = _("Decision recorded: %(ref)s is admitted as a client.")
                else:
                    message = _("Decision recorded: %(ref)s is not admitted.")
                messages.success(request, message % {"ref": referral.ref})
                return redirect("referrals:detail", referral_id=referral.pk)
        referral = _visible_referral(request, referral_id)
    _audit_referral_read(request.user, referral)
    context = {
        "referral": referral,
        "form": form,
        "decidable": referral.status == ReferralStatus.UNDER_ASSESSMENT or form.is_bound,
    }
    return render(request, "referrals/decide.html", context)


def _decided_referral(request: HttpRequest, referral_id: int) -> tuple[Referral, AdmissionDecision]:
    referral = _visible_referral(request, referral_id)
    decision = _decision(referral)
    if decision is None:
        raise Http404
    return referral, decision


@permission_required(VIEW)
@require_GET
def referral_letter(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Show the decision letter in the language asked for (?lang=fi|sv|en)."""
    referral, decision = _decided_referral(request, referral_id)
    language = letter_language(request.GET.get("lang"))
    body = letter_html(referral, decision, language)
    _audit_read(
        request.user,
        "referral.letter.view",
        target=referral,
        person_id=referral.person_id,
        changes={"language": language},
    )
    context = {
        "referral": referral,
        "language": language,
        "letter": body,
        "letter_languages": LETTER_LANGUAGES,
    }
    return render(request, "referrals/letter.html", context)


@permission_required(VIEW)
@require_GET
def referral_letter_pdf(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Download the decision letter as a PDF in the language asked for."""
    referral, decision = _decided_referral(request, referral_id)
    language = letter_language(request.GET.get("lang"))
    with transaction.atomic():
        content = letter_pdf(referral, decision, language)
        audit_log(
            actor=request.user,
            kind=AuditEvent.Kind.EXPORT,
            action="referral.letter.download",
            target=referral,
            person_id=referral.person_id,
            changes={"language": language, "format": "pdf"},
        )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"decision-{referral.ref}-{language}-{timezone.localdate().isoformat()}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response
