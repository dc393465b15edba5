"""The actions of the client file: each succeeds through its service and is audited; each
refusal is shown on the form with what was typed and changes nothing; a record changed by
someone else meanwhile is not overwritten; a client one may not see is a 404; a role without
the permission gets 403."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from nas.assistance.models import Service
from nas.assistance.services import service_end
from nas.casework.models import (
    CaseNote,
    ClientPeriod,
    Exploitation,
    Identification,
    MeansOfControl,
    ReflectionPeriod,
    ResidenceStatus,
    Task,
)
from nas.casework.services import (
    assistance_end,
    client_assign,
    exploitation_make_primary,
    task_complete,
    task_create,
)
from nas.common import testing
from nas.common.testing import sign_in_verified
from nas.people.models import Person

ADMITTED = testing.DECIDED  # 15 March 2024
CONCURRENT = (
    "Someone else changed this record after you opened it. Your changes were not saved: "
    "reload the page to see the current version, then make them again."
)


def url(name: str, *args: Any) -> str:
    return reverse(name, args=[getattr(arg, "pk", arg) for arg in args])


def post(http_client: Any, user: Any, address: str, data: dict[str, Any]) -> Any:
    sign_in_verified(http_client, user)
    return http_client.post(address, data)


def assert_back_on_file(response: Any, client: ClientPeriod, http_client: Any) -> str:
    """Assert a redirect to the client file and return the page with its success message."""
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == url("client_detail", client)
    return http_client.get(response.url).content.decode()


def opened_version(http_client: Any, address: str) -> int:
    """Open the form at ADDRESS and return the version of the record it carries."""
    match = re.search(r'name="version" value="(\d+)"', http_client.get(address).content.decode())
    assert match, f"{address}: no version in the form"
    return int(match.group(1))


def assert_refused(response: Any, message: str, *kept: str) -> None:
    """Assert the form came back with MESSAGE and the values the user typed (KEPT)."""
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(message) in page, page
    assert "<title>Error:" in page
    for value in kept:
        assert f'value="{value}"' in page or f"\n{value}</textarea>" in page, value


@pytest.fixture
def dated(caseworker):
    """A victim admitted in 2021, when identification was a decision of its own."""
    return testing.make_client(
        caseworker=caseworker, received=dt.date(2021, 2, 1), decided=dt.date(2021, 3, 1)
    )


# --- exploitation ------------------------------------------------------------------------


def test_recording_a_form_of_exploitation(client, caseworker, victim):
    means_of_control = list(MeansOfControl.objects.all()[:2])
    response = post(
        client,
        caseworker,
        url("client_exploitation_add", victim),
        {
            "form": "forced_labour",
            "is_primary": "on",
            "place": "abroad",
            "country": "EE",
            "sector": "construction",
            "means_of_control": [means_of_control[0].pk, means_of_control[1].pk],
            "exploiter_relation": "employer",
            "exploiter_safety_risk": "true",
            "minor_when_exploited": "unknown",
            "start": "2022-05-01",
        },
    )
    page = assert_back_on_file(response, victim, client)
    assert "The form of exploitation was recorded." in page
    item = Exploitation.objects.get(client=victim)
    assert (item.form_id, item.is_primary, item.country, item.sector_id) == (
        "forced_labour",
        True,
        "EE",
        "construction",
    )
    assert (item.exploiter_safety_risk, item.minor_when_exploited) == (True, None)
    assert item.means_of_control.count() == 2
    testing.assert_audited("exploitation.record", caseworker, item)


def test_forced_labour_without_a_sector_is_refused_with_what_was_typed(client, caseworker, victim):
    counts = testing.row_counts()
    response = post(
        client,
        caseworker,
        url("client_exploitation_add", victim),
        {
            "form": "forced_labour",
            "is_primary": "on",
            "place": "finland",
            "exploiter_relation": "unknown",
            "start": "2022-05-01",
        },
    )
    assert_refused(
        response, "Give the sector of forced labour (“unknown” if it is not known).", "2022-05-01"
    )
    assert 'value="forced_labour" selected' in response.content.decode()
    assert testing.row_counts() == counts


def test_a_secondary_form_is_made_primary(client, caseworker, victim):
    first = testing.add_exploitation(victim, acting_user=caseworker)
    second = testing.add_exploitation(
        victim, acting_user=caseworker, form="forced_marriage", is_primary=False
    )
    address = url("client_exploitation_primary", victim, second)
    sign_in_verified(client, caseworker)
    assert "Forced marriage" in client.get(address).content.decode()
    page = assert_back_on_file(client.post(address), victim, client)
    assert "The primary form of exploitation was changed." in page
    assert testing.reload(second).is_primary and not testing.reload(first).is_primary
    testing.assert_audited("exploitation.make_primary", caseworker, second)


def test_a_secondary_form_is_removed(client, caseworker, victim):
    testing.add_exploitation(victim, acting_user=caseworker)
    second = testing.add_exploitation(
        victim, acting_user=caseworker, form="forced_marriage", is_primary=False
    )
    response = post(client, caseworker, url("client_exploitation_remove", victim, second), {})
    assert "The form of exploitation was removed." in assert_back_on_file(response, victim, client)
    assert not Exploitation.objects.filter(pk=second.pk).exists()
    testing.assert_audited("exploitation.remove", caseworker, second)


def test_the_primary_form_is_not_removed_while_others_remain(client, caseworker, victim):
    primary = testing.add_exploitation(victim, acting_user=caseworker)
    testing.add_exploitation(
        victim, acting_user=caseworker, form="forced_marriage", is_primary=False
    )
    counts = testing.row_counts()
    response = post(client, caseworker, url("client_exploitation_remove", victim, primary), {})
    assert_refused(response, "Make another form primary before removing the primary form.")
    assert testing.row_counts() == counts


def test_making_primary_over_someone_elses_change_is_refused(
    client, caseworker, decision_maker, victim
):
    first = testing.add_exploitation(victim, acting_user=caseworker)
    second = testing.add_exploitation(
        victim, acting_user=caseworker, form="forced_marriage", is_primary=False
    )
    third = testing.add_exploitation(
        victim, acting_user=caseworker, form="forced_labour", is_primary=False
    )
    address = url("client_exploitation_primary", victim, second)
    sign_in_verified(client, caseworker)
    opened = opened_version(client, address)
    # Meanwhile a colleague makes the second form primary, then the third one.
    exploitation_make_primary(acting_user=decision_maker, exploitation=testing.reload(second))
    exploitation_make_primary(acting_user=decision_maker, exploitation=testing.reload(third))
    rows, counts = [testing.db_row(x) for x in (first, second, third)], testing.row_counts()
    response = client.post(address, {"version": opened})
    assert_refused(response, CONCURRENT)
    assert ([testing.db_row(x) for x in (first, second, third)], testing.row_counts()) == (
        rows,
        counts,
    )
    assert testing.reload(third).is_primary


def test_removing_a_form_over_someone_elses_change_is_refused(
    client, caseworker, decision_maker, victim
):
    testing.add_exploitation(victim, acting_user=caseworker)
    second = testing.add_exploitation(
        victim, acting_user=caseworker, form="forced_marriage", is_primary=False
    )
    address = url("client_exploitation_remove", victim, second)
    sign_in_verified(client, caseworker)
    opened = opened_version(client, address)
    # Meanwhile a colleague makes the form primary: it is no longer the one shown.
    exploitation_make_primary(acting_user=decision_maker, exploitation=testing.reload(second))
    before, counts = testing.db_row(second), testing.row_counts()
    response = client.post(address, {"version": opened})
    assert_refused(response, CONCURRENT)
    assert (testing.db_row(second), testing.row_counts()) == (before, counts)


def test_a_form_opened_before_the_change_is_removed_with_the_current_version(
    client, caseworker, victim
):
    testing.add_exploitation(victim, acting_user=caseworker)
    second = testing.add_exploitation(
        victim, acting_user=caseworker, form="forced_marriage", is_primary=False
    )
    address = url("client_exploitation_remove", victim, second)
    sign_in_verified(client, caseworker)
    response = client.post(address, {"version": opened_version(client, address)})
    assert_back_on_file(response, victim, client)
    assert not Exploitation.objects.filter(pk=second.pk).exists()


def test_another_clients_exploitation_is_not_found(client, caseworker, victim):
    other = testing.make_client(caseworker=caseworker)
    theirs = testing.add_exploitation(other, acting_user=caseworker)
    sign_in_verified(client, caseworker)
    for name in ("client_exploitation_primary", "client_exploitation_remove"):
        assert client.get(url(name, victim, theirs)).status_code == 404
        assert client.post(url(name, victim, theirs)).status_code == 404
    assert Exploitation.objects.filter(pk=theirs.pk).exists()


# --- right of residence ------------------------------------------------------------------


def test_recording_a_right_of_residence(client, caseworker, victim):
    response = post(
        client,
        caseworker,
        url("client_residence_add", victim),
        {"valid_from": "2024-03-20", "category": "residence_permit", "permit_type": "work"},
    )
    assert "The right of residence was recorded." in assert_back_on_file(response, victim, client)
    status = ResidenceStatus.objects.get(client=victim)
    assert (status.valid_from, status.category_id, status.permit_type_id) == (
        dt.date(2024, 3, 20),
        "residence_permit",
        "work",
    )
    testing.assert_audited("residence.record", caseworker, status)


def test_a_residence_permit_without_its_type_is_refused(client, caseworker, victim):
    counts = testing.row_counts()
    response = post(
        client,
        caseworker,
        url("client_residence_add", victim),
        {"valid_from": "2024-03-20", "category": "residence_permit"},
    )
    assert_refused(response, "Give the type of the residence permit.", "2024-03-20")
    assert testing.row_counts() == counts


# --- reflection periods ------------------------------------------------------------------


def test_granting_a_reflection_period(client, caseworker, decision_maker, victim):
    testing.add_residence(victim, acting_user=caseworker)
    response = post(
        client,
        decision_maker,
        url("client_reflection_add", victim),
        {"granted_by": "nas", "granted": "2024-03-20", "start": "2024-03-20", "end": "2024-06-20"},
    )
    assert "The reflection period was recorded." in assert_back_on_file(response, victim, client)
    period = ReflectionPeriod.objects.get(client=victim)
    assert (period.start, period.end, period.decided_by) == (
        dt.date(2024, 3, 20),
        dt.date(2024, 6, 20),
        decision_maker,
    )
    testing.assert_audited("reflection_period.grant", decision_maker, period)


def test_a_reflection_period_of_seven_months_is_refused_with_the_dates_kept(
    client, caseworker, decision_maker, victim
):
    testing.add_residence(victim, acting_user=caseworker)
    counts = testing.row_counts()
    response = post(
        client,
        decision_maker,
        url("client_reflection_add", victim),
        {"granted_by": "nas", "granted": "2024-03-20", "start": "2024-03-20", "end": "2024-10-20"},
    )
    assert_refused(
        response, "A reflection period lasts at most 6 months.", "2024-03-20", "2024-10-20"
    )
    assert testing.row_counts() == counts


# --- identification ----------------------------------------------------------------------


def test_identifying_a_victim_exploited_abroad(client, caseworker, decision_maker, dated):
    testing.add_exploitation(dated, acting_user=caseworker, place="abroad", country="SE")
    response = post(
        client,
        decision_maker,
        url("client_identify", dated),
        {"date": "2021-04-01", "ground": "exploited_abroad"},
    )
    assert "The client was identified as a victim." in assert_back_on_file(response, dated, client)
    identification = Identification.objects.get(client=dated)
    assert (identification.ground, identification.decided_by) == (
        "exploited_abroad",
        decision_maker,
    )
    testing.assert_audited("client.identify", decision_maker, identification)


def test_a_separate_identification_after_2022_is_refused(client, decision_maker, dated):
    counts = testing.row_counts()
    response = post(
        client,
        decision_maker,
        url("client_identify", dated),
        {"date": "2023-02-01", "ground": "suspect_dead_or_missing", "justification": "Gone."},
    )
    assert_refused(
        response,
        "From 1 January 2023 the positive admission decision is the identification; "
        "no separate identification decision is made.",
        "2023-02-01",
        "Gone.",
    )
    assert testing.row_counts() == counts


# --- notes and tasks ---------------------------------------------------------------------


def test_adding_a_note(client, caseworker, victim):
    response = post(
        client,
        caseworker,
        url("client_note_add", victim),
        {"date": "2024-04-02", "text": "Met at the shelter; needs a lawyer."},
    )
    page = assert_back_on_file(response, victim, client)
    assert "The note was added." in page
    assert "Met at the shelter; needs a lawyer." in page
    note = CaseNote.objects.get(client=victim)
    assert (note.date, note.author) == (dt.date(2024, 4, 2), caseworker)
    testing.assert_audited("note.add", caseworker, note)


def test_a_note_dated_before_the_referral_is_refused_with_its_text_kept(client, caseworker, victim):
    counts = testing.row_counts()
    response = post(
        client,
        caseworker,
        url("client_note_add", victim),
        {"date": "2020-01-01", "text": "Written too early."},
    )
    assert_refused(
        response,
        "The date of the note (2020-01-01) cannot be before the referral (2024-03-01).",
        "2020-01-01",
        "Written too early.",
    )
    assert testing.row_counts() == counts


def test_creating_a_task(client, caseworker, decision_maker, victim):
    response = post(
        client,
        caseworker,
        url("client_task_add", victim),
        {
            "title": "Review the need",
            "kind": "need_review",
            "due": "2024-06-01",
            "assigned_to": decision_maker.pk,
        },
    )
    assert "The task was created." in assert_back_on_file(response, victim, client)
    task = Task.objects.get(client=victim)
    assert (task.title, task.kind, task.assigned_to) == (
        "Review the need",
        "need_review",
        decision_maker,
    )
    testing.assert_audited("task.create", caseworker, task)


def test_a_task_for_an_ended_client_is_refused(client, caseworker, decision_maker, victim):
    assistance_end(
        acting_user=decision_maker, client=victim, date=ADMITTED, reason=testing.end_reason()
    )
    counts = testing.row_counts()
    response = post(
        client,
        caseworker,
        url("client_task_add", victim),
        {"title": "Call back", "kind": "other", "due": "2024-06-01"},
    )
    assert_refused(
        response,
        "This client relationship has ended; re-admit the client first.",
        "Call back",
        "2024-06-01",
    )
    assert testing.row_counts() == counts


def test_completing_a_task(client, caseworker, victim):
    task = task_create(acting_user=caseworker, client=victim, title="Call back", due=ADMITTED)
    response = post(
        client, caseworker, url("client_task_complete", victim, task), {"date": "2024-04-01"}
    )
    assert "The task was marked done." in assert_back_on_file(response, victim, client)
    task = testing.reload(task)
    assert (task.status, task.closed_on) == ("done", dt.date(2024, 4, 1))
    testing.assert_audited("task.complete", caseworker, task)


def test_completing_a_closed_task_is_refused(client, caseworker, victim):
    task = task_create(acting_user=caseworker, client=victim, title="Call back", due=ADMITTED)
    post(client, caseworker, url("client_task_complete", victim, task), {"date": "2024-04-01"})
    counts = testing.row_counts()
    response = client.post(url("client_task_complete", victim, task), {"date": "2024-04-03"})
    assert_refused(response, "This task is already closed.", "2024-04-03")
    assert testing.row_counts() == counts
    assert testing.reload(task).closed_on == dt.date(2024, 4, 1)


def test_completing_a_task_over_someone_elses_change_is_refused(
    client, caseworker, decision_maker, victim
):
    task = task_create(acting_user=caseworker, client=victim, title="Call back", due=ADMITTED)
    address = url("client_task_complete", victim, task)
    sign_in_verified(client, caseworker)
    opened = opened_version(client, address)
    task_complete(acting_user=decision_maker, task=testing.reload(task), date=dt.date(2024, 4, 1))
    before, counts = testing.db_row(task), testing.row_counts()
    response = client.post(address, {"date": "2024-04-03", "version": opened})
    assert_refused(response, CONCURRENT, "2024-04-03")
    assert (testing.db_row(task), testing.row_counts()) == (before, counts)
    assert testing.reload(task).closed_on == dt.date(2024, 4, 1)


def test_completing_a_task_with_the_version_shown(client, caseworker, victim):
    task = task_create(acting_user=caseworker, client=victim, title="Call back", due=ADMITTED)
    address = url("client_task_complete", victim, task)
    sign_in_verified(client, caseworker)
    opened = opened_version(client, address)
    response = client.post(address, {"date": "2024-04-03", "version": opened})
    assert_back_on_file(response, victim, client)
    assert testing.db_row(task)["version"] == opened + 1


# --- services ----------------------------------------------------------------------------


def test_starting_a_service(client, caseworker, victim):
    response = post(
        client,
        caseworker,
        url("client_service_add", victim),
        {
            "service_type": "legal_aid",
            "provider": "ngo",
            "provider_name": "Pro-tukipiste",
            "start": "2024-03-18",
        },
    )
    assert "The service was started." in assert_back_on_file(response, victim, client)
    service = Service.objects.get(client=victim)
    assert (service.service_type_id, service.provider_name, service.end) == (
        "legal_aid",
        "Pro-tukipiste",
        None,
    )
    testing.assert_audited("service.start", caseworker, service)


def test_a_service_starting_before_the_admission_is_refused(client, caseworker, victim):
    counts = testing.row_counts()
    response = post(
        client,
        caseworker,
        url("client_service_add", victim),
        {"service_type": "legal_aid", "provider": "nas", "start": "2024-03-02"},
    )
    assert_refused(
        response,
        "The start of the service (2024-03-02) cannot be before the admission (2024-03-15).",
        "2024-03-02",
    )
    assert testing.row_counts() == counts


def test_ending_a_service(client, caseworker, victim):
    service = testing.add_service(victim, acting_user=caseworker)
    response = post(
        client, caseworker, url("client_service_end", victim, service), {"end": "2024-05-31"}
    )
    assert "The service was ended." in assert_back_on_file(response, victim, client)
    assert testing.reload(service).end == dt.date(2024, 5, 31)
    testing.assert_audited("service.end", caseworker, service)


def test_ending_a_service_before_it_started_is_refused(client, caseworker, victim):
    service = testing.add_service(victim, acting_user=caseworker, start=dt.date(2024, 4, 1))
    with_rows = testing.row_counts()
    response = post(
        client, caseworker, url("client_service_end", victim, service), {"end": "2024-03-20"}
    )
    assert_refused(
        response,
        "The end of the service (2024-03-20) cannot be before the start of the service "
        "(2024-04-01).",
        "2024-03-20",
    )
    assert testing.row_counts() == with_rows
    assert testing.reload(service).end is None


def test_ending_a_service_over_someone_elses_change_is_refused(
    client, caseworker, decision_maker, victim
):
    service = testing.add_service(victim, acting_user=caseworker)
    address = url("client_service_end", victim, service)
    sign_in_verified(client, caseworker)
    opened = opened_version(client, address)
    service_end(acting_user=decision_maker, service=testing.reload(service), end=ADMITTED)
    before, counts = testing.db_row(service), testing.row_counts()
    response = client.post(address, {"end": "2024-05-31", "version": opened})
    assert_refused(response, CONCURRENT, "2024-05-31")
    assert (testing.db_row(service), testing.row_counts()) == (before, counts)
    assert testing.reload(service).end == ADMITTED


def test_a_service_closed_by_the_end_of_assistance_is_not_ended_again(
    client, caseworker, decision_maker, victim
):
    service = testing.add_service(victim, acting_user=caseworker)
    address = url("client_service_end", victim, service)
    sign_in_verified(client, caseworker)
    opened = opened_version(client, address)
    assistance_end(
        acting_user=decision_maker,
        client=testing.reload(victim),
        date=dt.date(2024, 6, 30),
        reason=testing.end_reason(),
    )
    before = testing.db_row(service)
    response = client.post(address, {"end": "2024-05-31", "version": opened})
    assert_refused(response, CONCURRENT, "2024-05-31")
    assert testing.db_row(service) == before
    assert before["end"] == dt.date(2024, 6, 30)


def test_ending_a_service_with_the_version_shown(client, caseworker, victim):
    service = testing.add_service(victim, acting_user=caseworker)
    address = url("client_service_end", victim, service)
    sign_in_verified(client, caseworker)
    opened = opened_version(client, address)
    response = client.post(address, {"end": "2024-05-31", "version": opened})
    assert "The service was ended." in assert_back_on_file(response, victim, client)
    assert testing.db_row(service)["version"] == opened + 1


# --- assignment and restriction (optimistic locking) ---------------------------------------


def test_assigning_a_caseworker(client, caseworker, decision_maker, victim):
    version = victim.version
    response = post(
        client,
        caseworker,
        url("client_assign", victim),
        {"caseworker": decision_maker.pk, "version": version},
    )
    assert "The caseworker was assigned." in assert_back_on_file(response, victim, client)
    victim = testing.reload(victim)
    assert (victim.caseworker, victim.version) == (decision_maker, version + 1)
    testing.assert_audited("client.assign", caseworker, victim)


def test_an_assignment_over_someone_elses_change_is_refused(
    client, caseworker, decision_maker, victim
):
    opened = victim.version
    client_assign(acting_user=decision_maker, client=victim, caseworker=caseworker)
    victim = testing.reload(victim)
    counts = testing.row_counts()
    response = post(
        client,
        caseworker,
        url("client_assign", victim),
        {"caseworker": decision_maker.pk, "version": opened},
    )
    assert_refused(response, CONCURRENT)
    assert testing.row_counts() == counts
    assert testing.reload(victim).caseworker == caseworker


def test_restricting_and_unrestricting_a_client(client, caseworker, victim):
    response = post(
        client,
        caseworker,
        url("client_restrict", victim),
        {"restricted": "true", "version": victim.version},
    )
    page = assert_back_on_file(response, victim, client)
    assert "Access to the client was restricted." in page
    assert testing.reload(victim).restricted
    testing.assert_audited("client.restrict", caseworker, victim)
    sign_in_verified(client, caseworker)
    form = client.get(url("client_restrict", victim)).content.decode()
    assert 'value="false"' in form
    response = client.post(
        url("client_restrict", victim),
        {"restricted": "false", "version": testing.reload(victim).version},
    )
    assert "The restriction was removed." in assert_back_on_file(response, victim, client)
    assert not testing.reload(victim).restricted
    testing.assert_audited("client.unrestrict", caseworker, victim)


def test_restricting_a_client_without_a_caseworker_is_refused(client, caseworker):
    unassigned = testing.make_client()
    counts = testing.row_counts()
    response = post(
        client,
        caseworker,
        url("client_restrict", unassigned),
        {"restricted": "true", "version": unassigned.version},
    )
    assert_refused(
        response, "Assign a caseworker before restricting access: nobody else will see it."
    )
    assert testing.row_counts() == counts


def test_restricting_over_someone_elses_change_is_refused(
    client, caseworker, decision_maker, victim
):
    opened = victim.version
    client_assign(acting_user=decision_maker, client=victim, caseworker=decision_maker)
    victim = testing.reload(victim)
    before, counts = testing.db_row(victim), testing.row_counts()
    response = post(
        client,
        caseworker,
        url("client_restrict", victim),
        {"restricted": "true", "version": opened},
    )
    assert_refused(response, CONCURRENT)
    assert (testing.row_counts(), testing.db_row(victim)) == (counts, before)


# --- children ----------------------------------------------------------------------------


def test_admitting_a_child_of_the_client(client, caseworker, victim):
    response = post(
        client,
        caseworker,
        url("client_child_add", victim),
        {
            "given_names": "Mira",
            "family_name": "Test",
            "date_of_birth": "2016-02-03",
            "gender": "female",
            "primary_nationality": "EE",
            "admitted": "2024-03-15",
        },
    )
    assert "The child was admitted." in assert_back_on_file(response, victim, client)
    child = ClientPeriod.objects.get(parent=victim)
    assert (child.client_type, child.person.given_names, child.person.nationalities) == (
        "child",
        "Mira",
        ["EE"],
    )
    testing.assert_audited("client.admit_child", caseworker, child)
    testing.assert_audited("person.create", caseworker, child.person)


def test_an_adult_is_not_admitted_as_a_child_and_no_person_is_recorded(client, caseworker, victim):
    counts = testing.row_counts()
    response = post(
        client,
        caseworker,
        url("client_child_add", victim),
        {
            "given_names": "Grown",
            "family_name": "Up",
            "date_of_birth": "1999-02-03",
            "gender": "male",
            "primary_nationality": "unknown",
            "admitted": "2024-03-15",
        },
    )
    assert_refused(response, "A child of a client must be under 18 on admission.", "Grown")
    assert testing.row_counts() == counts
    assert not Person.objects.filter(pk__gt=victim.person_id).exists()


# --- end of assistance and re-admission ----------------------------------------------------


def test_ending_assistance(client, caseworker, decision_maker, victim):
    service = testing.add_service(victim, acting_user=caseworker)
    response = post(
        client,
        decision_maker,
        url("client_end", victim),
        {"date": "2024-06-30", "reason": "no_need", "version": victim.version},
    )
    assert "The assistance was ended." in assert_back_on_file(response, victim, client)
    victim = testing.reload(victim)
    assert (victim.status, victim.ended_on, victim.end_reason_id) == (
        "ended",
        dt.date(2024, 6, 30),
        "no_need",
    )
    assert testing.reload(service).end == dt.date(2024, 6, 30)
    testing.assert_audited("client.end", decision_maker, victim)


def test_ending_for_other_reasons_needs_the_details(client, decision_maker, victim):
    counts = testing.row_counts()
    response = post(
        client,
        decision_maker,
        url("client_end", victim),
        {"date": "2024-06-30", "reason": "other", "version": victim.version},
    )
    assert_refused(response, "Describe the reason when it is “other”.", "2024-06-30")
    assert 'value="other" selected' in response.content.decode()
    assert testing.row_counts() == counts


def test_ending_over_someone_elses_change_is_refused(client, caseworker, decision_maker, victim):
    opened = victim.version
    client_assign(acting_user=caseworker, client=victim, caseworker=decision_maker)
    victim = testing.reload(victim)
    before, counts = testing.db_row(victim), testing.row_counts()
    response = post(
        client,
        decision_maker,
        url("client_end", victim),
        {"date": "2024-06-30", "reason": "no_need", "version": opened},
    )
    assert_refused(response, CONCURRENT, "2024-06-30")
    assert (testing.row_counts(), testing.db_row(victim)) == (counts, before)


def test_readmitting_a_former_client(client, decision_maker, victim):
    assistance_end(
        acting_user=decision_maker,
        client=victim,
        date=dt.date(2024, 4, 30),
        reason=testing.end_reason(),
    )
    response = post(
        client,
        decision_maker,
        url("client_readmit", victim),
        {
            "received": "2024-09-01",
            "channel": "phone",
            "referrer_type": "police",
            "date": "2024-09-05",
            "client_type": "victim",
            "consent_given": "true",
            "trafficking_definition_met": "true",
            "need_for_help": "true",
        },
    )
    later = ClientPeriod.objects.get(person=victim.person, status="active")
    assert response.status_code == 302
    assert response.url == url("client_detail", later)
    assert "The client was re-admitted" in client.get(response.url).content.decode()
    assert later.admitted == dt.date(2024, 9, 5)
    testing.assert_audited("client.admit", decision_maker, later)


def test_readmitting_without_the_persons_consent_is_refused(client, decision_maker, victim):
    assistance_end(
        acting_user=decision_maker,
        client=victim,
        date=dt.date(2024, 4, 30),
        reason=testing.end_reason(),
    )
    counts = testing.row_counts()
    response = post(
        client,
        decision_maker,
        url("client_readmit", victim),
        {
            "received": "2024-09-01",
            "channel": "phone",
            "referrer_type": "police",
            "date": "2024-09-05",
            "client_type": "victim",
            "consent_given": "false",
            "trafficking_definition_met": "true",
            "need_for_help": "true",
            "account": "Came back to the shelter.",
        },
    )
    assert_refused(
        response,
        "A positive decision needs the person's consent (consent is not required for a minor).",
        "2024-09-01",
        "Came back to the shelter.",
    )
    assert testing.row_counts() == counts


def test_an_active_client_is_not_readmitted(client, decision_maker, victim):
    counts = testing.row_counts()
    response = post(
        client,
        decision_maker,
        url("client_readmit", victim),
        {
            "received": "2024-09-01",
            "channel": "phone",
            "referrer_type": "police",
            "date": "2024-09-05",
            "client_type": "victim",
            "consent_given": "true",
            "trafficking_definition_met": "true",
            "need_for_help": "true",
        },
    )
    assert_refused(
        response, "This client relationship is still active; re-admission follows its end."
    )
    assert testing.row_counts() == counts


# --- who may: every action page --------------------------------------------------------------

ON_CLIENT = (
    "client_exploitation_add",
    "client_residence_add",
    "client_service_add",
    "client_reflection_add",
    "client_identify",
    "client_note_add",
    "client_task_add",
    "client_assign",
    "client_restrict",
    "client_child_add",
    "client_end",
    "client_readmit",
)
DECISIONS = ("client_reflection_add", "client_identify", "client_end", "client_readmit")


@pytest.mark.parametrize("name", ON_CLIENT)
def test_opening_an_action_page_is_an_audited_read(client, decision_maker, victim, name):
    sign_in_verified(client, decision_maker)
    response = client.get(url(name, victim))
    assert response.status_code == 200
    assert str(victim.person) in response.content.decode()
    event = testing.assert_audited("client.view", decision_maker, victim)
    assert event.changes == {"page": name}


@pytest.mark.parametrize("name", ON_CLIENT)
def test_another_offices_client_is_not_found_and_the_attempt_is_audited(
    client, decision_maker, name
):
    theirs = testing.make_client(office_code="tampere")
    counts = testing.row_counts()
    sign_in_verified(client, decision_maker)
    assert client.get(url(name, theirs)).status_code == 404
    assert client.post(url(name, theirs), {"version": theirs.version}).status_code == 404
    testing.assert_audited("client.view_denied", decision_maker, theirs)
    after = testing.row_counts()
    assert {k: v for k, v in after.items() if k != "audit.AuditEvent"} == {
        k: v for k, v in counts.items() if k != "audit.AuditEvent"
    }


@pytest.mark.parametrize("name", DECISIONS)
def test_a_caseworker_may_not_take_the_decisions(client, caseworker, victim, name):
    sign_in_verified(client, caseworker)
    assert client.get(url(name, victim)).status_code == 403
    assert client.post(url(name, victim), {}).status_code == 403


@pytest.mark.parametrize(
    "persona", ["statistician", "auditor", "referrer", "outsider"], indirect=True
)
@pytest.mark.parametrize("name", ON_CLIENT)
def test_roles_without_casework_get_403(client, persona, victim, name):
    sign_in_verified(client, persona)
    assert client.post(url(name, victim), {}).status_code == 403
