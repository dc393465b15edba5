"""The auditor's screens: who accessed a person's data, what a user accessed, and exports."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nas.accounts.decorators import permission_required
from nas.audit.exports import csv_text
from nas.audit.forms import (
    PersonAccessExportForm,
    PersonAccessForm,
    UserActivityExportForm,
    UserActivityForm,
)
from nas.audit.models import AuditEvent
from nas.audit.selectors import VIEW_PERMISSION, events_about_person, events_by_actor
from nas.audit.services import audit_log

PAGE_SIZE = 50


@permission_required(VIEW_PERMISSION)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Offer the auditor's two questions."""
    return render(request, "audit/index.html")


@permission_required(VIEW_PERMISSION)
@require_GET
def person_access(request: HttpRequest) -> HttpResponse:
    """List who has accessed one person's data, newest first."""
    form = PersonAccessForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        person = form.cleaned_data["person"]
        filters = form.filters()
        events = events_about_person(user=request.user, person_id=person.id, filters=filters)
        page = _page(request, events)
        _audit_read(request, "audit.person_access", page, person_id=person.id, filters=filters)
        context.update(person=person, page=page, searched=True)
    return render(request, "audit/person_access.html", context)


@permission_required(VIEW_PERMISSION)
@require_GET
def user_activity(request: HttpRequest) -> HttpResponse:
    """List what one user has accessed or done, newest first."""
    form = UserActivityForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        actor = form.cleaned_data["username"]
        filters = form.filters()
        events = events_by_actor(user=request.user, actor=actor, filters=filters)
        page = _page(request, events)
        _audit_read(request, "audit.user_activity", page, target=actor, filters=filters)
        context.update(actor=actor, page=page, searched=True)
    return render(request, "audit/user_activity.html", context)


@permission_required(VIEW_PERMISSION)
@require_http_methods(["GET", "POST"])
def person_access_export(request: HttpRequest) -> HttpResponse:
    """Export who has accessed one person's data (for their access request), with a purpose."""
    if request.method != "POST":
        form = PersonAccessExportForm(initial=request.GET.dict())
    else:
        form = PersonAccessExportForm(request.POST)
        if form.is_valid():
            person = form.cleaned_data["person"]
            events = events_about_person(
                user=request.user, person_id=person.id, filters=form.filters()
            )
            rows = [_person_access_row(event) for event in events.iterator(chunk_size=2000)]
            document = {"person": {"id": person.id, "reference": person.ref}}
            name = f"audit-person-{person.ref or person.id}"
            return _export(
                request,
                form,
                _PERSON_COLUMNS,
                rows,
                document,
                name,
                action="audit.person_access.export",
                person_id=person.id,
            )
    return _export_page(request, form, _("Export who has accessed a person's data"))


@permission_required(VIEW_PERMISSION)
@require_http_methods(["GET", "POST"])
def user_activity_export(request: HttpRequest) -> HttpResponse:
    """Export what one user has accessed or done, with a purpose."""
    if request.method != "POST":
        form = UserActivityExportForm(initial=request.GET.dict())
    else:
        form = UserActivityExportForm(request.POST)
        if form.is_valid():
            actor = form.cleaned_data["username"]
            events = events_by_actor(user=request.user, actor=actor, filters=form.filters())
            rows = [_user_activity_row(event) for event in events.iterator(chunk_size=2000)]
            document = {"user": {"username": actor.get_username()}}
            name = f"audit-user-{actor.pk}"
            return _export(
                request,
                form,
                _USER_COLUMNS,
                rows,
                document,
                name,
                action="audit.user_activity.export",
                target=actor,
            )
    return _export_page(request, form, _("Export what a user has accessed"))


# --- helpers ------------------------------------------------------------------------------


def _page(request: HttpRequest, events: QuerySet[AuditEvent]) -> Page:
    """Return the requested page of EVENTS, read now (before the read itself is audited)."""
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return page


def _audit_read(request: HttpRequest, action: str, page: Page, **fields: Any) -> None:
    """Record that the auditor looked at a page of the log."""
    filters = fields.pop("filters")
    with transaction.atomic():
        audit_log(
            actor=request.user,
            kind=AuditEvent.Kind.READ,
            action=action,
            changes={**filters.as_record(), "page": page.number},
            **fields,
        )


def _time(event: AuditEvent) -> str:
    return timezone.localtime(event.occurred_at).isoformat(timespec="seconds")


def _person_access_row(event: AuditEvent) -> dict[str, Any]:
    return {
        "time": _time(event),
        "user": event.actor_label,
        "kind": event.kind,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
    }


def _user_activity_row(event: AuditEvent) -> dict[str, Any]:
    return {
        "time": _time(event),
        "kind": event.kind,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "person_ids": [link.person_id for link in event.person_links.all()],
    }


_PERSON_COLUMNS = ("time", "user", "kind", "action", "object_type", "object_id")
_USER_COLUMNS = ("time", "kind", "action", "object_type", "object_id", "person_ids")

_COLUMN_TITLES: dict[str, Callable[[], str]] = {
    "time": lambda: _("Time"),
    "user": lambda: _("User"),
    "kind": lambda: _("Kind"),
    "action": lambda: _("Action"),
    "object_type": lambda: _("Object type"),
    "object_id": lambda: _("Object id"),
    "person_ids": lambda: _("Person numbers"),
}


def _export(
    request: HttpRequest,
    form: PersonAccessExportForm | UserActivityExportForm,
    columns: tuple[str, ...],
    rows: list[dict[str, Any]],
    document: dict[str, Any],
    name: str,
    **audited: Any,
) -> HttpResponse:
    """Record the export with its purpose, then return ROWS as a CSV or JSON download."""
    filters = form.filters().as_record()
    file_format = form.cleaned_data["format"]
    with transaction.atomic():
        audit_log(
            actor=request.user,
            kind=AuditEvent.Kind.EXPORT,
            changes={**filters, "format": file_format, "rows": len(rows)},
            reason=form.cleaned_data["purpose"],
            **audited,
        )
    exported_at = timezone.localtime().isoformat(timespec="seconds")
    if file_format == "json":
        body = {**document, "filters": filters, "exported_at": exported_at, "events": rows}
        content = json.dumps(body, ensure_ascii=False, indent=2)
        content_type = "application/json"
    else:
        content = "\ufeff" + csv_text(  # the byte order mark tells spreadsheets it is UTF-8
            [_COLUMN_TITLES[column]() for column in columns],
            ([_csv_value(row[column]) for column in columns] for row in rows),
        )
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    filename = f"{name}-{timezone.localdate().isoformat()}.{file_format}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def _csv_value(value: Any) -> Any:
    return " ".join(str(item) for item in value) if isinstance(value, list) else value


def _export_page(
    request: HttpRequest, form: PersonAccessExportForm | UserActivityExportForm, title: str
) -> HttpResponse:
    return render(request, "audit/export.html", {"form": form, "title": title})
