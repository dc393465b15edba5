"""The documents' pages: adding a file, downloading it, who may, and what is audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nas.accounts.models import User
from nas.audit.models import AuditEvent
from nas.common import testing
from nas.common.testing import sign_in_verified
from nas.documents.models import Document
from nas.documents.selectors import client_documents
from nas.documents.tests.factories import EXE, PDF, TEXT, add_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_period():
    return testing.make_client(office_code="helsinki")


def add_url(client_period) -> str:
    return reverse("documents:add", args=[client_period.pk])


def upload(http, client_period, *, content=PDF, title="My passport", filename="passport.pdf"):
    # The browser's content type is whatever it says: the service never trusts it.
    file = SimpleUploadedFile(filename, content, content_type="application/pdf")
    data = {"title": title, "kind": "identity_document", "file": file}
    return http.post(add_url(client_period), data)


def test_a_caseworker_adds_a_document_and_downloads_the_same_bytes(
    client, caseworker, client_period
):
    sign_in_verified(client, caseworker)
    assert client.get(add_url(client_period)).status_code == 200

    response = upload(client, client_period, content=TEXT, filename="statement.txt")

    assert response.status_code == 302
    assert response.url == reverse("client_detail", args=[client_period.pk])
    document = Document.objects.get(client=client_period)
    assert (document.title, document.kind) == ("My passport", "identity_document")
    testing.assert_audited("document.add", caseworker, document)
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download.status_code == 200
    assert download.content == TEXT
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="statement.txt"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    event = testing.assert_audited("document.download", caseworker, document)
    assert event.person_id == client_period.person_id


def test_a_file_name_outside_ascii_is_sent_encoded(client, caseworker, client_period):
    document = add_document(client_period, filename="päätös.pdf")
    sign_in_verified(client, caseworker)

    download = client.get(reverse("documents:download", args=[document.pk]))

    assert (
        download["Content-Disposition"] == "attachment; filename*=utf-8''p%C3%A4%C3%A4t%C3%B6s.pdf"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PDF * 40, "The file must be smaller than 1000\xa0bytes."),
        (EXE, "The file must be a PDF, PNG, JPEG, plain text, DOCX or ODT file."),
        (b"", "The chosen file is empty."),
    ],
)
@override_settings(NAS_DOCUMENT_MAX_BYTES=1000)
def test_a_refused_file_shows_why_keeps_the_title_and_stores_nothing(
    client, caseworker, client_period, content, message
):
    sign_in_verified(client, caseworker)
    counts = testing.row_counts()

    response = upload(client, client_period, content=content, title="Typed title")

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Typed title"' in page
    assert "<title>Error:" in page
    assert not Document.objects.exists()
    assert testing.row_counts() == counts


def test_a_missing_title_or_file_is_asked_for(client, caseworker, client_period):
    sign_in_verified(client, caseworker)

    page = client.post(add_url(client_period), {"title": "", "kind": "other"}).content.decode()
    assert "Choose a file to add." in page
    page = upload(client, client_period, title=" ").content.decode()
    assert "Enter a title for the document." in page
    assert not Document.objects.exists()


def test_another_offices_caseworker_gets_404_for_upload_and_download_and_it_is_audited(
    client, caseworker_tampere, client_period
):
    document = add_document(client_period)
    sign_in_verified(client, caseworker_tampere)

    assert client.get(add_url(client_period)).status_code == 404
    assert upload(client, client_period).status_code == 404
    assert Document.objects.count() == 1
    event = testing.assert_audited("document.add_denied", caseworker_tampere, client_period)
    assert (event.kind, event.person_id) == ("read", client_period.person_id)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    event = testing.assert_audited("document.download_denied", caseworker_tampere, document)
    assert (event.kind, event.person_id) == ("read", client_period.person_id)
    assert not AuditEvent.objects.filter(action="document.download").exists()


def test_a_missing_document_is_the_same_404(client, caseworker):
    sign_in_verified(client, caseworker)

    assert client.get(reverse("documents:download", args=[10**9])).status_code == 404
    assert testing.assert_audited("document.download_denied", caseworker).person_id is None


@pytest.mark.parametrize("persona", ["statistician", "auditor", "referrer"], indirect=True)
def test_roles_without_casework_get_403(client, persona, client_period):
    document = add_document(client_period)
    sign_in_verified(client, persona)

    assert client.get(add_url(client_period)).status_code == 403
    assert upload(client, client_period).status_code == 403
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 403
    assert Document.objects.count() == 1


def _render_list(client_period, user_pk) -> tuple[str, int]:
    """Render the client's documents as the client file does; return the HTML and queries."""
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user_pk)
    with CaptureQueriesContext(connection) as queries:
        context = {"client": client_period, "documents": client_documents(client=client_period)}
        html = render_to_string("documents/_client_documents.html", context, request=request)
    content_column = connection.ops.quote_name("content")
    assert not any(content_column in query["sql"] for query in queries), "a list loaded files"
    return html, len(queries)


def test_the_documents_list_issues_the_same_queries_for_10_and_200_documents(
    caseworker, client_period
):
    for number in range(10):
        add_document(client_period, title=f"Letter {number}")
    html, with_10 = _render_list(client_period, caseworker.pk)
    assert "Letter 9" in html
    assert reverse("documents:add", args=[client_period.pk]) in html
    for number in range(10, 200):
        add_document(client_period, title=f"Letter {number}")
    html, with_200 = _render_list(client_period, caseworker.pk)
    assert "Letter 199" in html
    assert with_200 == with_10


@override_settings(NAS_DOCUMENT_MAX_BYTES=1000)
def test_an_upload_never_reaches_a_temporary_file_and_memory_holds_one_byte_over_the_limit(
    client, caseworker, client_period, monkeypatch
):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from nas.documents import services

    def no_temporary_file(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", no_temporary_file)
    received = []
    original = services.document_add

    def spy(**kwargs):
        received.append(len(kwargs["content"]))
        return original(**kwargs)

    monkeypatch.setattr("nas.documents.views.document_add", spy)
    sign_in_verified(client, caseworker)

    # About 3 MB: more than Django keeps in memory by default (2.5 MB).
    response = upload(client, client_period, content=PDF * 50_000)

    assert response.status_code == 200
    assert "The file must be smaller than 1000\xa0bytes." in response.content.decode()
    assert received == [1001]
    assert not Document.objects.exists()
