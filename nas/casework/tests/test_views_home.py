"""The dashboard: who may see it, what waits for the caseworker, the audit, constant queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from nas.audit.models import AuditEvent
from nas.casework.services import reflection_period_grant, task_complete, task_create
from nas.common import testing
from nas.common.dates import today
from nas.common.testing import sign_in_verified

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def grant_reflection_ending(client, end: dt.date):
    """Grant CLIENT (who has no right of residence) a reflection period ending on END."""
    testing.add_residence(client)
    start = end - dt.timedelta(days=60)
    return reflection_period_grant(
        acting_user=testing.make_decision_maker(),
        client=client,
        granted=start,
        start=start,
        end=end,
    )


def add_task(user, due: dt.date, *, title: str = "Call back", **subject):
    subject = subject or {"referral": testing.make_referral(office_code="helsinki")}
    return task_create(acting_user=user, title=title, due=due, assigned_to=user, **subject)


def home_page(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", testing.PERSONAS, indirect=True)
def test_every_persona_reaches_the_dashboard_once_verified(client, persona):
    sign_in_verified(client, persona)
    assert client.get(reverse("home")).status_code == 200


def test_a_referrer_of_an_organisation_is_sent_to_the_referral_portal(client, referrer):
    from nas.referrals.models import Organisation

    referrer.organisation = Organisation.objects.create(
        name="Helsinki police", referrer_type=testing.referrer_type("police")
    )
    referrer.save(update_fields=["organisation"])
    sign_in_verified(client, referrer)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("portal:home")
    portal = client.get(response.url)
    assert 'href="/portal/" aria-current="page"' in portal.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_it_lists_waiting_referrals_oldest_first_with_their_age(client, caseworker_helsinki):
    old = testing.make_referral(office_code="helsinki", received=days_ago(40))
    new = testing.make_referral(office_code="helsinki", received=days_ago(3), assess=True)
    decided = testing.make_client(office_code="helsinki").referral
    assert decided is not None
    theirs = testing.make_referral(office_code="tampere", received=days_ago(50))
    sign_in_verified(client, caseworker_helsinki)

    page = home_page(client)

    assert page.index(old.ref) < page.index(new.ref)
    assert re.search(r'class="age age--old">\s*40 days', page)
    assert re.search(r'class="age">\s*3 days', page)
    assert decided.ref not in page and theirs.ref not in page


def test_it_lists_reflection_periods_ending_in_the_next_14_days(client, caseworker_helsinki):
    soon = testing.make_client(office_code="helsinki")
    grant_reflection_ending(soon, today() + dt.timedelta(days=5))
    later = testing.make_client(office_code="helsinki")
    grant_reflection_ending(later, today() + dt.timedelta(days=30))
    past = testing.make_client(office_code="helsinki")
    grant_reflection_ending(past, days_ago(1))
    theirs = testing.make_client(office_code="tampere")
    grant_reflection_ending(theirs, today() + dt.timedelta(days=5))
    sign_in_verified(client, caseworker_helsinki)

    page = home_page(client)

    assert str(soon.person) in page
    for other in (later, past, theirs):
        assert str(other.person) not in page


def test_it_lists_my_open_tasks_due_soon_or_overdue_oldest_first(
    client, caseworker_helsinki, decision_maker
):
    me = caseworker_helsinki
    overdue = add_task(me, days_ago(3), title="Overdue review")
    due = add_task(me, today() + dt.timedelta(days=10), title="Review of need soon")
    add_task(me, today() + dt.timedelta(days=20), title="Far in the future")
    task_complete(
        acting_user=me, task=add_task(me, days_ago(2), title="Finished work"), date=today()
    )
    add_task(decision_maker, days_ago(1), title="Someone else's task")
    hidden = testing.make_client(office_code="tampere")
    add_task(me, days_ago(1), title="About a client I cannot see", client=hidden)
    sign_in_verified(client, me)

    page = home_page(client)

    assert page.index(overdue.title) < page.index(due.title)
    assert "Overdue</span>" in page
    for title in ("Far in the future", "Finished work", "Someone else", "cannot see"):
        assert title not in page


def test_it_lists_my_active_clients_only(client, caseworker_helsinki):
    mine = testing.make_client(office_code="helsinki", caseworker=caseworker_helsinki)
    office_client = testing.make_client(office_code="helsinki")
    other = testing.make_caseworker("helsinki", username="colleague")
    colleagues = testing.make_client(office_code="helsinki", caseworker=other)
    sign_in_verified(client, caseworker_helsinki)

    page = home_page(client)

    assert str(mine.person) in page
    assert str(office_client.person) not in page and str(colleagues.person) not in page
    assert f"{reverse('client_search')}?caseworker=me&amp;status=active" in page


def test_the_counts_are_shown_as_cards(client, caseworker_helsinki):
    for _ in range(3):
        testing.make_referral(office_code="helsinki")
    sign_in_verified(client, caseworker_helsinki)

    page = home_page(client)

    assert re.search(
        r'<span class="card__count">3</span>\s*<span class="card__label">Referrals', page
    )


def test_it_audits_every_person_it_shows_in_one_event(client, caseworker_helsinki):
    me = caseworker_helsinki
    referral = testing.make_referral(office_code="helsinki")
    reflection = testing.make_client(office_code="helsinki")
    grant_reflection_ending(reflection, today())
    task = add_task(me, today())
    mine = testing.make_client(office_code="helsinki", caseworker=me)
    sign_in_verified(client, me)

    home_page(client)

    event = AuditEvent.objects.get(action="home.list", actor=me)
    assert event.kind == "read"
    expected = {referral.person_id, reflection.person_id, task.referral.person_id, mine.person_id}
    assert event.changes["person_ids"] == sorted(expected)


def test_roles_without_casework_see_an_explanation_and_no_personal_data(client, statistician):
    referral = testing.make_referral(office_code="helsinki")
    sign_in_verified(client, statistician)

    page = home_page(client)

    assert referral.ref not in page
    assert "Your role does not give access" in page
    assert not AuditEvent.objects.filter(action="home.list").exists()


def test_the_dashboard_issues_the_same_number_of_queries_for_10_and_200_rows(
    client, caseworker_helsinki
):
    me = caseworker_helsinki

    def add_rows(count: int) -> None:
        for number in range(count):
            referral = testing.make_referral(office_code="helsinki")
            add_task(me, today(), referral=referral)
            mine = testing.make_client(office_code="helsinki", caseworker=me)
            grant_reflection_ending(mine, today() + dt.timedelta(days=number % 14))

    sign_in_verified(client, me)
    testing.assert_constant_queries(client, reverse("home"), add_rows)
