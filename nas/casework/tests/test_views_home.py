"""The home page: who may see it, what it shows, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.audit.models import AuditEvent
from nas.common import testing


def sign_in_verified(client, user) -> None:
    """Sign USER in as if they had given their password and a two-factor code."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


@pytest.mark.parametrize("persona", testing.PERSONAS, indirect=True)
def test_every_persona_reaches_the_home_page_once_verified(client, persona):
    sign_in_verified(client, persona)
    assert client.get(reverse("home")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_it_lists_my_offices_referrals_and_clients_but_not_anothers(client, caseworker_helsinki):
    mine = testing.make_referral(office_code="helsinki")
    theirs = testing.make_referral(office_code="tampere")
    my_client = testing.make_client(office_code="helsinki")
    their_client = testing.make_client(office_code="tampere")
    sign_in_verified(client, caseworker_helsinki)
    page = client.get(reverse("home")).content.decode()
    assert mine.ref in page and str(my_client.person) in page
    assert theirs.ref not in page and str(their_client.person) not in page


def test_it_audits_the_persons_it_shows(client, caseworker_helsinki):
    referral = testing.make_referral(office_code="helsinki")
    sign_in_verified(client, caseworker_helsinki)
    client.get(reverse("home"))
    event = AuditEvent.objects.get(action="home.list", actor=caseworker_helsinki)
    assert event.kind == "read"
    assert event.changes["person_ids"] == [referral.person_id]


def test_roles_without_casework_see_no_personal_data(client, statistician):
    referral = testing.make_referral(office_code="helsinki")
    sign_in_verified(client, statistician)
    page = client.get(reverse("home")).content.decode()
    assert referral.ref not in page
    assert "Your role does not give access" in page


def _count_home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_home_page_issues_the_same_number_of_queries_for_10_and_200_rows(
    client, caseworker_helsinki
):
    sign_in_verified(client, caseworker_helsinki)
    for _ in range(5):
        testing.make_referral(office_code="helsinki")
        testing.make_client(office_code="helsinki")
    with_10 = _count_home_queries(client)
    for _ in range(95):
        testing.make_referral(office_code="helsinki")
        testing.make_client(office_code="helsinki")
    assert _count_home_queries(client) == with_10
