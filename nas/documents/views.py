"""Add a document to a client's file, and download one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nas.accounts.decorators import permission_required
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.casework.models import ClientPeriod
from nas.casework.selectors import client_get_for_user, client_person_id
from nas.common.views import run_service
from nas.documents.filetypes import TEXT
from nas.documents.forms import DocumentForm
from nas.documents.models import Document
from nas.documents.selectors import document_get_for_user, document_person_id
from nas.documents.services import (
    ADD_PERMISSION,
    VIEW_PERMISSION,
    document_add,
    document_max_bytes,
    document_read,
)


def _audit_refused(
    request: HttpRequest, action: str, target: models.Model, person_id: int | None
) -> None:
    """Audit a refused look at TARGET (absent or not permitted: the same 404)."""
    with transaction.atomic():
        audit_log(
            actor=request.user,
            kind=AuditEvent.Kind.READ,
            action=action,
            target=target,
            person_id=person_id,
        )


@permission_required(ADD_PERMISSION)
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, client_id: int) -> HttpResponse:
    """Add a file to a client's documents."""
    try:
        client = client_get_for_user(user=request.user, client_id=client_id)
    except ClientPeriod.DoesNotExist:
        target = ClientPeriod(pk=client_id)
        _audit_refused(request, "document.add_denied", target, client_person_id(client_id))
        raise Http404 from None
    posted = request.method == "POST"
    form = DocumentForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        upload = data["file"]
        document = run_service(
            form,
            lambda: document_add(
                acting_user=request.user,
                client=client,
                title=data["title"],
                kind=data["kind"],
                filename=upload.name or "",
                # One byte more than allowed is enough for the service to refuse a larger file.
                content=upload.read(document_max_bytes() + 1),
            ),
        )
        if document is not None:
            messages.success(
                request, _("The document “%(title)s” was added.") % {"title": document.title}
            )
            return redirect("client_detail", client_id=client.pk)
    return render(request, "documents/document_add.html", {"form": form, "client": client})


@permission_required(VIEW_PERMISSION)
@require_GET
def download(request: HttpRequest, document_id: int) -> HttpResponse:
    """Send a document as a file to save, never to be shown in the browser."""
    try:
        document = document_get_for_user(user=request.user, document_id=document_id)
    except Document.DoesNotExist:
        target = Document(pk=document_id)
        _audit_refused(request, "document.download_denied", target, document_person_id(document_id))
        raise Http404 from None
    content = document_read(acting_user=request.user, document=document)
    content_type = document.content_type
    if content_type == TEXT.content_type:
        content_type = f"{content_type}; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
