"""A person's data on request: the package, the auditor's screen, the JSON and PDF files."""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.audit.subject_access import subject_access_package
from nas.audit.subject_access_pdf import subject_access_pdf
from nas.casework.services import note_add, task_create
from nas.common import testing
from nas.common.testing import sign_in_verified
from nas.referrals.services import helpline_contact_record

URL = "audit:subject_access"


@pytest.fixture
def as_auditor(client, auditor):
    sign_in_verified(client, auditor)
    return client


@pytest.fixture
def full_client(caseworker, decision_maker):
    """A client with a contact address, exploitation, residence, a service, a note, a task,
    a child and a helpline contact that led to the referral."""
    person = testing.make_person(
        acting_user=caseworker, given_names="Aino", family_name="Virtanen", address="Katu 1"
    )
    period = testing.make_client(person, caseworker=caseworker, decision_maker=decision_maker)
    testing.add_exploitation(period, acting_user=caseworker)
    testing.add_residence(period, acting_user=caseworker)
    testing.add_service(period, acting_user=caseworker)
    testing.make_child(period, acting_user=caseworker)
    note_add(acting_user=caseworker, client=period, date=dt.date(2024, 4, 2), text="Met at office")
    task_create(acting_user=caseworker, client=period, title="Review need", due=dt.date(2024, 6, 1))
    helpline_contact_record(
        acting_user=caseworker,
        date=dt.date(2024, 2, 28),
        caller_type=testing.referrer_type("police"),
        language="fi",
        topic="Work without pay",
        outcome="referral_made",
        referral=period.referral,
    )
    return period


def _post(client, **data):
    return client.post(reverse(URL), {"format": "json", "purpose": "Request 12/2025", **data})


