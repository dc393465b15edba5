"""Files of every accepted type, and documents added through the service."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from nas.casework.models import ClientPeriod
from nas.common import testing
from nas.documents.models import Document
from nas.documents.services import document_add

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256))
TEXT = "Statement of Änna Example, given at the Helsinki office.\n".encode()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
XLSX = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def add_document(
    client: ClientPeriod,
    *,
    acting_user: Any = None,
    content: bytes = PDF,
    title: str = "Decision on admission",
    filename: str = "decision.pdf",
) -> Document:
    """Add a document through the service (by the decision-maker unless told)."""
    return document_add(
        acting_user=acting_user or testing.make_decision_maker(),
        client=client,
        title=title,
        kind="decision",
        filename=filename,
        content=content,
    )
