"""The auditor's screens: who may see them, what they list, exports, constant queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common import testing

URLS = [
    "audit:index",
    "audit:person_access",
    "audit:person_access_export",
    "audit:user_activity",
    "audit:user_activity_export",
]


def sign_in_verified(client, user) -> None:
    """Sign USER in as if they had given their password and a two-factor code."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def _read(actor, person_id=None, *, action="client.view", kind="read", **fields) -> AuditEvent:
    return audit_log(actor=actor, kind=kind, action=action, person_id=person_id, **fields)


@pytest.fixture
def as_auditor(client, auditor):
    sign_in_verified(client, auditor)
    return client


# --- who may see them --------------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("persona", testing.PERSONAS, indirect=True)
def test_only_the_auditor_may_open_the_audit_screens(client, persona, url):
    sign_in_verified(client, persona)
    expected = 200 if persona.username == "auditor" else 403
    assert client.get(reverse(url)).status_code == expected


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_a_password_without_the_second_factor_is_not_enough(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("url", ["audit:person_access_export", "audit:user_activity_export"])
@pytest.mark.parametrize("persona", [p for p in testing.PERSONAS if p != "auditor"], indirect=True)
def test_no_one_else_may_export(client, persona, caseworker, url):
    person = testing.make_person(acting_user=caseworker)
    sign_in_verified(client, persona)
    response = client.post(
        reverse(url),
        {"person": person.ref, "username": "caseworker_helsinki", "purpose": "x", "format": "csv"},
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(kind="export").exists()


# --- who has accessed this person's data -------------------------------------------------


def test_it_lists_who_read_or_changed_the_person_and_nothing_else(
    as_auditor, caseworker, decision_maker
):
    person = testing.make_person(acting_user=caseworker)
    other = testing.make_person(acting_user=caseworker)
    _read(decision_maker, person.pk, action="client.view")
    _read(caseworker, None, action="home.list", changes={"person_ids": [other.pk, person.pk]})
    _read(caseworker, other.pk, action="only.the.other")
    page = as_auditor.get(reverse("audit:person_access"), {"person": person.ref})
    assert page.status_code == 200
    actions = [event.action for event in page.context["page"].object_list]
    assert actions == ["home.list", "client.view", "person.create"]
    html = page.content.decode()
    assert "decision_maker" in html and "only.the.other" not in html
    assert person.ref in html


def test_a_person_can_be_named_by_number(as_auditor, caseworker):
    person = testing.make_person(acting_user=caseworker)
    page = as_auditor.get(reverse("audit:person_access"), {"person": str(person.pk)})
    assert [e.action for e in page.context["page"].object_list] == ["person.create"]


def test_an_unknown_reference_is_an_error_shown_in_the_summary(as_auditor):
    page = as_auditor.get(reverse("audit:person_access"), {"person": "P-NOSUCH"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html and "No person has this number or reference." in html
    assert not AuditEvent.objects.filter(action="audit.person_access").exists()


@pytest.mark.parametrize("text", ["9" * 40, "\u00b2", "\u0661\u0662", "-1", "1.5"])
def test_a_malformed_person_number_is_an_error_not_a_crash(as_auditor, text):
    page = as_auditor.get(reverse("audit:person_access"), {"person": text})
    assert page.status_code == 200
    assert "No person has this number or reference." in page.content.decode()


def test_the_auditors_look_is_audited(as_auditor, auditor, caseworker):
    person = testing.make_person(acting_user=caseworker)
    as_auditor.get(reverse("audit:person_access"), {"person": person.ref, "action": "break_glass"})
    event = testing.assert_audited("audit.person_access", auditor)
    assert event.kind == "read" and event.person_id == person.pk
    assert event.changes["action"] == "break_glass"


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_it_filters_by_date_range_action_and_kind(as_auditor, caseworker, monkeypatch):
    person = testing.make_person(acting_user=caseworker)
    for day, action in [(1, "client.view"), (10, "break_glass"), (20, "client.view")]:
        monkeypatch.setattr(timezone, "now", lambda day=day: _at(dt.date(2025, 1, day)))
        _read(
            caseworker, person.pk, action=action, reason="fire" if action == "break_glass" else ""
        )
    monkeypatch.undo()
    url = reverse("audit:person_access")

    def actions(**query):
        page = as_auditor.get(url, {"person": person.ref, **query})
        return [
            (e.action, timezone.localtime(e.occurred_at).day)
            for e in page.context["page"].object_list
        ]

    assert actions(date_from="2025-01-05", date_to="2025-01-20") == [
        ("client.view", 20),
        ("break_glass", 10),
    ]
    assert actions(action="break_glass") == [("break_glass", 10)]
    assert actions(kind="create") == [("person.create", timezone.localdate().day)]
    assert "fire" in as_auditor.get(url, {"person": person.ref}).content.decode()


def test_an_end_date_before_the_start_is_refused(as_auditor, caseworker):
    person = testing.make_person(acting_user=caseworker)
    page = as_auditor.get(
        reverse("audit:person_access"),
        {"person": person.ref, "date_from": "2025-02-01", "date_to": "2025-01-01"},
    )
    assert "The end date must not be before the start date." in page.content.decode()
    assert "page" not in page.context


def test_it_pages_and_the_page_links_keep_the_filters(as_auditor, caseworker):
    person = testing.make_person(acting_user=caseworker)
    for _ in range(60):
        _read(caseworker, person.pk)
    url = reverse("audit:person_access")
    first = as_auditor.get(url, {"person": person.ref, "action": "client.view"})
    assert len(first.context["page"].object_list) == 50
    html = first.content.decode()
    assert f"person={person.ref}" in html and "action=client.view" in html and "page=2" in html
    second = as_auditor.get(url, {"person": person.ref, "action": "client.view", "page": 2})
    assert len(second.context["page"].object_list) == 10


# --- what has this user accessed ---------------------------------------------------------


def test_it_lists_what_the_user_did_with_the_persons_concerned(
    as_auditor, caseworker, decision_maker
):
    _read(caseworker, 11, action="client.view")
    _read(caseworker, None, action="home.list", changes={"person_ids": [12, 13]})
    _read(decision_maker, 14, action="not.mine")
    page = as_auditor.get(reverse("audit:user_activity"), {"username": "caseworker_helsinki"})
    events = page.context["page"].object_list
    assert [e.action for e in events] == ["home.list", "client.view"]
    html = page.content.decode()
    assert "12, 13" in html and "not.mine" not in html


def test_an_unknown_username_is_an_error(as_auditor):
    page = as_auditor.get(reverse("audit:user_activity"), {"username": "nobody"})
    assert "No user has this username." in page.content.decode()


def test_the_user_screen_shows_break_the_glass(as_auditor, auditor, caseworker):
    _read(caseworker, 11, action="break_glass", reason="client in danger, office closed")
    _read(caseworker, 12, action="client.view")
    page = as_auditor.get(
        reverse("audit:user_activity"), {"username": caseworker.username, "action": "break_glass"}
    )
    assert [e.person_id for e in page.context["page"].object_list] == [11]
    assert "client in danger, office closed" in page.content.decode()
    event = testing.assert_audited("audit.user_activity", auditor, target=caseworker)
    assert event.kind == "read"


# --- constant queries --------------------------------------------------------------------


def _queries(client, url, query) -> int:
    client.get(url, query)  # renews the session (at most once a minute), not counted
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    return len(queries)


def test_the_person_screen_issues_the_same_queries_for_10_and_200_rows(
    as_auditor, caseworker, django_assert_num_queries
):
    person = testing.make_person(acting_user=caseworker)
    url, query = reverse("audit:person_access"), {"person": person.ref, "page": 1}
    for _ in range(9):
        _read(caseworker, person.pk)
    with_10 = _queries(as_auditor, url, query)
    for _ in range(190):
        _read(caseworker, None, action="home.list", changes={"person_ids": [person.pk, 1]})
    with django_assert_num_queries(with_10):
        as_auditor.get(url, query)


def test_the_user_screen_issues_the_same_queries_for_10_and_200_rows(
    as_auditor, caseworker, django_assert_num_queries
):
    url, query = reverse("audit:user_activity"), {"username": caseworker.username}
    for i in range(10):
        _read(caseworker, i)
    with_10 = _queries(as_auditor, url, query)
    for i in range(190):
        _read(caseworker, None, changes={"person_ids": [i, i + 1, i + 2]})
    with django_assert_num_queries(with_10):
        as_auditor.get(url, query)


# --- exports -----------------------------------------------------------------------------


def _export(client, url_name, **data):
    data.setdefault("purpose", "Access request 2025/17 of the person")
    data.setdefault("format", "csv")
    return client.post(reverse(url_name), data)


def test_the_export_page_is_prefilled_from_the_list(as_auditor, caseworker):
    person = testing.make_person(acting_user=caseworker)
    page = as_auditor.get(
        reverse("audit:person_access_export"), {"person": person.ref, "action": "break_glass"}
    )
    html = page.content.decode()
    assert f'value="{person.ref}"' in html and 'value="break_glass"' in html


def test_a_person_export_as_csv_is_audited_with_its_purpose(as_auditor, auditor, caseworker):
    person = testing.make_person(acting_user=caseworker)
    _read(caseworker, person.pk, action="client.view")
    response = _export(as_auditor, "audit:person_access_export", person=person.ref)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert person.ref in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Time", "User", "Kind", "Action", "Object type", "Object id"]
    assert [row[3] for row in rows[1:]] == ["client.view", "person.create"]
    event = testing.assert_audited("audit.person_access.export", auditor)
    assert event.kind == "export" and event.person_id == person.pk
    assert event.reason == "Access request 2025/17 of the person"
    assert event.changes["format"] == "csv" and event.changes["rows"] == 2


def test_a_person_export_as_json(as_auditor, caseworker):
    person = testing.make_person(acting_user=caseworker)
    _read(caseworker, person.pk, action="break_glass", reason="emergency")
    response = _export(as_auditor, "audit:person_access_export", person=person.ref, format="json")
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["person"] == {"id": person.pk, "reference": person.ref}
    assert [e["action"] for e in document["events"]] == ["break_glass", "person.create"]
    assert document["events"][0]["user"] == caseworker.username


def test_a_user_export_lists_the_persons_concerned(as_auditor, auditor, caseworker):
    _read(caseworker, None, action="home.list", changes={"person_ids": [5, 6]})
    response = _export(as_auditor, "audit:user_activity_export", username=caseworker.username)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Person numbers"
    assert rows[1][2] == "home.list" and rows[1][-1] == "5 6"
    json_response = _export(
        as_auditor, "audit:user_activity_export", username=caseworker.username, format="json"
    )
    assert json.loads(json_response.content)["events"][0]["person_ids"] == [5, 6]
    event = testing.assert_audited("audit.user_activity.export", auditor, target=caseworker)
    assert event.kind == "export"


def test_an_export_without_a_purpose_is_refused_and_not_audited(as_auditor, caseworker):
    person = testing.make_person(acting_user=caseworker)
    response = _export(as_auditor, "audit:person_access_export", person=person.ref, purpose="  ")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not AuditEvent.objects.filter(kind="export").exists()


def test_an_export_neutralises_formulas_in_cells(as_auditor, caseworker):
    person = testing.make_person(acting_user=caseworker)
    audit_log(actor='=HYPERLINK("http://evil")', kind="read", action="@SUM(1)", person_id=person.pk)
    response = _export(as_auditor, "audit:person_access_export", person=person.ref)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")' and rows[1][3] == "'@SUM(1)"
