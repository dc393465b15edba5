"""A client's file, the actions on it, and emergency access ("break the glass").

Every action page is a form that calls one service through `run_service`: a refusal is shown
on the form with what was typed, a success is announced on the client file (post, redirect,
get). The client is always read through `client_get_for_user`, so a client the user may not
see is a 404 like a missing one, and that refused look is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from nas.accounts.decorators import permission_required
from nas.accounts.services import break_glass_minutes, emergency_access_grant
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.casework import forms as casework_forms
from nas.casework.models import ClientPeriod
from nas.casework.selectors import (
    client_for_emergency_access,
    client_get_for_user,
    client_person_id,
    emergency_access_valid,
)
from nas.casework.services import (
    assistance_end,
    child_admit,
    client_assign,
    client_readmit,
    client_set_restricted,
    exploitation_make_primary,
    exploitation_record,
    exploitation_remove,
    note_add,
    reflection_period_grant,
    residence_record,
    task_complete,
    task_create,
    victim_identify,
)
from nas.casework.timeline import client_file_load
from nas.common.errors import DomainError
from nas.common.views import VersionField, run_service
from nas.documents.selectors import client_documents
from nas.people.services import person_create

VIEW_CLIENTS = "casework.view_clientperiod"
GET_POST = require_http_methods(["GET", "POST"])


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


def visible_client(request: HttpRequest, client_id: int) -> ClientPeriod:
    """Return client CLIENT_ID if the user may see them; else audit the attempt and 404."""
    try:
        return client_get_for_user(user=request.user, client_id=client_id)
    except ClientPeriod.DoesNotExist:
        _audit_refused_read(request, client_id)
        raise Http404 from None


@permission_required(VIEW_CLIENTS)
@require_GET
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    """Show a client's file; every look is audited (one event), a refused one too."""
    try:
        file = client_file_load(user=request.user, client_id=client_id)
    except ClientPeriod.DoesNotExist:
        _audit_refused_read(request, client_id)
        raise Http404 from None
    client = file.client
    with transaction.atomic():
        audit_log(
            actor=request.user,
            kind=AuditEvent.Kind.READ,
            action="client.view",
            target=client,
            person_id=client.person_id,
            changes={"person_ids": file.person_ids},
        )
    context = {
        "file": file,
        "client": client,
        "emergency": emergency_access_valid(user=request.user, client=client),
        "documents": client_documents(client=client),
    }
    return render(request, "casework/client_detail.html", context)


# --- action pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionPage:
    """The words of an action page: its title, its one button and the message of success."""

    title: str | Promise
    button: str | Promise
    success: str | Promise
    lead: str | Promise = ""
    warning: bool = False


