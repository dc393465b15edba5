"""The kinds of file a document may be, recognised from their bytes, not from the browser.

A browser's content type and a file's extension are whatever the sender says; the first
bytes are what a program opening the file will go by. Only formats that office software
and image viewers open without running anything are accepted.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Control characters other than tab, line feed, form feed and carriage return.
_BINARY_TEXT = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\"\\/:*?<>|]")
MAX_NAME_LENGTH = 255


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("application/pdf", (".pdf",))
PNG = FileType("image/png", (".png",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"))
TEXT = FileType("text/plain", (".txt",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
ODT = FileType(ODT_MIMETYPE.decode("ascii"), (".odt",))


def sniff(content: bytes) -> FileType | None:
    """Return the type of CONTENT if it is one of the accepted ones, else None."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _office_document(content)
    return TEXT if _is_plain_text(content) else None


def _office_document(content: bytes) -> FileType | None:
    """Return DOCX or ODT for a zip file that is one; reads only the archive's directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # ODF stores its type first and uncompressed; read no more than its length.
                with archive.open("mimetype") as member:
                    return ODT if member.read(len(ODT_MIMETYPE) + 1) == ODT_MIMETYPE else None
            if {"[Content_Types].xml", "word/document.xml"} <= names:
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        return None
    return None


def _is_plain_text(content: bytes) -> bool:
    """Return whether CONTENT is UTF-8 text without control characters."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _BINARY_TEXT.search(content) is None


def safe_filename(name: str, file_type: FileType) -> str:
    """Return NAME without a path or characters a file system refuses, with an extension of
    FILE_TYPE (added when missing), so that a saved download opens as what it is."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = _UNSAFE_NAME.sub("_", base).strip(" .") or "document"
    if not base.lower().endswith(file_type.extensions):
        base = f"{base}{file_type.extensions[0]}"
    if len(base) > MAX_NAME_LENGTH:
        stem, dot, extension = base.rpartition(".")
        base = f"{stem[: MAX_NAME_LENGTH - len(extension) - 1]}{dot}{extension}"
    return base
