"""The client page and emergency access: who gets in, and every look audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nas.accounts.models import EmergencyAccess
from nas.audit.models import AuditEvent
from nas.casework.models import ClientPeriod
from nas.casework.services import client_assign
from nas.common import testing
from nas.common.testing import sign_in_verified
from nas.referrals.services import referral_assign

REASON = "The client phoned in danger and her caseworker is on leave today."
INVISIBLE = "You cannot assign a case you cannot see."
NOT_CASEWORK = "Only a caseworker or a decision-maker can be responsible for a case."


@pytest.fixture
def tampere_client(db):
    return testing.make_client(office_code="tampere")


def test_the_client_page_shows_the_summary_and_audits_the_read(client, caseworker, victim):
    sign_in_verified(client, caseworker)
    page = client.get(reverse("client_detail", args=[victim.pk]))
    assert page.status_code == 200
    assert str(victim.person) in page.content.decode()
    event = testing.assert_audited("client.view", caseworker, victim)
    assert (event.kind, event.person_id) == ("read", victim.person_id)


def test_another_offices_client_is_not_found_and_the_attempt_is_audited(
    client, caseworker_helsinki, tampere_client
):
    sign_in_verified(client, caseworker_helsinki)
    missing = ClientPeriod.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
    hidden = client.get(reverse("client_detail", args=[tampere_client.pk]))
    absent = client.get(reverse("client_detail", args=[missing]))
    assert hidden.status_code == absent.status_code == 404
    assert hidden.content == absent.content
    event = testing.assert_audited("client.view_denied", caseworker_helsinki, tampere_client)
    assert event.person_id == tampere_client.person_id
    assert str(tampere_client.person) not in hidden.content.decode()


def test_breaking_the_glass_opens_the_client_page(client, caseworker_helsinki, tampere_client):
    sign_in_verified(client, caseworker_helsinki)
    url = reverse("client_break_glass", args=[tampere_client.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302
    assert response.url == reverse("client_detail", args=[tampere_client.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert "emergency access" in page.content.decode()
    event = testing.assert_audited("break_glass", caseworker_helsinki, tampere_client)
    assert event.reason == REASON


def test_a_short_reason_is_a_form_error_and_grants_nothing(
    client, caseworker_helsinki, tampere_client
):
    sign_in_verified(client, caseworker_helsinki)
    response = client.post(
        reverse("client_break_glass", args=[tampere_client.pk]), {"reason": "urgent"}
    )
    assert response.status_code == 200
    assert "at least 20 characters" in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


@pytest.mark.parametrize("persona", ["statistician", "auditor", "referrer"], indirect=True)
def test_roles_without_casework_cannot_break_the_glass(client, persona, tampere_client):
    sign_in_verified(client, persona)
    url = reverse("client_break_glass", args=[tampere_client.pk])
    assert client.post(url, {"reason": REASON}).status_code == 403
    assert not EmergencyAccess.objects.exists()


def test_breaking_the_glass_for_a_missing_client_is_not_found(client, caseworker_helsinki):
    sign_in_verified(client, caseworker_helsinki)
    assert client.get(reverse("client_break_glass", args=[999999])).status_code == 404


# --- assigning a case: only one the acting user sees, only to casework staff -------------


def test_a_case_one_cannot_see_cannot_be_assigned(caseworker_helsinki, tampere_client):
    with testing.refused(INVISIBLE, tampere_client):
        client_assign(
            acting_user=caseworker_helsinki, client=tampere_client, caseworker=caseworker_helsinki
        )


def test_a_restricted_case_cannot_be_assigned_by_its_offices_decision_maker(
    decision_maker, caseworker_helsinki
):
    restricted = testing.make_client(office_code="helsinki", caseworker=caseworker_helsinki)
    ClientPeriod.objects.filter(pk=restricted.pk).update(restricted=True)
    restricted = testing.reload(restricted)
    with testing.refused(INVISIBLE, restricted):
        client_assign(acting_user=decision_maker, client=restricted, caseworker=decision_maker)


@pytest.mark.parametrize(
    "persona", ["statistician", "auditor", "referrer", "outsider"], indirect=True
)
def test_a_case_is_assigned_only_to_casework_staff(caseworker, victim, persona):
    with testing.refused(NOT_CASEWORK, victim):
        client_assign(acting_user=caseworker, client=victim, caseworker=persona)


def test_a_referral_one_cannot_see_cannot_be_assigned(caseworker_helsinki):
    theirs = testing.make_referral(office_code="tampere")
    with testing.refused(INVISIBLE, theirs):
        referral_assign(
            acting_user=caseworker_helsinki, referral=theirs, assigned_to=caseworker_helsinki
        )


def test_a_referral_is_assigned_only_to_casework_staff(caseworker, referral, statistician):
    with testing.refused(NOT_CASEWORK, referral):
        referral_assign(acting_user=caseworker, referral=referral, assigned_to=statistician)


def test_a_visible_referral_is_assigned_and_audited(caseworker, referral, caseworker_tampere):
    referral_assign(
        acting_user=caseworker,
        referral=referral,
        assigned_to=caseworker_tampere,
        expected_version=referral.version,
    )
    assert testing.reload(referral).assigned_to == caseworker_tampere
    event = testing.assert_audited("referral.assign", caseworker, referral)
    assert event.changes == {"assigned_to": [caseworker.pk, caseworker_tampere.pk]}


# --- assigning through the pages: the same refusals, audited, nothing written --------------


def _post_assign(http, client_period, caseworker):
    url = reverse("client_assign", args=[client_period.pk])
    return http.post(url, {"caseworker": caseworker.pk, "version": client_period.version})


def test_posting_an_assignment_of_another_offices_client_is_404_audited_and_writes_nothing(
    client, caseworker_helsinki, tampere_client
):
    sign_in_verified(client, caseworker_helsinki)
    counts = testing.row_counts()

    response = _post_assign(client, tampere_client, caseworker_helsinki)

    assert response.status_code == 404
    assert testing.reload(tampere_client).caseworker_id == tampere_client.caseworker_id
    event = testing.assert_audited("client.view_denied", caseworker_helsinki, tampere_client)
    assert event.person_id == tampere_client.person_id
    assert testing.row_counts() == {**counts, "audit.AuditEvent": counts["audit.AuditEvent"] + 1}


def test_posting_an_assignment_of_a_restricted_client_one_is_not_assigned_to_is_refused(
    client, decision_maker, caseworker_helsinki
):
    restricted = testing.make_client(office_code="helsinki", caseworker=caseworker_helsinki)
    ClientPeriod.objects.filter(pk=restricted.pk).update(restricted=True)
    restricted = testing.reload(restricted)
    sign_in_verified(client, decision_maker)

    response = _post_assign(client, restricted, decision_maker)

    assert response.status_code == 404
    assert testing.reload(restricted).caseworker == caseworker_helsinki
    testing.assert_audited("client.view_denied", decision_maker, restricted)
    assert not AuditEvent.objects.filter(action="client.assign", object_id=str(restricted.pk))


@pytest.mark.parametrize("persona", ["statistician", "auditor", "administrator", "referrer"])
def test_posting_an_assignee_without_casework_is_a_form_error_and_writes_nothing(
    client, caseworker, victim, persona
):
    assignee = testing.make_persona(persona)
    sign_in_verified(client, caseworker)
    counts = testing.row_counts()

    response = _post_assign(client, victim, assignee)

    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert testing.reload(victim).caseworker == caseworker
    assert testing.row_counts() == counts


def test_posting_an_assignment_of_another_offices_referral_is_404_and_audited(
    client, caseworker_tampere, referral
):
    sign_in_verified(client, caseworker_tampere)
    url = reverse("referrals:assign", args=[referral.pk])

    response = client.post(
        url, {"assign-assigned_to": caseworker_tampere.pk, "assign-version": referral.version}
    )

    assert response.status_code == 404
    assert testing.reload(referral).assigned_to_id == referral.assigned_to_id
    testing.assert_audited("referral.view_denied", caseworker_tampere, referral)
