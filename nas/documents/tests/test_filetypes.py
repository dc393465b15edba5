"""Files are recognised from their bytes, and their names made safe to save."""

from __future__ import annotations

import pytest

from nas.documents import filetypes
from nas.documents.tests import factories


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (factories.PDF, filetypes.PDF),
        (factories.PNG, filetypes.PNG),
        (factories.JPEG, filetypes.JPEG),
        (factories.TEXT, filetypes.TEXT),
        (factories.DOCX, filetypes.DOCX),
        (factories.ODT, filetypes.ODT),
    ],
)
def test_each_accepted_type_is_recognised_from_its_first_bytes(content, expected):
    assert filetypes.sniff(content) == expected


@pytest.mark.parametrize(
    "content",
    [
        factories.EXE,
        factories.XLSX,
        b"PK\x03\x04 not really a zip",
        b"text with a NUL \x00 byte",
        "Latin-1 text: \xe4".encode("latin-1"),
        factories.zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
    ],
)
def test_other_files_are_not_accepted(content):
    assert filetypes.sniff(content) is None


@pytest.mark.parametrize(
    ("name", "file_type", "safe"),
    [
        ("decision.pdf", filetypes.PDF, "decision.pdf"),
        ("Photo.JPEG", filetypes.JPEG, "Photo.JPEG"),
        ("C:\\Users\\x\\passport.png", filetypes.PNG, "passport.png"),
        ("../../etc/passwd", filetypes.TEXT, "passwd.txt"),
        ("page.html", filetypes.TEXT, "page.html.txt"),
        ('a"b\x00c.pdf', filetypes.PDF, "a_b_c.pdf"),
        ("", filetypes.ODT, "document.odt"),
    ],
)
def test_a_file_name_loses_its_path_and_gets_the_extension_of_its_type(name, file_type, safe):
    assert filetypes.safe_filename(name, file_type) == safe


def test_a_long_file_name_is_shortened_keeping_its_extension():
    safe = filetypes.safe_filename("x" * 400 + ".pdf", filetypes.PDF)
    assert len(safe) == filetypes.MAX_NAME_LENGTH
    assert safe.endswith("x.pdf")
