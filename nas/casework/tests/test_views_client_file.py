"""The client file: its summary, its timeline and sections, one audited read, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nas.casework.models import ClientPeriod, ReflectionPeriod
from nas.casework.services import (
    assistance_end,
    note_add,
    reflection_period_grant,
    task_create,
)
from nas.common import testing
from nas.common.dates import today
from nas.common.testing import sign_in_verified
from nas.documents.tests.factories import add_document

TODAY = today()


@pytest.fixture
def file_url(victim):
    return reverse("client_detail", args=[victim.pk])


def _page(http_client, user, url):
    sign_in_verified(http_client, user)
    response = http_client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_summary_shows_who_the_client_is(client, caseworker, victim, file_url):
    testing.add_residence(victim, "asylum_seeker", acting_user=caseworker)
    page = _page(client, caseworker, file_url)
    assert 'class="summary-card"' in page
    for shown in (
        str(victim.person),
        victim.referral.ref,
        "(17.5.1990)",  # the date of birth beside the age
        "Victim",
        "Active",
        "15.3.2024",
        "Helsinki",
        caseworker.get_username(),
        "Asylum seeker",
        "The office's casework staff",
    ):
        assert shown in page, shown


def test_a_running_reflection_period_and_a_restriction_are_in_the_summary(
    client, caseworker, decision_maker
):
    victim = testing.make_client(
        caseworker=caseworker, received=TODAY - dt.timedelta(days=20), decided=TODAY
    )
    testing.add_residence(victim, acting_user=caseworker)
    reflection_period_grant(
        acting_user=decision_maker,
        client=victim,
        granted=TODAY,
        start=TODAY,
        end=TODAY + dt.timedelta(days=60),
    )
    ClientPeriod.objects.filter(pk=victim.pk).update(restricted=True)
    page = _page(client, caseworker, reverse("client_detail", args=[victim.pk]))
    assert "Reflection period ends" in page
    assert f"{(TODAY + dt.timedelta(days=60)):%-d.%-m.%Y}" in page
    assert "Restricted: only the assigned caseworker" in page


def test_every_section_has_its_add_link_for_a_decision_maker(client, decision_maker, caseworker):
    # Admitted in 2021: a victim was then identified by a decision of its own.
    victim = testing.make_client(
        caseworker=caseworker, received=dt.date(2021, 2, 1), decided=dt.date(2021, 3, 1)
    )
    page = _page(client, decision_maker, reverse("client_detail", args=[victim.pk]))
    for name in (
        "client_exploitation_add",
        "client_residence_add",
        "client_service_add",
        "client_reflection_add",
        "client_identify",
        "client_child_add",
        "client_note_add",
        "client_task_add",
        "client_assign",
        "client_restrict",
        "client_end",
        "documents:add",
    ):
        assert f'href="{reverse(name, args=[victim.pk])}"' in page, name
    assert reverse("client_readmit", args=[victim.pk]) not in page


def test_a_caseworker_gets_no_links_to_the_decisions(client, caseworker, victim, file_url):
    page = _page(client, caseworker, file_url)
    assert reverse("client_note_add", args=[victim.pk]) in page
    for name in ("client_reflection_add", "client_identify", "client_end", "client_readmit"):
        assert reverse(name, args=[victim.pk]) not in page, name


def test_a_client_whose_assistance_ended_can_be_readmitted_from_the_file(
    client, decision_maker, victim, file_url
):
    assistance_end(
        acting_user=decision_maker,
        client=victim,
        date=victim.admitted,
        reason=testing.end_reason("client_request"),
    )
    page = _page(client, decision_maker, file_url)
    assert reverse("client_readmit", args=[victim.pk]) in page
    assert reverse("client_end", args=[victim.pk]) not in page


def test_the_sections_show_the_records(client, caseworker, decision_maker, victim, file_url):
    testing.add_exploitation(victim, acting_user=caseworker, start=dt.date(2022, 1, 1))
    testing.add_exploitation(
        victim,
        acting_user=caseworker,
        form="forced_labour",
        is_primary=False,
        place="abroad",
        country="EE",
    )
    testing.add_residence(victim, acting_user=caseworker)
    testing.add_service(victim, acting_user=caseworker, code="safe_housing")
    reflection_period_grant(
        acting_user=decision_maker,
        client=victim,
        granted=victim.admitted,
        start=victim.admitted,
        end=victim.admitted + dt.timedelta(days=90),
    )
    note_add(
        acting_user=caseworker, client=victim, date=victim.admitted, text="Met at the shelter."
    )
    task_create(acting_user=caseworker, client=victim, title="Review the need", due=TODAY)
    child = testing.make_child(victim, acting_user=caseworker)
    add_document(victim, acting_user=caseworker, title="Decision letter")
    page = _page(client, caseworker, file_url)
    for shown in (
        "Sexual exploitation",
        "Primary",
        "Estonia",
        "Construction",
        "No legal right of residence",
        "Safe housing",
        "Running",
        "Assistance system",
        "Met at the shelter.",
        "Review the need",
        str(child.person),
        reverse("client_detail", args=[child.pk]),
        "Decision letter",
    ):
        assert shown in page, shown


def test_the_timeline_lists_what_happened_newest_first(
    client, caseworker, decision_maker, victim, file_url
):
    testing.add_residence(victim, acting_user=caseworker, valid_from=dt.date(2024, 3, 20))
    testing.add_service(victim, acting_user=caseworker, start=dt.date(2024, 4, 1))
    note_add(acting_user=caseworker, client=victim, date=dt.date(2024, 5, 2), text="Second visit.")
    assistance_end(
        acting_user=decision_maker,
        client=victim,
        date=dt.date(2024, 6, 30),
        reason=testing.end_reason("no_need"),
    )
    page = _page(client, caseworker, file_url)
    timeline = page[page.index('class="timeline"') : page.index('id="exploitation"')]
    order = [
        "End of assistance",  # 30.6.2024, with the service it ended
        "Second visit.",  # 2.5.2024
        "Started: ",  # 1.4.2024
        "No legal right of residence",  # 20.3.2024
        "Admitted as: Victim",  # 15.3.2024
        "Positive decision",  # 15.3.2024
        f"Referral {victim.referral.ref} received",  # 1.3.2024
    ]
    positions = [timeline.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Ended: " in timeline
    assert "Identification" in timeline  # from 2023 the admission is the identification


def test_a_readmitted_client_links_the_earlier_and_the_later_period(
    client, decision_maker, caseworker, victim
):
    from nas.casework.services import client_readmit

    assistance_end(
        acting_user=decision_maker,
        client=victim,
        date=dt.date(2024, 4, 30),
        reason=testing.end_reason("no_need"),
    )
    later = client_readmit(
        acting_user=decision_maker,
        previous=victim,
        received=dt.date(2024, 9, 1),
        channel="phone",
        referrer_type=testing.referrer_type(),
        date=dt.date(2024, 9, 5),
        consent_given=True,
        trafficking_definition_met=True,
        need_for_help=True,
    )
    earlier_page = _page(client, caseworker, reverse("client_detail", args=[victim.pk]))
    assert "Re-admitted in a new client period" in earlier_page
    assert reverse("client_detail", args=[later.pk]) in earlier_page
    later_page = _page(client, caseworker, reverse("client_detail", args=[later.pk]))
    assert "Re-admitted as: Victim" in later_page
    assert reverse("client_detail", args=[victim.pk]) in later_page


def test_a_childs_file_links_the_parent_and_collects_no_exploitation(client, caseworker, victim):
    child = testing.make_child(victim, acting_user=caseworker)
    page = _page(client, caseworker, reverse("client_detail", args=[child.pk]))
    assert reverse("client_detail", args=[victim.pk]) in page
    assert "Admitted as the child of" in page
    assert "No data on exploitation or residence is collected" in page
    assert reverse("client_exploitation_add", args=[child.pk]) not in page


def test_the_read_is_audited_once_with_every_person_shown(client, caseworker, victim, file_url):
    child = testing.make_child(victim, acting_user=caseworker)
    _page(client, caseworker, file_url)
    event = testing.assert_audited("client.view", caseworker, victim)
    assert event.person_id == victim.person_id
    assert event.changes["person_ids"] == sorted([victim.person_id, child.person_id])
    assert len(testing.audit_events("client.view")) == 1


def test_the_file_issues_as_many_queries_with_200_rows_of_each_kind_as_with_10(
    client, caseworker, decision_maker
):
    victim = testing.make_client(
        caseworker=caseworker, received=dt.date(2023, 1, 2), decided=dt.date(2023, 1, 16)
    )
    testing.add_exploitation(victim, acting_user=caseworker)
    day = iter(victim.admitted + dt.timedelta(days=n) for n in range(1000))

    def add_rows(n: int) -> None:
        for _i in range(n):
            on = next(day)
            testing.add_exploitation(victim, acting_user=caseworker, is_primary=False)
            testing.add_residence(victim, acting_user=caseworker, valid_from=on)
            testing.add_service(victim, acting_user=caseworker, start=on)
            note_add(acting_user=caseworker, client=victim, date=on, text="A note.")
            task_create(acting_user=caseworker, client=victim, title="A task", due=on)
            testing.make_child(victim, acting_user=caseworker, admitted=on)
            add_document(victim, acting_user=caseworker)
        # The rules allow few reflection periods in 200 days (30 days each, no overlap): the
        # rows are made directly, as the page must list however many there are.
        ReflectionPeriod.objects.bulk_create(
            ReflectionPeriod(client=victim, granted=on, start=on, end=on, granted_by="police")
            for _i in range(n)
        )

    sign_in_verified(client, caseworker)
    testing.assert_constant_queries(client, reverse("client_detail", args=[victim.pk]), add_rows)
