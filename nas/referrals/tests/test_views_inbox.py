"""The inbox: what it lists and in which order, its filters, pages, audit and queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from nas.audit.models import AuditEvent
from nas.common import testing
from nas.common.testing import assert_constant_queries, sign_in_verified
from nas.referrals.services import referral_withdraw

INBOX = reverse("referrals:inbox")


def refs_in(response) -> list[str]:
    """Return the reference numbers the page lists, in their order."""
    return re.findall(r">(NAS-\d{4}-\d{6})</a>", response.content.decode())


def receive(day: dt.date, **fields):
    return testing.make_referral(received=day, **fields)


@pytest.fixture
def signed_in(client, caseworker_helsinki):
    sign_in_verified(client, caseworker_helsinki)
    return client


def test_it_lists_the_referrals_the_user_may_see_and_no_others(signed_in):
    mine = receive(dt.date(2024, 3, 1))
    theirs = receive(dt.date(2024, 3, 1), office_code="tampere")
    response = signed_in.get(INBOX)
    assert response.status_code == 200
    text = response.content.decode()
    assert mine.ref in text and mine.person.full_name in text
    assert theirs.ref not in text and theirs.person.full_name not in text
    assert "1 referral" in text


def test_the_columns(signed_in, caseworker_helsinki):
    referral = receive(
        dt.date(2024, 3, 1), assigned_to=caseworker_helsinki, urgency="immediate_danger"
    )
    text = signed_in.get(INBOX).content.decode()
    assert reverse("referrals:detail", args=[referral.pk]) in text
    assert "1.3.2024" in text
    assert "days open" in text and "age--old" in text
    for shown in ("Police", "E-mail", "Helsinki", "Immediate danger", "tag--red", "Received"):
        assert shown in text
    assert caseworker_helsinki.get_username() in text


def test_the_inbox_shows_the_open_referrals_oldest_first_unless_asked_for_any_status(signed_in):
    newer_open = receive(dt.date(2024, 5, 1))
    older_open = receive(dt.date(2024, 2, 1))
    closed = receive(dt.date(2024, 1, 10))
    referral_withdraw(
        acting_user=testing.make_decision_maker(), referral=closed, date=closed.received
    )
    response = signed_in.get(INBOX)
    assert refs_in(response) == [older_open.ref, newer_open.ref]
    assert response.context["form"]["status"].value() == "open"
    # The next page keeps the default: the link carries no status, and none means open.
    assert refs_in(signed_in.get(INBOX, {"page": "1"})) == [older_open.ref, newer_open.ref]


def test_any_status_lists_open_referrals_oldest_first_then_the_closed_newest_first(signed_in):
    newer_open = receive(dt.date(2024, 5, 1))
    older_open = receive(dt.date(2024, 2, 1))
    old_closed = receive(dt.date(2024, 1, 10))
    new_closed = receive(dt.date(2024, 4, 10))
    for referral in (old_closed, new_closed):
        referral_withdraw(
            acting_user=testing.make_decision_maker(), referral=referral, date=referral.received
        )
    assert refs_in(signed_in.get(INBOX, {"status": ""})) == [
        older_open.ref,
        newer_open.ref,
        new_closed.ref,
        old_closed.ref,
    ]


def test_filters_narrow_the_list(signed_in, caseworker_helsinki):
    police = receive(dt.date(2024, 3, 1))
    ngo = receive(dt.date(2024, 4, 1), referrer="ngo")
    assessed = receive(dt.date(2024, 5, 1), assess=True)

    def listed(query: str) -> set[str]:
        return set(refs_in(signed_in.get(f"{INBOX}?{query}")))

    assert listed("referrer_type=ngo") == {ngo.ref}
    assert listed("status=under_assessment") == {assessed.ref}
    assert listed("status=open") == {police.ref, ngo.ref, assessed.ref}
    assert listed("status=decided") == set()
    assert listed("received_from=2024-03-15&received_to=2024-04-30") == {ngo.ref}
    assert listed("office=tampere") == set()
    assert listed("office=helsinki") == {police.ref, ngo.ref, assessed.ref}
    assert listed(f"q={ngo.ref[-6:]}") == {ngo.ref}
    assert listed(f"q={ngo.ref.lower()}") == {ngo.ref}


def test_a_wrong_filter_is_explained_and_the_valid_ones_still_apply(signed_in):
    receive(dt.date(2024, 3, 1))
    response = signed_in.get(f"{INBOX}?received_from=2024-05-01&received_to=2024-04-01")
    assert response.status_code == 200
    text = response.content.decode()
    assert "The end date must not be before the start date." in text
    assert "<title>Error:" in text
    assert refs_in(response) == []


def test_pages_of_fifty(signed_in):
    referrals = [receive(dt.date(2024, 1, 1) + dt.timedelta(days=n)) for n in range(55)]
    first = signed_in.get(INBOX)
    assert refs_in(first) == [r.ref for r in referrals[:50]]
    assert "Page 1 of 2" in first.content.decode()
    assert refs_in(signed_in.get(f"{INBOX}?page=2")) == [r.ref for r in referrals[50:]]
    # A page that does not exist shows the last one rather than an error.
    assert refs_in(signed_in.get(f"{INBOX}?page=99")) == [r.ref for r in referrals[50:]]


def test_one_audit_event_per_page_lists_the_persons_shown(signed_in, caseworker_helsinki):
    shown = [receive(dt.date(2024, 3, 1)), receive(dt.date(2024, 3, 2))]
    receive(dt.date(2024, 3, 3), office_code="tampere")
    signed_in.get(INBOX)
    events = list(AuditEvent.objects.filter(action="referral.list"))
    assert len(events) == 1
    event = events[0]
    assert (event.kind, event.actor_id) == ("read", caseworker_helsinki.pk)
    assert event.changes["person_ids"] == sorted(r.person_id for r in shown)


def test_an_empty_page_writes_no_audit_event(signed_in):
    signed_in.get(INBOX)
    assert not AuditEvent.objects.filter(action="referral.list").exists()


def test_an_htmx_request_gets_only_the_results(signed_in):
    referral = receive(dt.date(2024, 3, 1))
    response = signed_in.get(f"{INBOX}?status=open", headers={"HX-Request": "true"})
    text = response.content.decode()
    assert referral.ref in text
    assert "<html" not in text and "<form" not in text
    assert "HX-Request" in response["Vary"]
    assert AuditEvent.objects.filter(action="referral.list").count() == 1


def test_a_history_restore_gets_the_whole_page(signed_in):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in signed_in.get(INBOX, headers=headers).content.decode()


def test_the_filter_form_works_without_javascript_and_enhances_with_htmx(signed_in):
    text = signed_in.get(INBOX).content.decode()
    assert f'method="get" action="{INBOX}"' in text
    assert 'hx-get="/referrals/"' in text and 'hx-target="#inbox-results"' in text
    assert 'hx-push-url="true"' in text


def test_roles_without_casework_are_refused(client, statistician, auditor):
    for user in (statistician, auditor):
        sign_in_verified(client, user)
        assert client.get(INBOX).status_code == 403


def test_the_inbox_issues_the_same_number_of_queries_for_10_and_200_referrals(
    signed_in, caseworker_helsinki
):
    def add(count: int) -> None:
        for _ in range(count):
            testing.make_referral(assigned_to=caseworker_helsinki)

    assert_constant_queries(signed_in, INBOX, add)


def test_a_filtered_page_issues_the_same_number_of_queries_for_10_and_200(signed_in):
    def add(count: int) -> None:
        for _ in range(count):
            testing.make_referral(referrer="ngo", assess=True)

    url = f"{INBOX}?status=open&referrer_type=ngo&office=helsinki&page=2"
    assert_constant_queries(signed_in, url, add)
