"""Write documents: add a client's document (checked, encrypted, audited) and read one back."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.casework.models import ClientPeriod
from nas.casework.selectors import clients_visible_to
from nas.common.crypto import identifier_marker
from nas.common.validation import full_clean, refuse
from nas.documents import filetypes
from nas.documents.models import Document

ADD_PERMISSION = "documents.add_document"
VIEW_PERMISSION = "documents.view_document"
# The default of settings.NAS_DOCUMENT_MAX_BYTES.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def document_max_bytes() -> int:
    """Return the largest file, in bytes, that can be added as a document."""
    return int(getattr(settings, "NAS_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _check_file(content: bytes) -> filetypes.FileType:
    """Refuse an empty, too large or unaccepted file; return its type."""
    if not content:
        raise refuse(_("The chosen file is empty."), field="file")
    limit = document_max_bytes()
    if len(content) > limit:
        raise refuse(
            _("The file must be smaller than %(limit)s.") % {"limit": filesizeformat(limit)},
            field="file",
        )
    file_type = filetypes.sniff(content)
    if file_type is None:
        raise refuse(
            _("The file must be a PDF, PNG, JPEG, plain text, DOCX or ODT file."), field="file"
        )
    return file_type


@transaction.atomic
def document_add(
    *,
    acting_user: Any,
    client: ClientPeriod,
    title: str,
    kind: str,
    filename: str,
    content: bytes,
) -> Document:
    """Add a file to a client's documents, encrypted, after checking its size and type."""
    if not acting_user.has_perm(ADD_PERMISSION):
        raise refuse(_("Your role does not allow adding documents."))
    if not clients_visible_to(user=acting_user).filter(pk=client.pk).exists():
        raise refuse(_("You cannot add a document to a client you cannot see."))
    title = title.strip()
    if not title:
        raise refuse(_("Enter a title for the document."), field="title")
    file_type = _check_file(content)
    document = Document(
        client=client,
        title=title,
        kind=kind,
        filename=filetypes.safe_filename(filename, file_type),
        content_type=file_type.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=acting_user,
        content=content,
    )
    full_clean(document, exclude=["client", "uploaded_by", "content"])
    document.save()
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.CREATE,
        action="document.add",
        target=document,
        person_id=client.person_id,
        changes={
            "client": client.pk,
            "title": document.title,
            "kind": document.kind,
            "filename": identifier_marker(document.filename),
            "content_type": document.content_type,
            "size": document.size,
            "sha256": document.sha256,
        },
    )
    return document


@transaction.atomic
def document_read(*, acting_user: Any, document: Document) -> bytes:
    """Return the content of DOCUMENT, decrypted, and record the read."""
    if not acting_user.has_perm(VIEW_PERMISSION):
        raise refuse(_("Your role does not allow reading documents."))
    visible = clients_visible_to(user=acting_user).values("pk")
    content = (
        Document.objects.filter(pk=document.pk, client__in=visible)
        .values_list("content", flat=True)
        .first()
    )
    if content is None:
        raise refuse(_("You cannot read a document of a client you cannot see."))
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.READ,
        action="document.download",
        target=document,
        person_id=document.client.person_id,
    )
    return bytes(content)


def documents_erase_for_person(*, acting_user: Any, person_id: int, reason: str) -> int:
    """Delete every document of the client periods of person PERSON_ID; return how many.

    Called when the person is anonymised (retention): their documents are identifying by
    nature (passports, statements), so none survives. Runs in the caller's transaction;
    the audit records which files were deleted by their keys and hashes only (a title may
    name the person).
    """
    documents = list(Document.objects.filter(client__person_id=person_id).values("pk", "sha256"))
    if not documents:
        return 0
    Document.objects.filter(pk__in=[d["pk"] for d in documents]).delete()
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.DELETE,
        action="document.erase",
        person_id=person_id,
        changes={"documents": documents},
        reason=reason,
    )
    return len(documents)