def _pdf_text(pdf: bytes) -> bytes:
    """Return the PDF's uncompressed streams (its metadata, outline and page contents)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        # Only the one end-of-line before "endstream" is not data: a compressed stream may
        # itself end in a byte that looks like white space (rstrip() broke 1 in ~40 PDFs).
        data = pdf[match.end() : end]
        data = data[:-2] if data.endswith(b"\r\n") else data[:-1] if data[-1:] in b"\r\n" else data
        try:
            parts.append(zlib.decompressobj().decompress(data))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _pdf_has(pdf: bytes, text: str) -> bool:
    """Whether TEXT is in the PDF's metadata, outline or pages: as ASCII, or as the UTF-16
    hex string a PDF writer uses when the surrounding text is not ASCII (Finnish, Swedish)."""
    found = _pdf_text(pdf)
    return text.encode() in found or text.encode("utf-16-be").hex().encode() in found.lower()


# --- who may use it ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", testing.PERSONAS, indirect=True)
def test_only_the_auditor_may_open_the_screen(client, persona):
    sign_in_verified(client, persona)
    expected = 200 if persona.username == "auditor" else 403
    assert client.get(reverse(URL)).status_code == expected


@pytest.mark.parametrize("persona", [p for p in testing.PERSONAS if p != "auditor"], indirect=True)
def test_no_one_else_may_download(client, persona, person):
    sign_in_verified(client, persona)
    assert _post(client, person=person.ref).status_code == 403
    assert not AuditEvent.objects.filter(kind="export").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_the_package_is_refused_to_anyone_but_the_auditor(caseworker, person):
    with pytest.raises(PermissionDenied):
        subject_access_package(acting_user=caseworker, person=person)


# --- the JSON file -------------------------------------------------------------------------


def test_the_json_holds_the_record_and_who_accessed_it(client, as_auditor, full_client, caseworker):
    other = testing.make_client(caseworker=caseworker)  # someone else: not in the file
    reader = testing.make_caseworker("helsinki", username="reader")
    from django.test import Client

    browser = Client()
    sign_in_verified(browser, reader)
    assert browser.get(reverse("client_detail", args=[full_client.pk])).status_code == 200

    response = _post(as_auditor, person=full_client.person.ref.lower())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)

    person = data["person"]
    assert (person["ref"], person["given_names"], person["family_name"]) == (
        full_client.person.ref,
        "Aino",
        "Virtanen",
    )
    assert person["address"] == "Katu 1"
    [referral] = data["referrals"]
    assert referral["ref"] == full_client.referral.ref
    assert referral["decision"]["outcome"] == "positive"
    assert referral["decision"]["decided_by"] == "decision_maker"
    assert [h["topic"] for h in referral["helpline_contacts"]] == ["Work without pay"]
    [period] = data["client_periods"]
    assert period["referral_ref"] == full_client.referral.ref
    assert [e["form"] for e in period["exploitation"]] == ["sexual_exploitation"]
    assert len(period["residence"]) == len(period["services"]) == len(period["children"]) == 1
    assert [n["text"] for n in period["case_notes"]] == ["Met at office"]
    assert [t["title"] for t in period["tasks"]] == ["Review need"]

    log = data["access_log"]
    views = [e for e in log if e["action"] == "client.view"]
    assert [(e["user"], e["kind"]) for e in views] == [("reader", "read")]
    assert {"person.create", "referral.receive"} <= {e["action"] for e in log}
    assert all(set(e) >= {"time", "user", "kind", "action"} for e in log)
    assert other.person.ref not in response.content.decode()


def test_a_child_sees_their_own_period_and_nothing_of_the_parent(auditor, full_client):
    child = full_client.children.get()
    data = subject_access_package(acting_user=auditor, person=child.person)
    assert data["client_periods"] == [] and data["referrals"] == []
    [period] = data["periods_as_a_child"]
    assert period["client_type"] == "child"
    assert full_client.person.ref not in json.dumps(data)


def test_every_download_is_audited_with_its_purpose(as_auditor, auditor, person):
    _post(as_auditor, person=person.ref, purpose="Access request, case 7/2025", format="pdf")
    event = testing.assert_audited("audit.subject_access.export", auditor, person)
    assert (event.kind, event.reason, event.person_id) == (
        "export",
        "Access request, case 7/2025",
        person.pk,
    )
    assert event.changes["format"] == "pdf"


def test_a_missing_purpose_is_refused_and_the_reference_kept(as_auditor, person):
    response = _post(as_auditor, person=person.ref, purpose="  ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "This field is required." in html
    assert f'value="{person.ref}"' in html
    assert not AuditEvent.objects.filter(kind="export").exists()


def test_an_unknown_reference_is_a_form_error(as_auditor):
    html = _post(as_auditor, person="P-NOSUCH").content.decode()
    assert "No person has this reference." in html
    assert not AuditEvent.objects.filter(kind="export").exists()


def _package_queries(auditor, person) -> int:
    with CaptureQueriesContext(connection) as queries:
        subject_access_package(acting_user=auditor, person=person)
    return len(queries)


def test_the_package_takes_the_same_queries_for_10_or_100_events(auditor, person, caseworker):
    for _ in range(10 - AuditEvent.objects.filter(person_links__person_id=person.pk).count()):
        audit_log(actor=caseworker, kind="read", action="client.view", person_id=person.pk)
    assert AuditEvent.objects.filter(person_links__person_id=person.pk).count() == 10
    subject_access_package(acting_user=auditor, person=person)  # the user's permissions cached
    few = _package_queries(auditor, person)
    for _ in range(90):
        audit_log(actor=caseworker, kind="read", action="client.view", person_id=person.pk)
    assert AuditEvent.objects.filter(person_links__person_id=person.pk).count() == 100
    assert _package_queries(auditor, person) == few


def test_the_download_takes_the_same_queries_for_10_or_100_events(
    as_auditor, full_client, caseworker, django_assert_max_num_queries
):
    person = full_client.person
    for _ in range(10):
        audit_log(actor=caseworker, kind="read", action="client.view", person_id=person.pk)
    with CaptureQueriesContext(connection) as few:
        assert _post(as_auditor, person=person.ref).status_code == 200
    for _ in range(90):
        audit_log(actor=caseworker, kind="read", action="client.view", person_id=person.pk)
    with django_assert_max_num_queries(len(few)):
        assert _post(as_auditor, person=person.ref).status_code == 200


# --- the PDF -------------------------------------------------------------------------------


def test_the_pdf_is_a_document_with_the_persons_reference(as_auditor, full_client):
    response = _post(as_auditor, person=full_client.person.ref, format="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and len(response.content) > 5000
    assert _pdf_has(response.content, full_client.person.ref)


def test_the_pdf_of_a_person_without_a_client_period(auditor, person):
    package = subject_access_package(acting_user=auditor, person=person)
    assert package["client_periods"] == []
    pdf = subject_access_pdf(package)
    assert pdf.startswith(b"%PDF-") and _pdf_has(pdf, person.ref)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_pdf_with_many_events_runs_over_pages_in_each_language(
    auditor, full_client, caseworker, language
):
    person = full_client.person
    for number in range(80):
        audit_log(
            actor=caseworker, kind="read", action=f"client.view.{number}", person_id=person.pk
        )
    package = subject_access_package(acting_user=auditor, person=person)
    with translation.override(language):
        pdf = subject_access_pdf(package)
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf)
    assert f"/Lang ({language})".encode() in text
    pages = re.search(rb"/Type /Pages/Kids \[[^\]]*\]/Count (\d+)", text)
    assert pages is not None and int(pages.group(1)) > 2


def test_values_in_the_data_cannot_inject_markup_or_fetch_anything(auditor, caseworker):
    person = testing.make_person(
        acting_user=caseworker, address='<img src="http://127.0.0.1:9/x"> </td><h1>x'
    )
    pdf = subject_access_pdf(subject_access_package(acting_user=auditor, person=person))
    assert pdf.startswith(b"%PDF-")