def form_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def client_action(
    request: HttpRequest,
    client: ClientPeriod,
    form: forms.Form,
    act: Callable[[], Any],
    page: ActionPage,
    *,
    details: Sequence[tuple[str | Promise, Any]] = (),
    redirect_to: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """Show FORM about CLIENT, or on a valid POST run ACT (a service call) and go back.

    A refusal is put on the form and the page shown again with what was typed (nothing was
    saved). Opening the page shows who the client is, so the GET is audited as a read.
    """
    if request.method == "POST" and form.is_valid():
        result = run_service(form, act)
        if not form.errors:
            messages.success(request, str(page.success))
            if redirect_to is not None:
                return redirect(redirect_to(result))
            return redirect("client_detail", client_id=client.pk)
    elif request.method == "GET":
        with transaction.atomic():
            audit_log(
                actor=request.user,
                kind=AuditEvent.Kind.READ,
                action="client.view",
                target=client,
                person_id=client.person_id,
                changes={"page": request.resolver_match.url_name if request.resolver_match else ""},
            )
    return render(
        request,
        "casework/client_action.html",
        {"client": client, "form": form, "page": page, "details": details},
    )


def _record(queryset: QuerySet[Any], pk: int) -> Any:
    """Return the row PK of QUERYSET (a record of the visible client), else 404."""
    return get_object_or_404(queryset, pk=pk)


class ConfirmForm(forms.Form):
    """No fields but the version of the record the page showed: the button confirms."""

    version = VersionField()


EXPLOITATION_ADD = ActionPage(
    _("Record a form of exploitation"),
    _("Record the form of exploitation"),
    _("The form of exploitation was recorded."),
)
EXPLOITATION_PRIMARY = ActionPage(
    _("Make this the primary form of exploitation"),
    _("Make it primary"),
    _("The primary form of exploitation was changed."),
    _("The current primary form becomes a secondary one."),
)
EXPLOITATION_REMOVE = ActionPage(
    _("Remove a form of exploitation"),
    _("Remove"),
    _("The form of exploitation was removed."),
    _("Remove a form only when it was recorded by mistake."),
    warning=True,
)


@permission_required("casework.add_exploitation")
@GET_POST
def client_exploitation_add(request: HttpRequest, client_id: int) -> HttpResponse:
    """Record a form of exploitation the client experienced."""
    client = visible_client(request, client_id)
    has_primary = client.exploitations.filter(is_primary=True).exists()
    form = casework_forms.ExploitationRecordForm(
        form_data(request), initial={"is_primary": not has_primary}
    )
    return client_action(
        request,
        client,
        form,
        lambda: exploitation_record(
            acting_user=request.user, client=client, **form.service_arguments()
        ),
        EXPLOITATION_ADD,
    )


def _exploitation_details(item: Any) -> list[tuple[str | Promise, Any]]:
    return [(_("Form of exploitation"), item.form), (_("Where"), item.get_place_display())]


@permission_required("casework.change_exploitation")
@GET_POST
def client_exploitation_primary(
    request: HttpRequest, client_id: int, exploitation_id: int
) -> HttpResponse:
    """Make a secondary form of exploitation the primary one."""
    client = visible_client(request, client_id)
    item = _record(client.exploitations.select_related("form", "client"), exploitation_id)
    form = ConfirmForm(form_data(request), initial={"version": item.version})
    return client_action(
        request,
        client,
        form,
        lambda: exploitation_make_primary(
            acting_user=request.user,
            exploitation=item,
            expected_version=form.cleaned_data["version"],
        ),
        EXPLOITATION_PRIMARY,
        details=_exploitation_details(item),
    )


@permission_required("casework.change_exploitation")
@GET_POST
def client_exploitation_remove(
    request: HttpRequest, client_id: int, exploitation_id: int
) -> HttpResponse:
    """Remove a form of exploitation recorded by mistake."""
    client = visible_client(request, client_id)
    item = _record(client.exploitations.select_related("form", "client"), exploitation_id)
    form = ConfirmForm(form_data(request), initial={"version": item.version})
    return client_action(
        request,
        client,
        form,
        lambda: exploitation_remove(
            acting_user=request.user,
            exploitation=item,
            expected_version=form.cleaned_data["version"],
        ),
        EXPLOITATION_REMOVE,
        details=_exploitation_details(item),
    )


@permission_required("casework.add_residencestatus")
@GET_POST
def client_residence_add(request: HttpRequest, client_id: int) -> HttpResponse:
    """Record the client's right of residence from a date on."""
    client = visible_client(request, client_id)
    form = casework_forms.ResidenceForm(form_data(request))
    return client_action(
        request,
        client,
        form,
        lambda: residence_record(acting_user=request.user, client=client, **form.cleaned_data),
        ActionPage(
            _("Record a right of residence"),
            _("Record the right of residence"),
            _("The right of residence was recorded."),
            _("The earlier rights of residence stay in the history."),
        ),
    )


@permission_required("casework.grant_reflection_period")
@GET_POST
def client_reflection_add(request: HttpRequest, client_id: int) -> HttpResponse:
    """Grant a reflection period, or record one the police or the Border Guard granted."""
    client = visible_client(request, client_id)
    form = casework_forms.ReflectionPeriodForm(form_data(request))
    return client_action(
        request,
        client,
        form,
        lambda: reflection_period_grant(
            acting_user=request.user, client=client, **form.cleaned_data
        ),
        ActionPage(
            _("Grant a reflection period"),
            _("Grant the reflection period"),
            _("The reflection period was recorded."),
            _("A reflection period lasts from 30 days to 6 months."),
        ),
    )


@permission_required("casework.identify_victim")
@GET_POST
def client_identify(request: HttpRequest, client_id: int) -> HttpResponse:
    """Formally identify a victim under the rule of July 2015 to 2022."""
    client = visible_client(request, client_id)
    form = casework_forms.IdentificationForm(form_data(request))
    return client_action(
        request,
        client,
        form,
        lambda: victim_identify(acting_user=request.user, client=client, **form.cleaned_data),
        ActionPage(
            _("Identify as a victim"),
            _("Identify the victim"),
            _("The client was identified as a victim."),
        ),
    )


@permission_required("casework.add_casenote")
@GET_POST
def client_note_add(request: HttpRequest, client_id: int) -> HttpResponse:
    """Add a dated note to the client's journal."""
    client = visible_client(request, client_id)
    form = casework_forms.NoteForm(form_data(request))
    return client_action(
        request,
        client,
        form,
        lambda: note_add(acting_user=request.user, client=client, **form.cleaned_data),
        ActionPage(_("Add a note"), _("Add the note"), _("The note was added.")),
    )


@permission_required("casework.add_task")
@GET_POST
def client_task_add(request: HttpRequest, client_id: int) -> HttpResponse:
    """Create a task with a deadline about the client."""
    client = visible_client(request, client_id)
    form = casework_forms.TaskForm(form_data(request))
    return client_action(
        request,
        client,
        form,
        lambda: task_create(acting_user=request.user, client=client, **form.cleaned_data),
        ActionPage(
            _("Create a task"),
            _("Create the task"),
            _("The task was created."),
            _("With nobody chosen, the task is yours."),
        ),
    )


@permission_required("casework.change_task")
@GET_POST
def client_task_complete(request: HttpRequest, client_id: int, task_id: int) -> HttpResponse:
    """Mark one of the client's tasks done."""
    client = visible_client(request, client_id)
    task = _record(client.tasks.all(), task_id)
    form = casework_forms.TaskCompleteForm(form_data(request), initial={"version": task.version})
    return client_action(
        request,
        client,
        form,
        lambda: task_complete(
            acting_user=request.user,
            task=task,
            date=form.cleaned_data["date"],
            expected_version=form.cleaned_data["version"],
        ),
        ActionPage(_("Complete a task"), _("Mark as done"), _("The task was marked done.")),
        details=[(_("Task"), task.title), (_("Due"), task.due)],
    )


@permission_required("casework.change_clientperiod")
@GET_POST
def client_assign_caseworker(request: HttpRequest, client_id: int) -> HttpResponse:
    """Make a caseworker responsible for the client."""
    client = visible_client(request, client_id)
    form = casework_forms.AssignForm(
        form_data(request), initial={"caseworker": client.caseworker_id, "version": client.version}
    )
    return client_action(
        request,
        client,
        form,
        lambda: client_assign(
            acting_user=request.user,
            client=client,
            caseworker=form.cleaned_data["caseworker"],
            expected_version=form.cleaned_data["version"],
        ),
        ActionPage(
            _("Assign a caseworker"),
            _("Assign"),
            _("The caseworker was assigned."),
            _("The caseworker is responsible for the client and always sees the client's file."),
        ),
    )


RESTRICT = ActionPage(
    _("Restrict access to this client"),
    _("Restrict access"),
    _("Access to the client was restricted."),
    _(
        "Only the assigned caseworker will see the client's file, and the files of the "
        "client's children; anyone else needs emergency access, which the auditor sees."
    ),
    warning=True,
)
UNRESTRICT = ActionPage(
    _("Remove the restriction"),
    _("Remove the restriction"),
    _("The restriction was removed."),
    _("The staff of the client's office will see the client's file again."),
)


@permission_required("casework.change_clientperiod")
@GET_POST
def client_restrict(request: HttpRequest, client_id: int) -> HttpResponse:
    """Restrict the client's file to the caseworker assigned, or lift the restriction."""
    client = visible_client(request, client_id)
    form = casework_forms.RestrictForm(
        form_data(request),
        initial={"restricted": "false" if client.restricted else "true", "version": client.version},
    )
    return client_action(
        request,
        client,
        form,
        lambda: client_set_restricted(
            acting_user=request.user,
            client=client,
            restricted=form.cleaned_data["restricted"],
            expected_version=form.cleaned_data["version"],
        ),
        UNRESTRICT if client.restricted else RESTRICT,
    )


def _admit_child(user: Any, parent: ClientPeriod, form: casework_forms.ChildForm) -> ClientPeriod:
    """Record the child and admit them with the parent: both or neither."""
    with transaction.atomic():
        person = person_create(acting_user=user, **form.person_fields())
        return child_admit(
            acting_user=user, parent=parent, person=person, admitted=form.cleaned_data["admitted"]
        )


@permission_required("casework.add_clientperiod")
@GET_POST
def client_child_add(request: HttpRequest, client_id: int) -> HttpResponse:
    """Admit an underage child who accompanies the client."""
    client = visible_client(request, client_id)
    form = casework_forms.ChildForm(form_data(request))
    return client_action(
        request,
        client,
        form,
        lambda: _admit_child(request.user, client, form),
        ActionPage(
            _("Admit a child of the client"),
            _("Admit the child"),
            _("The child was admitted."),
            _(
                "Only what is needed to count and serve the child is recorded: give the date "
                "or the year of birth."
            ),
        ),
    )


@permission_required("casework.end_assistance")
@GET_POST
def client_end(request: HttpRequest, client_id: int) -> HttpResponse:
    """End the client relationship, with the date and the reason."""
    client = visible_client(request, client_id)
    form = casework_forms.EndForm(form_data(request), initial={"version": client.version})
    return client_action(
        request,
        client,
        form,
        lambda: assistance_end(
            acting_user=request.user,
            client=client,
            date=form.cleaned_data["date"],
            reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
            expected_version=form.cleaned_data["version"],
        ),
        ActionPage(
            _("End assistance"),
            _("End assistance"),
            _("The assistance was ended."),
            _(
                "The client's open services and tasks close as of the end date, and the "
                "assistance of the client's children ends with it."
            ),
            warning=True,
        ),
    )


@permission_required("referrals.decide_admission")
@GET_POST
def client_readmission(request: HttpRequest, client_id: int) -> HttpResponse:
    """Re-admit a former client: record the re-referral and decide it positively."""
    client = visible_client(request, client_id)
    form = casework_forms.ReadmitForm(
        form_data(request), initial={"client_type": client.client_type}
    )
    return client_action(
        request,
        client,
        form,
        lambda: _readmit(request.user, client, form.cleaned_data),
        ActionPage(
            _("Re-admit the client"),
            _("Re-admit"),
            _("The client was re-admitted in a new client period."),
            _(
                "The re-referral is recorded and decided positively; the new client period "
                "begins on the decision date."
            ),
        ),
        redirect_to=lambda new: reverse("client_detail", args=[new.pk]),
    )


def _readmit(user: Any, previous: ClientPeriod, data: dict[str, Any]) -> ClientPeriod:
    return client_readmit(acting_user=user, previous=previous, **data)


# --- emergency access --------------------------------------------------------------------


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
