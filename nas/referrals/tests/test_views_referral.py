"""The referral page: what it shows, who may see it, and the assessment's actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.urls import reverse

from nas.audit.models import AuditEvent
from nas.casework.services import task_create
from nas.common import testing
from nas.common.testing import assert_audited, db_row, reload, row_counts, sign_in_verified
from nas.referrals.services import referral_assign

AUDIT = AuditEvent._meta.label


@contextmanager
def nothing_written(*unchanged) -> Iterator[None]:
    """Assert that the block writes no row but audited reads, and leaves UNCHANGED as they are.

    A refused action shows its page again, and showing a person's data is itself audited.
    """
    counts = row_counts()
    rows = [db_row(instance) for instance in unchanged]
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    yield
    after = row_counts()
    assert {k: v for k, v in after.items() if k != AUDIT} == {
        k: v for k, v in counts.items() if k != AUDIT
    }, "a refused action changed the number of rows"
    kinds = set(AuditEvent.objects.filter(id__gt=last).values_list("kind", flat=True))
    assert kinds <= {"read"}, f"a refused action wrote {kinds}"
    assert [db_row(instance) for instance in unchanged] == rows, "a refused action changed a row"


def page(response) -> str:
    return response.content.decode()


def detail_url(referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


@pytest.fixture
def received(caseworker):
    """A Helsinki referral just received, with an account and safety concerns."""
    return testing.make_referral(
        acting_user=caseworker,
        account="Worked on a berry farm without pay.",
        safety_concerns="The employer knows where she lives.",
        urgency="urgent",
    )


# --- the page ------------------------------------------------------------------------------


def test_it_shows_the_referral_and_the_person_and_audits_the_read(client, caseworker, received):
    sign_in_verified(client, caseworker)
    response = client.get(detail_url(received))
    assert response.status_code == 200
    text = page(response)
    assert received.ref in text
    assert received.person.full_name in text
    assert "Worked on a berry farm without pay." in text
    assert "The employer knows where she lives." in text
    assert "Urgent" in text and "tag--urgent" in text
    assert reverse("referrals:start_assessment", args=[received.pk]) in text
    event = assert_audited("referral.view", caseworker, received)
    assert (event.kind, event.person_id) == ("read", received.person_id)


def test_another_offices_referral_is_a_404_and_the_refused_look_is_audited(
    client, caseworker_tampere, received
):
    sign_in_verified(client, caseworker_tampere)
    assert client.get(detail_url(received)).status_code == 404
    event = assert_audited("referral.view_denied", caseworker_tampere, received)
    assert (event.kind, event.person_id) == ("read", received.person_id)
    assert not AuditEvent.objects.filter(action="referral.view").exists()


def test_a_missing_referral_is_the_same_404_and_audited(client, caseworker):
    sign_in_verified(client, caseworker)
    response = client.get(reverse("referrals:detail", args=[10**9]))
    assert response.status_code == 404
    event = assert_audited("referral.view_denied", caseworker)
    assert (event.object_id, event.person_id) == (str(10**9), None)


def test_a_key_too_large_for_the_database_is_a_404(client, caseworker):
    sign_in_verified(client, caseworker)
    assert client.get(f"/referrals/{10**30}/").status_code == 404


def test_roles_without_casework_are_refused(client, statistician, received):
    sign_in_verified(client, statistician)
    assert client.get(detail_url(received)).status_code == 403


def test_the_history_and_the_tasks_are_shown(client, caseworker, decision_maker, received):
    task_create(
        acting_user=caseworker,
        title="Call the referring police officer",
        due=dt.date(2024, 3, 8),
        referral=received,
    )
    referral_assign(acting_user=decision_maker, referral=received, assigned_to=caseworker)
    sign_in_verified(client, caseworker)
    text = page(client.get(detail_url(received)))
    assert "Referral recorded" in text
    assert "Caseworker assigned" in text and f"To {caseworker.get_username()}" in text
    assert "Call the referring police officer" in text
    assert "8.3.2024" in text


# --- start the assessment --------------------------------------------------------------------


def _start(client, referral, version):
    url = reverse("referrals:start_assessment", args=[referral.pk])
    return client.post(url, {"start-version": version})


def test_starting_the_assessment_changes_the_status_and_is_audited(client, caseworker, received):
    sign_in_verified(client, caseworker)
    response = _start(client, received, received.version)
    assert response.status_code == 302
    assert response.url == detail_url(received)
    assert reload(received).status == "under_assessment"
    assert_audited("referral.start_assessment", caseworker, received)
    text = page(client.get(response.url))
    assert "The assessment has started." in text
    assert "Assessment started" in text
    assert reverse("referrals:start_assessment", args=[received.pk]) not in text


def test_a_stale_start_is_refused_with_the_message_and_nothing_changes(
    client, caseworker, decision_maker, received
):
    stale = received.version
    referral_assign(acting_user=decision_maker, referral=received, assigned_to=caseworker)
    sign_in_verified(client, caseworker)
    with nothing_written(received):
        response = _start(client, received, stale)
    assert response.status_code == 200
    assert "Someone else changed this record after you opened it." in page(response)
    assert "There is a problem" in page(response)
    assert reload(received).status == "received"


def test_starting_twice_shows_the_services_refusal(client, caseworker, received):
    sign_in_verified(client, caseworker)
    _start(client, received, received.version)
    fresh = reload(received)
    with nothing_written(fresh):
        response = _start(client, fresh, fresh.version)
    assert "The assessment of this referral has already started." in page(response)


def test_a_get_of_an_action_is_not_allowed(client, caseworker, received):
    sign_in_verified(client, caseworker)
    url = reverse("referrals:start_assessment", args=[received.pk])
    assert client.get(url).status_code == 405


def test_a_statistician_cannot_start_an_assessment(client, statistician, received):
    sign_in_verified(client, statistician)
    with nothing_written(received):
        assert _start(client, received, received.version).status_code == 403


# --- assign ----------------------------------------------------------------------------------


def _assign(client, referral, user, version):
    url = reverse("referrals:assign", args=[referral.pk])
    return client.post(url, {"assign-assigned_to": user.pk, "assign-version": version})


def test_assigning_a_caseworker_of_the_office(client, caseworker, decision_maker, received):
    sign_in_verified(client, decision_maker)
    form_page = page(client.get(detail_url(received)))
    assert f'value="{caseworker.pk}"' in form_page
    response = _assign(client, received, caseworker, received.version)
    assert response.status_code == 302
    assert reload(received).assigned_to == caseworker
    event = assert_audited("referral.assign", decision_maker, received)
    assert event.changes["assigned_to"] == [None, caseworker.pk]


def test_assigning_someone_of_another_office_is_not_offered(
    client, caseworker, caseworker_tampere, received
):
    sign_in_verified(client, caseworker)
    with nothing_written(received):
        response = _assign(client, received, caseworker_tampere, received.version)
    assert response.status_code == 200
    assert "Select a valid choice" in page(response)


def test_a_stale_assignment_is_refused(client, caseworker, decision_maker, received):
    sign_in_verified(client, decision_maker)
    stale = received.version
    referral_assign(acting_user=caseworker, referral=received, assigned_to=caseworker)
    with nothing_written(received):
        response = _assign(client, received, decision_maker, stale)
    assert "Someone else changed this record" in page(response)
    assert reload(received).assigned_to == caseworker


def test_an_invisible_referral_cannot_be_assigned(client, caseworker_tampere, received):
    sign_in_verified(client, caseworker_tampere)
    with nothing_written(received):
        response = _assign(client, received, caseworker_tampere, received.version)
    assert response.status_code == 404


# --- withdraw --------------------------------------------------------------------------------


def _withdraw_url(referral) -> str:
    return reverse("referrals:withdraw", args=[referral.pk])


def test_the_withdrawal_form_is_offered_and_audited(client, caseworker, received):
    sign_in_verified(client, caseworker)
    response = client.get(_withdraw_url(received))
    assert response.status_code == 200
    assert f'name="version" value="{received.version}"' in page(response)
    assert_audited("referral.view", caseworker, received)


def test_withdrawing_records_the_date_and_reason(client, caseworker, received):
    sign_in_verified(client, caseworker)
    data = {"date": "2024-03-05", "reason": "The person moved abroad.", "version": received.version}
    response = client.post(_withdraw_url(received), data)
    assert response.status_code == 302
    stored = reload(received)
    assert (stored.status, stored.withdrawn_on) == ("withdrawn", dt.date(2024, 3, 5))
    assert stored.withdrawal_reason == "The person moved abroad."
    assert_audited("referral.withdraw", caseworker, received)
    text = page(client.get(detail_url(received)))
    assert "The referral was withdrawn on 5.3.2024." in text
    assert _withdraw_url(received) not in text


def test_a_withdrawal_before_receipt_is_refused_and_what_was_typed_is_kept(
    client, caseworker, received
):
    sign_in_verified(client, caseworker)
    data = {"date": "2024-02-01", "reason": "Typed reason to keep", "version": received.version}
    with nothing_written(received):
        response = client.post(_withdraw_url(received), data)
    assert response.status_code == 200
    text = page(response)
    assert (
        "The date of withdrawal (2024-02-01) cannot be before the date the referral was "
        "received (2024-03-01)." in text
    )
    assert "Typed reason to keep" in text
    assert 'value="2024-02-01"' in text
    assert "<title>Error:" in text


def test_a_decided_referral_cannot_be_withdrawn(client, caseworker, victim):
    referral = victim.referral
    sign_in_verified(client, caseworker)
    data = {"date": "2024-03-20", "reason": "", "version": referral.version}
    with nothing_written(referral):
        response = client.post(_withdraw_url(referral), data)
    assert "This referral has already been decided" in page(response)


def test_the_page_issues_as_many_queries_with_200_steps_and_tasks_as_with_10(
    client, caseworker, received
):
    """Each step of the history names its assignee and each task its own; a new caseworker
    for each also lengthens the list of the assignment form."""
    number = iter(range(1000))

    def add_rows(n: int) -> None:
        for _i in range(n):
            colleague = testing.make_caseworker("helsinki", username=f"colleague{next(number)}")
            referral_assign(
                acting_user=caseworker, referral=reload(received), assigned_to=colleague
            )
            task_create(
                acting_user=caseworker,
                title="Call the referrer",
                due=received.received + dt.timedelta(days=7),
                referral=received,
                assigned_to=colleague,
            )

    sign_in_verified(client, caseworker)
    testing.assert_constant_queries(client, detail_url(received), add_rows)
    page_text = page(client.get(detail_url(received)))
    assert page_text.count("Call the referrer") == 200
    assert page_text.count("Caseworker assigned") == 200
