"""Referrals through the API: submitted into the caseworkers' inbox, followed by status only."""

from __future__ import annotations

import copy
import json

import pytest
from django.core import mail
from django.urls import reverse

from nas.api.tests.conftest import SUBMISSION, Api
from nas.audit.models import AuditEvent
from nas.common import testing
from nas.common.dates import today
from nas.referrals.choices import Channel
from nas.referrals.models import Organisation, Referral
from nas.referrals.selectors import referrals_visible_to
from nas.referrals.services import admission_decide

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"


def submission(**person):
    data = copy.deepcopy(SUBMISSION)
    data["person"].update(person)
    return data


def test_a_referral_submitted_through_the_api_appears_in_the_caseworkers_inbox(
    api,
    police_department,
    caseworker_helsinki,
    caseworker_tampere,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(URL, SUBMISSION)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {
        "ref": body["ref"],
        "received": today().isoformat(),
        "status": "received",
        "admitted": None,
    }
    assert response["Location"] == reverse("api:referral", args=[body["ref"]])
    inbox = referrals_visible_to(user=caseworker_helsinki)
    referral = inbox.get(ref=body["ref"])
    assert (referral.referrer_type_id, referral.channel) == ("police", Channel.API)
    assert referral.organisation == police_department
    # ... and the inbox page shows it with its referrer type and channel.
    cells = testing.inbox_cells(caseworker_helsinki, body["ref"])
    assert cells[3:5] == ["Police", "API"]
    assert referral.organisation_name == "Helsinki Police Department"
    assert (referral.office_id, referral.urgency, referral.consent) == (
        "helsinki",
        "urgent",
        "given",
    )
    assert referral.safety_concerns == SUBMISSION["safety_concerns"]
    person = referral.person
    assert (person.given_names, person.family_name, person.birth_year) == ("Amina", "Haddad", 1994)
    assert (person.nationalities, person.primary_nationality) == (["SO", "KE"], "SO")
    assert (person.languages, person.interpreter_needed) == (["so", "en"], True)
    assert not referrals_visible_to(user=caseworker_tampere).filter(pk=referral.pk).exists()
    # The office is told, and the services audited the submission under the organisation.
    assert [message.to for message in mail.outbox] == [[caseworker_helsinki.email]]
    event = AuditEvent.objects.get(action="referral.receive", object_id=str(referral.pk))
    assert event.actor is None
    assert event.actor_label == "API: Helsinki Police Department (token case system)"


def test_the_submission_may_name_the_receiving_office(api):
    response = api.post(URL, {**SUBMISSION, "office": "tampere"})
    assert response.status_code == 201
    assert Referral.objects.get(ref=response.json()["ref"]).office_id == "tampere"


def test_a_rule_of_the_services_refuses_with_its_message_and_nothing_is_stored(api):
    counts = testing.row_counts()
    response = api.post(URL, submission(date_of_birth="1994-05-01"), **{"Accept-Language": "en"})

    assert response.status_code == 400
    message = "Give either the date of birth or the year of birth, not both."
    assert response.json() == {"message": message, "errors": {"person.birth_year": [message]}}
    assert testing.row_counts() == counts


def test_consent_not_needed_is_accepted_for_a_minor(api):
    minor = submission(birth_year=today().year - 16)
    response = api.post(URL, {**minor, "consent": "not_needed"})

    assert response.status_code == 201, response.json()
    assert Referral.objects.get(ref=response.json()["ref"]).consent == "not_needed"


def test_consent_not_needed_is_refused_for_an_adult_and_nothing_is_stored(api):
    counts = testing.row_counts()
    response = api.post(URL, {**SUBMISSION, "consent": "not_needed"}, **{"Accept-Language": "en"})

    assert response.status_code == 400
    message = "Consent can be left out only for a minor, and the person's age says adult."
    assert response.json() == {"message": message, "errors": {"consent": [message]}}
    assert testing.row_counts() == counts


def test_the_schema_lists_consent_not_needed_among_the_consent_values(api):
    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    consent = schemas["ReferralSubmissionRequest"]["properties"]["consent"]

    assert consent["allOf"] == [{"$ref": "#/components/schemas/ConsentEnum"}]
    assert schemas["ConsentEnum"]["enum"] == ["given", "not_given", "not_asked", "not_needed"]
    assert "`not_needed` only for a minor" in consent["description"]


def test_invalid_fields_are_named_with_dotted_paths_and_nothing_is_stored(api):
    counts = testing.row_counts()
    data = submission(nationalities=["SO", "XX"], gender="robot", personal_identity_code="x")
    data["urgency"] = "whenever"
    response = api.post(URL, data, **{"Accept-Language": "en"})

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "The request has errors."
    # Unknown fields are refused, not dropped unseen; within an object, before its fields.
    assert set(body["errors"]) == {"person.personal_identity_code", "urgency"}
    data["person"].pop("personal_identity_code")
    body = api.post(URL, data, **{"Accept-Language": "en"}).json()
    assert set(body["errors"]) == {"person.nationalities.1", "person.gender", "urgency"}
    assert testing.row_counts() == counts


def test_a_body_that_is_not_json_is_refused(api):
    response = api.client.post(
        URL,
        "person=x",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 415
    assert set(response.json()) == {"message"}
    response = api.client.post(
        URL,
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 400
    assert "message" in response.json()


def test_an_organisation_no_longer_active_may_not_submit(api, police_department):
    Organisation.objects.filter(pk=police_department.pk).update(active=False)
    response = api.post(URL, SUBMISSION, **{"Accept-Language": "en"})
    # Its tokens stop working (the service refuses such an organisation's referrals too).
    assert response.status_code == 401
    assert response.json() == {"message": "The token is not valid or has been revoked."}
    assert not Referral.objects.exists()


def _police_referrals(police_department, decision_maker):
    """A received, a positively and a negatively decided referral of the police department."""
    received = testing.make_referral(organisation=police_department)
    positive = testing.make_referral(organisation=police_department, assess=True)
    testing.decide_positive(positive, decision_maker=decision_maker)
    negative = testing.make_referral(organisation=police_department, assess=True)
    admission_decide(
        acting_user=decision_maker,
        referral=negative,
        date=testing.DECIDED,
        outcome="negative",
        negative_reason=testing.negative_reason("no_need"),
    )
    return received, positive, negative


def test_the_list_shows_the_callers_own_referrals_by_status_only(
    api, shelter_api, police_department, decision_maker
):
    received, positive, negative = _police_referrals(police_department, decision_maker)
    shelter_api.post(URL, SUBMISSION)
    testing.make_referral()  # no organisation: a caseworker typed it in

    response = api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert sorted(body["results"], key=lambda row: row["ref"]) == [
        {"ref": received.ref, "received": "2024-03-01", "status": "received", "admitted": None},
        {"ref": positive.ref, "received": "2024-03-01", "status": "decided", "admitted": True},
        {"ref": negative.ref, "received": "2024-03-01", "status": "decided", "admitted": False},
    ]
    text = response.content.decode()
    for personal in ("Test", "Person", "1990", "no_need", "negative", "helsinki"):
        assert personal not in text
    detail = api.get(f"{URL}{negative.ref}/").json()
    assert detail == {
        "ref": negative.ref,
        "received": "2024-03-01",
        "status": "decided",
        "admitted": False,
    }


def test_an_organisation_cannot_read_another_organisations_referral(api, shelter_api):
    ref = api.post(URL, SUBMISSION).json()["ref"]

    assert api.get(f"{URL}{ref}/").status_code == 200
    theirs = shelter_api.get(f"{URL}{ref}/", **{"Accept-Language": "en"})
    missing = shelter_api.get(f"{URL}NAS-1999-000001/", **{"Accept-Language": "en"})
    assert theirs.status_code == missing.status_code == 404
    assert (
        theirs.json()
        == missing.json()
        == {"message": "You have no referral with this reference number."}
    )
    assert shelter_api.get(URL).json()["results"] == []


def test_asking_for_another_organisations_referral_is_audited(api, shelter_api):
    ref = api.post(URL, SUBMISSION).json()["ref"]
    referral = Referral.objects.get(ref=ref)

    assert shelter_api.get(f"{URL}{ref}/").status_code == 404
    assert shelter_api.get(f"{URL}NAS-1999-000001/").status_code == 404

    denied = AuditEvent.objects.filter(action="api.referral_denied").order_by("seq")
    assert [(e.kind, e.object_id, e.person_id, e.changes) for e in denied] == [
        ("read", str(referral.pk), referral.person_id, {"ref": ref}),
        ("read", "", None, {"ref": "NAS-1999-000001"}),
    ]
    assert {e.actor_label for e in denied} == {"API: Shelter for Victims (token case system)"}
    assert api.get(f"{URL}{ref}/").status_code == 200
    assert AuditEvent.objects.filter(action="api.referral_denied").count() == 2


def test_reading_statuses_touches_no_personal_data_and_writes_no_audit_event(
    api, police_department, decision_maker
):
    _police_referrals(police_department, decision_maker)
    events = AuditEvent.objects.count()
    api.get(URL)
    assert AuditEvent.objects.count() == events


def test_the_list_issues_as_many_queries_with_200_referrals_as_with_10(api, police_department):
    def add_rows(n):
        for _ in range(n):
            testing.make_referral(organisation=police_department)

    api.get(URL)  # the token's first use is recorded (a write); later reads within a minute not
    testing.assert_constant_queries(api, URL, add_rows)


def test_the_list_is_paginated_and_a_page_beyond_the_end_is_a_json_404(api, police_department):
    for _ in range(3):
        testing.make_referral(organisation=police_department)
    assert json.loads(api.get(f"{URL}?page=1").content)["count"] == 3
    response = api.get(f"{URL}?page=9")
    assert response.status_code == 404
    assert set(response.json()) == {"message"}


def test_an_unknown_api_url_is_a_json_404(api):
    for url in ("/api/v1/nothing/", "/api/v1/referrals", "/api/v2/referrals/", "/api/v1/%0A/"):
        response = Api().get(url)
        assert response.status_code == 404, url
        assert set(response.json()) == {"message"}


def test_a_method_the_endpoint_does_not_have_is_a_json_405(api):
    ref = api.post(URL, SUBMISSION).json()["ref"]
    response = api.client.delete(f"{URL}{ref}/", headers={"Authorization": f"Bearer {api.token}"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert set(response.json()) == {"message"}
    assert Referral.objects.filter(ref=ref).exists()
