"""Adding and reading documents: the checks, the encryption at rest and the audit."""

from __future__ import annotations

import hashlib
import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from nas.common import testing
from nas.common.testing import refused
from nas.documents.models import Document
from nas.documents.services import document_read
from nas.documents.tests.factories import EXE, PDF, TEXT, add_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_period():
    return testing.make_client(office_code="helsinki")


def raw_row(document: Document) -> str:
    """Return the document's row as stored, as text, read with raw SQL."""
    table = connection.ops.quote_name(Document._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [document.pk])  # noqa: S608
        return " ".join(str(value) for value in cursor.fetchone())


def test_a_document_is_stored_with_its_checksum_and_type_and_audited(client_period, caseworker):
    document = add_document(client_period, acting_user=caseworker, content=TEXT, filename="s.txt")

    stored = Document.objects.get(pk=document.pk)
    assert stored.content == TEXT
    assert (stored.content_type, stored.size) == ("text/plain", len(TEXT))
    assert stored.sha256 == hashlib.sha256(TEXT).hexdigest()
    assert (stored.filename, stored.uploaded_by) == ("s.txt", caseworker)
    event = testing.assert_audited("document.add", caseworker, document)
    assert (event.kind, event.person_id) == ("create", client_period.person_id)
    assert event.changes["filename"] == "[redacted]"


def test_the_content_and_file_name_are_not_stored_in_clear(client_period):
    document = add_document(client_period, content=TEXT, filename="Anna_Example_passport.txt")

    row = raw_row(document)
    assert "Änna Example" not in row and "Helsinki office" not in row
    assert "Anna_Example" not in row
    assert document.title in row  # the title is staff-written text, not encrypted


@pytest.mark.parametrize(
    ("content", "title", "message"),
    [
        (b"", "Passport", "The chosen file is empty."),
        (EXE, "Passport", "The file must be a PDF, PNG, JPEG, plain text, DOCX or ODT file."),
        (PDF, "   ", "Enter a title for the document."),
        (PDF * 40, "Passport", "The file must be smaller than 1000\xa0bytes."),
    ],
)
@override_settings(NAS_DOCUMENT_MAX_BYTES=1000)
def test_a_bad_file_or_title_is_refused_and_nothing_stored(client_period, content, title, message):
    with refused(message, client_period):
        add_document(client_period, content=content, title=title)
    assert not Document.objects.exists()


def test_a_client_one_cannot_see_gets_no_document(client_period, caseworker_tampere):
    with refused("You cannot add a document to a client you cannot see.", client_period):
        add_document(client_period, acting_user=caseworker_tampere)
    assert not Document.objects.exists()


def test_a_role_without_the_permission_adds_no_document(client_period, statistician):
    with refused("Your role does not allow adding documents."):
        add_document(client_period, acting_user=statistician)


def test_reading_returns_the_bytes_and_is_audited(client_period, caseworker):
    document = add_document(client_period, content=PDF)

    assert document_read(acting_user=caseworker, document=document) == PDF
    event = testing.assert_audited("document.download", caseworker, document)
    assert (event.kind, event.person_id) == ("read", client_period.person_id)


def test_reading_a_document_of_a_client_one_cannot_see_is_refused(
    client_period, caseworker_tampere
):
    document = add_document(client_period)

    with refused("You cannot read a document of a client you cannot see."):
        document_read(acting_user=caseworker_tampere, document=document)


def test_key_rotation_re_encrypts_document_contents():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(NAS_ENCRYPTION_KEYS=[old]):
        document = add_document(testing.make_client(), content=TEXT)
    with override_settings(NAS_ENCRYPTION_KEYS=[new, old]):
        call_command("rotate_encryption_key", stdout=io.StringIO())
    with override_settings(NAS_ENCRYPTION_KEYS=[new]):
        assert Document.objects.get(pk=document.pk).content == TEXT


def test_anonymising_a_person_erases_their_documents_and_audits_it_without_titles(
    client_period, caseworker
):
    from nas.people.services import person_anonymise

    mine = add_document(client_period, acting_user=caseworker, content=TEXT, filename="s.txt")
    other = add_document(testing.make_client(office_code="helsinki"), acting_user=caseworker)

    person_anonymise(acting_user="retention", person=client_period.person, reason="5 years")

    assert not Document.objects.filter(pk=mine.pk).exists()
    assert Document.objects.filter(pk=other.pk).exists()
    event = testing.audit_events("document.erase")[0]
    assert (event.kind, event.person_id, event.reason) == (
        "delete",
        client_period.person_id,
        "5 years",
    )
    assert event.changes == {"documents": [{"pk": mine.pk, "sha256": mine.sha256}]}
    assert mine.title not in str(event.changes)
