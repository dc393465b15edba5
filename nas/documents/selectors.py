"""Read documents, with access checked; lists never load the files themselves."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nas.casework.models import ClientPeriod
from nas.casework.selectors import client_scope
from nas.documents.models import Document


def documents_visible_to(*, user: Any) -> QuerySet[Document]:
    """Return the documents USER may see (those of the clients USER may see), without content."""
    visible = ClientPeriod.objects.filter(client_scope(user)).values("pk")
    return Document.objects.filter(client__in=visible).defer("content")


def document_get_for_user(*, user: Any, document_id: int) -> Document:
    """Return one document USER may see, with its client; not found and not permitted look
    the same."""
    return documents_visible_to(user=user).select_related("client").get(pk=document_id)


def document_person_id(document_id: int) -> int | None:
    """Return the person of document DOCUMENT_ID, for auditing a refused read (shows nothing)."""
    return (
        Document.objects.filter(pk=document_id).values_list("client__person_id", flat=True).first()
    )


def client_documents(*, client: ClientPeriod) -> list[Document]:
    """Return CLIENT's documents, newest first, without their content (the caller checked
    that the user may see CLIENT)."""
    return list(
        Document.objects.filter(client=client).defer("content").select_related("uploaded_by")
    )
