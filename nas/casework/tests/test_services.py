"""Client records: every rule holds, and a broken one is refused without changing anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nas.assistance.models import Service
from nas.casework.models import ClientPeriod, Exploitation, Identification, Task
from nas.casework.services import (
    assistance_end,
    child_admit,
    client_assign,
    client_readmit,
    client_set_restricted,
    exploitation_make_primary,
    exploitation_record,
    exploitation_remove,
    note_add,
    reflection_period_grant,
    residence_record,
    task_complete,
    task_create,
    victim_identify,
)
from nas.common.dates import today
from nas.common.errors import ConcurrentEditError
from nas.common.testing import (
    add_exploitation,
    add_residence,
    add_service,
    assert_audited,
    db_row,
    exploitation_form,
    labour_sector,
    make_child,
    make_client,
    make_person,
    permit_type,
    refused,
    reload,
    residence_category,
    row_counts,
)

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2024, 3, 1)
ADMITTED = dt.date(2024, 3, 15)
TOMORROW = today() + dt.timedelta(days=1)
ENDED = "This client relationship has ended; re-admit the client first."
CONCURRENT = (
    "Someone else changed this record after you opened it. Your changes were not saved: "
    "reload the page to see the current version, then make them again."
)


def end(client, user, date=dt.date(2024, 6, 1), reason="no_need", details=""):
    from nas.casework.models import EndReason

    return assistance_end(
        acting_user=user,
        client=client,
        date=date,
        reason=EndReason.objects.get(code=reason),
        details=details,
    )


def client_of_2020(caseworker, decision_maker, **kwargs):
    """A victim admitted on 1 February 2020, in the era of the 2015-2022 rule."""
    return make_client(
        received=dt.date(2020, 1, 10),
        decided=dt.date(2020, 2, 1),
        caseworker=caseworker,
        decision_maker=decision_maker,
        **kwargs,
    )


# --- children of clients ----------------------------------------------------------------


def test_it_admits_a_child_with_a_victim_and_links_them(caseworker, victim):
    child_person = make_person(acting_user=caseworker, date_of_birth=dt.date(2015, 6, 1))

    child = child_admit(
        acting_user=caseworker, parent=victim, person=child_person, admitted=ADMITTED
    )

    child = reload(child)
    assert child.client_type == "child"
    assert child.parent == victim
    assert child.admitted_as_minor is True
    assert child.office == victim.office
    assert child.referral is None
    assert_audited("client.admit_child", caseworker, child)


def test_it_admits_a_child_with_a_witness(caseworker, decision_maker):
    witness = make_client(
        client_type="witness", caseworker=caseworker, decision_maker=decision_maker
    )

    child = make_child(witness, acting_user=caseworker)

    assert child.parent == witness


def test_it_admits_a_child_on_the_day_before_their_18th_birthday(caseworker, victim):
    child = make_child(victim, acting_user=caseworker, date_of_birth=dt.date(2006, 3, 16))

    assert child.admitted_as_minor is True


@pytest.mark.parametrize("born", [dt.date(2006, 3, 15), dt.date(2000, 1, 1)])
def test_it_refuses_a_child_who_is_18_on_the_admission_day(caseworker, victim, born):
    person = make_person(acting_user=caseworker, date_of_birth=born)

    with refused("A child of a client must be under 18 on admission.", person, victim):
        child_admit(acting_user=caseworker, parent=victim, person=person, admitted=ADMITTED)


def test_a_child_with_a_year_of_birth_is_under_18_until_1_july(caseworker, victim):
    person = make_person(acting_user=caseworker, birth_year=2006)
    message = "A child of a client must be under 18 on admission."

    with refused(message, person):
        child_admit(
            acting_user=caseworker, parent=victim, person=person, admitted=dt.date(2024, 7, 1)
        )
    child = child_admit(
        acting_user=caseworker, parent=victim, person=person, admitted=dt.date(2024, 6, 30)
    )
    assert child.admitted_as_minor is True


def test_it_admits_a_child_assessed_as_a_minor(caseworker, victim):
    person = make_person(acting_user=caseworker, age_assessment="minor")

    child = child_admit(acting_user=caseworker, parent=victim, person=person, admitted=ADMITTED)

    assert child.client_type == "child"


def test_it_refuses_a_child_whose_age_is_unknown(caseworker, victim):
    person = make_person(acting_user=caseworker, age_assessment="unknown")

    message = "Record the child's date or year of birth, or assess them as a minor."
    with refused(message, person):
        child_admit(acting_user=caseworker, parent=victim, person=person, admitted=ADMITTED)


def test_it_refuses_a_child_of_a_child(caseworker, victim):
    child = make_child(victim, acting_user=caseworker)
    grandchild = make_person(acting_user=caseworker, date_of_birth=dt.date(2020, 1, 1))

    with refused("A child is admitted with a victim or a witness.", child, grandchild):
        child_admit(acting_user=caseworker, parent=child, person=grandchild, admitted=ADMITTED)


def test_it_refuses_a_child_with_a_parent_whose_assistance_ended(
    caseworker, decision_maker, victim
):
    end(victim, decision_maker)
    parent = reload(victim)
    person = make_person(acting_user=caseworker, date_of_birth=dt.date(2015, 6, 1))

    message = "The parent's client relationship has ended; a child cannot be admitted with it."
    with refused(message, parent, person):
        child_admit(acting_user=caseworker, parent=parent, person=person, admitted=ADMITTED)


def test_it_refuses_a_child_admitted_before_the_parent(caseworker, victim):
    person = make_person(acting_user=caseworker, date_of_birth=dt.date(2015, 6, 1))

    message = (
        "The admission date (2024-03-14) cannot be before the parent's admission (2024-03-15)."
    )
    with refused(message, person):
        child_admit(
            acting_user=caseworker, parent=victim, person=person, admitted=dt.date(2024, 3, 14)
        )


def test_it_refuses_a_child_admitted_before_they_were_born(caseworker, victim):
    person = make_person(acting_user=caseworker, date_of_birth=dt.date(2024, 4, 1))

    with refused("A child cannot be admitted before they were born.", person):
        child_admit(acting_user=caseworker, parent=victim, person=person, admitted=ADMITTED)


def test_it_refuses_a_child_admitted_in_the_future(caseworker, victim):
    person = make_person(acting_user=caseworker, date_of_birth=dt.date(2015, 6, 1))

    with refused("The admission date cannot be in the future.", person):
        child_admit(acting_user=caseworker, parent=victim, person=person, admitted=TOMORROW)


def test_it_refuses_a_child_who_is_already_an_active_client(caseworker, victim):
    child = make_child(victim, acting_user=caseworker)

    with refused("This person is already an active client.", child):
        child_admit(acting_user=caseworker, parent=victim, person=child.person, admitted=ADMITTED)


def test_it_refuses_to_admit_the_parent_as_their_own_child(caseworker, decision_maker):
    minor = make_person(acting_user=caseworker, date_of_birth=dt.date(2008, 1, 1))
    parent = make_client(minor, caseworker=caseworker, decision_maker=decision_maker)

    with refused("A person cannot be admitted as their own child.", parent):
        child_admit(acting_user=caseworker, parent=parent, person=minor, admitted=ADMITTED)


# --- exactly one primary form of exploitation -------------------------------------------


def test_it_records_the_primary_form_of_exploitation_and_audits_it(caseworker, victim):
    item = exploitation_record(
        acting_user=caseworker,
        client=victim,
        form=exploitation_form("sexual_exploitation"),
        is_primary=True,
        place="abroad",
        country="EE",
    )

    assert reload(item).is_primary is True
    assert item.exploiter_safety_risk is None
    assert_audited("exploitation.record", caseworker, item)


def test_it_records_secondary_forms_after_the_primary(caseworker, victim):
    add_exploitation(victim, acting_user=caseworker)
    add_exploitation(victim, acting_user=caseworker, form="forced_criminality", is_primary=False)

    assert victim.exploitations.count() == 2
    assert victim.exploitations.filter(is_primary=True).count() == 1


def test_it_refuses_a_second_primary_form(caseworker, victim):
    first = add_exploitation(victim, acting_user=caseworker)

    message = (
        "This client already has a primary form of exploitation; make this one primary instead."
    )
    with refused(message, first, victim):
        add_exploitation(victim, acting_user=caseworker, form="forced_marriage")


def test_it_refuses_a_secondary_form_before_the_primary(caseworker, victim):
    with refused("Record the primary form of exploitation first.", victim):
        add_exploitation(victim, acting_user=caseworker, is_primary=False)


def test_making_a_secondary_form_primary_swaps_the_two(caseworker, victim):
    first = add_exploitation(victim, acting_user=caseworker)
    second = add_exploitation(
        victim, acting_user=caseworker, form="forced_criminality", is_primary=False
    )

    exploitation_make_primary(acting_user=caseworker, exploitation=second)

    assert reload(second).is_primary is True
    assert reload(first).is_primary is False
    assert victim.exploitations.filter(is_primary=True).count() == 1
    event = assert_audited("exploitation.make_primary", caseworker, second)
    assert event.changes["is_primary"] == [first.pk, second.pk]


def test_it_refuses_to_remove_the_primary_form_while_others_exist(caseworker, victim):
    first = add_exploitation(victim, acting_user=caseworker)
    second = add_exploitation(
        victim, acting_user=caseworker, form="forced_criminality", is_primary=False
    )

    with refused("Make another form primary before removing the primary form.", first, second):
        exploitation_remove(acting_user=caseworker, exploitation=first)


def test_it_removes_a_secondary_form_and_then_the_last_primary_one(caseworker, victim):
    first = add_exploitation(victim, acting_user=caseworker)
    second = add_exploitation(
        victim, acting_user=caseworker, form="forced_criminality", is_primary=False
    )

    exploitation_remove(acting_user=caseworker, exploitation=second)
    exploitation_remove(acting_user=caseworker, exploitation=first)

    assert not Exploitation.objects.filter(client=victim).exists()
    assert_audited("exploitation.remove", caseworker)


def test_forced_labour_is_recorded_with_its_sector(caseworker, victim):
    item = exploitation_record(
        acting_user=caseworker,
        client=victim,
        form=exploitation_form("forced_labour"),
        is_primary=True,
        place="finland",
        sector=labour_sector("berry_farm"),
    )

    item = reload(item)
    assert item.sector.code == "berry_farm"
    assert item.country == "FI"


def test_forced_labour_needs_a_sector(caseworker, victim):
    with refused("Give the sector of forced labour (“unknown” if it is not known).", victim):
        exploitation_record(
            acting_user=caseworker,
            client=victim,
            form=exploitation_form("forced_labour"),
            is_primary=True,
            place="finland",
        )


def test_only_forced_labour_has_a_sector(caseworker, victim):
    with refused("A sector is recorded only for forced labour.", victim):
        exploitation_record(
            acting_user=caseworker,
            client=victim,
            form=exploitation_form("sexual_exploitation"),
            is_primary=True,
            place="finland",
            sector=labour_sector("cleaning"),
        )


def test_exploitation_abroad_needs_the_country(caseworker, victim):
    with refused("Give the country abroad where the exploitation took place.", victim):
        add_exploitation(victim, acting_user=caseworker, place="abroad")


def test_exploitation_may_have_taken_place_years_before_the_referral(caseworker, victim):
    item = add_exploitation(
        victim, acting_user=caseworker, start=dt.date(2018, 5, 1), end=dt.date(2019, 8, 31)
    )

    assert reload(item).start == dt.date(2018, 5, 1)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("start", "The start of the exploitation cannot be in the future."),
        ("end", "The end of the exploitation cannot be in the future."),
    ],
)
def test_exploitation_dates_cannot_be_in_the_future(caseworker, victim, field, message):
    with refused(message, victim):
        dates: dict[str, Any] = {field: TOMORROW}
        add_exploitation(victim, acting_user=caseworker, **dates)


def test_exploitation_cannot_end_before_it_started(caseworker, victim):
    with refused("The end date cannot be before the start date.", victim):
        add_exploitation(
            victim, acting_user=caseworker, start=dt.date(2023, 5, 1), end=dt.date(2023, 4, 1)
        )


def test_no_exploitation_is_recorded_on_a_child_of_a_client(caseworker, victim):
    child = make_child(victim, acting_user=caseworker)

    message = "No data on exploitation or residence is collected on children of clients."
    with refused(message, child):
        add_exploitation(child, acting_user=caseworker)


# --- right of residence -----------------------------------------------------------------


def test_it_records_a_residence_permit_with_its_type_and_keeps_the_history(caseworker, victim):
    add_residence(victim, "asylum_seeker", acting_user=caseworker, valid_from=RECEIVED)
    status = add_residence(
        victim, "residence_permit", acting_user=caseworker, valid_from=ADMITTED, permit="work"
    )

    assert status.permit_type_id == "work"
    history = [s.category_id for s in victim.residence_history.all()]
    assert history == ["asylum_seeker", "residence_permit"]
    assert_audited("residence.record", caseworker, status)


def test_a_residence_permit_needs_its_type(caseworker, victim):
    with refused("Give the type of the residence permit.", victim):
        residence_record(
            acting_user=caseworker,
            client=victim,
            valid_from=ADMITTED,
            category=residence_category("residence_permit"),
        )


def test_a_permit_type_is_recorded_only_with_a_residence_permit(caseworker, victim):
    with refused("A permit type is recorded only with a residence permit.", victim):
        residence_record(
            acting_user=caseworker,
            client=victim,
            valid_from=ADMITTED,
            category=residence_category("visa"),
            permit_type=permit_type("work"),
        )


def test_a_right_of_residence_cannot_start_before_the_referral(caseworker, victim):
    message = (
        "The start of the right of residence (2024-02-29) cannot be before the referral "
        "(2024-03-01)."
    )
    with refused(message, victim):
        add_residence(victim, acting_user=caseworker, valid_from=dt.date(2024, 2, 29))


def test_a_right_of_residence_cannot_start_in_the_future(caseworker, victim):
    with refused("The start of the right of residence cannot be in the future.", victim):
        add_residence(victim, acting_user=caseworker, valid_from=TOMORROW)


def test_it_refuses_two_rights_of_residence_from_the_same_day(caseworker, victim):
    add_residence(victim, acting_user=caseworker)

    with refused("A right of residence is already recorded from this date.", victim):
        add_residence(victim, "visa", acting_user=caseworker)


# --- reflection periods: 30 days to 6 months, without a right of residence --------------

START = dt.date(2024, 4, 1)


def grant(client, user, end, start=START, granted=START, granted_by="nas"):
    return reflection_period_grant(
        acting_user=user,
        client=client,
        granted=granted,
        start=start,
        end=end,
        granted_by=granted_by,
    )


@pytest.fixture
def undocumented(caseworker, victim):
    """The victim, recorded as having no legal right of residence since admission."""
    add_residence(victim, "no_right_of_residence", acting_user=caseworker)
    return victim


def test_it_grants_a_reflection_period_of_exactly_30_days_and_audits_it(
    decision_maker, undocumented
):
    period = grant(undocumented, decision_maker, end=dt.date(2024, 5, 1))

    period = reload(period)
    assert (period.start, period.end) == (START, dt.date(2024, 5, 1))
    assert period.decided_by == decision_maker
    assert period.granted_by == "nas"
    assert_audited("reflection_period.grant", decision_maker, period)


def test_it_refuses_a_reflection_period_of_29_days(decision_maker, undocumented):
    with refused("A reflection period lasts at least 30 days.", undocumented):
        grant(undocumented, decision_maker, end=dt.date(2024, 4, 30))


def test_it_grants_a_reflection_period_of_exactly_six_months(decision_maker, undocumented):
    period = grant(undocumented, decision_maker, end=dt.date(2024, 10, 1))

    assert reload(period).end == dt.date(2024, 10, 1)


@pytest.mark.parametrize("last", [dt.date(2024, 10, 2), dt.date(2024, 11, 1)])
def test_it_refuses_a_reflection_period_over_six_months(decision_maker, undocumented, last):
    with refused("A reflection period lasts at most 6 months.", undocumented):
        grant(undocumented, decision_maker, end=last)


def test_six_months_from_31_august_end_on_the_last_day_of_february(caseworker, decision_maker):
    client = make_client(
        received=dt.date(2024, 8, 1),
        decided=dt.date(2024, 8, 20),
        caseworker=caseworker,
        decision_maker=decision_maker,
    )
    add_residence(client, acting_user=caseworker)
    start = dt.date(2024, 8, 31)

    with refused("A reflection period lasts at most 6 months.", client):
        grant(client, decision_maker, start=start, granted=start, end=dt.date(2025, 3, 1))
    period = grant(client, decision_maker, start=start, granted=start, end=dt.date(2025, 2, 28))
    assert period.end == dt.date(2025, 2, 28)


@pytest.mark.parametrize(
    ("category", "permit", "label"),
    [
        ("finnish_citizen", None, "Finnish citizen"),
        ("residence_permit", "seasonal_work", "Residence permit"),
    ],
)
def test_it_refuses_a_reflection_period_to_a_person_with_a_right_of_residence(
    caseworker, decision_maker, victim, category, permit, label
):
    add_residence(victim, category, acting_user=caseworker, permit=permit)

    message = (
        "A reflection period is granted only to a person without a right of residence; "
        f"this client has: {label}."
    )
    with refused(message, victim):
        grant(victim, decision_maker, end=dt.date(2024, 6, 1))


def test_it_refuses_a_reflection_period_before_the_right_of_residence_is_recorded(
    decision_maker, victim
):
    message = "Record the client's right of residence before granting a reflection period."
    with refused(message, victim):
        grant(victim, decision_maker, end=dt.date(2024, 6, 1))


def test_it_refuses_a_reflection_period_to_an_ended_client(decision_maker, undocumented):
    end(undocumented, decision_maker, date=dt.date(2024, 3, 20))
    ended = reload(undocumented)

    with refused(ENDED, ended):
        grant(ended, decision_maker, end=dt.date(2024, 6, 1))


def test_it_refuses_overlapping_reflection_periods(decision_maker, undocumented):
    first = grant(undocumented, decision_maker, end=dt.date(2024, 6, 1))

    message = "The client already has a reflection period in these dates."
    with refused(message, first, undocumented):
        grant(
            undocumented,
            decision_maker,
            start=dt.date(2024, 6, 1),
            granted=dt.date(2024, 6, 1),
            end=dt.date(2024, 8, 1),
        )


def test_only_a_decision_maker_grants_a_reflection_period_for_the_assistance_system(
    caseworker, undocumented
):
    with refused("Only a decision-maker can grant a reflection period.", undocumented):
        grant(undocumented, caseworker, end=dt.date(2024, 6, 1))


def test_a_caseworker_records_a_reflection_period_granted_by_the_police(caseworker, undocumented):
    period = grant(undocumented, caseworker, end=dt.date(2024, 6, 1), granted_by="police")

    assert period.decided_by is None
    assert_audited("reflection_period.grant", caseworker, period)


def test_a_reflection_period_is_granted_to_a_victim_only(caseworker, decision_maker):
    witness = make_client(
        client_type="witness", caseworker=caseworker, decision_maker=decision_maker
    )
    add_residence(witness, acting_user=caseworker)

    with refused("A reflection period is granted to a victim.", witness):
        grant(witness, decision_maker, end=dt.date(2024, 6, 1))


def test_a_reflection_period_cannot_start_before_the_referral(decision_maker, undocumented):
    with refused("The reflection period cannot start before the referral.", undocumented):
        grant(undocumented, decision_maker, start=dt.date(2024, 2, 1), end=dt.date(2024, 4, 1))


def test_a_reflection_period_cannot_be_granted_in_the_future(decision_maker, undocumented):
    with refused("The decision date cannot be in the future.", undocumented):
        grant(undocumented, decision_maker, granted=TOMORROW, end=dt.date(2024, 6, 1))


# --- identification: the rule in force on the decision date -----------------------------


def test_between_2015_and_2022_a_victim_exploited_abroad_is_identified(caseworker, decision_maker):
    client = client_of_2020(caseworker, decision_maker)
    add_exploitation(client, acting_user=caseworker, place="abroad", country="SE")

    identification = victim_identify(
        acting_user=decision_maker,
        client=client,
        date=dt.date(2020, 3, 1),
        ground="exploited_abroad",
    )

    identification = reload(identification)
    assert identification.ground == "exploited_abroad"
    assert identification.decided_by == decision_maker
    assert_audited("client.identify", decision_maker, identification)


def test_between_2015_and_2022_exploited_abroad_needs_exploitation_abroad(
    caseworker, decision_maker
):
    client = client_of_2020(caseworker, decision_maker)
    add_exploitation(client, acting_user=caseworker, place="finland")

    message = (
        "Between July 2015 and 2022 this ground needs exploitation that took place outside Finland."
    )
    with refused(message, client):
        victim_identify(
            acting_user=decision_maker,
            client=client,
            date=dt.date(2020, 3, 1),
            ground="exploited_abroad",
        )


def test_a_suspect_dead_or_missing_needs_a_justification(caseworker, decision_maker):
    client = client_of_2020(caseworker, decision_maker)

    message = "Explain why no charges can be brought (the suspect died or disappeared)."
    with refused(message, client):
        victim_identify(
            acting_user=decision_maker,
            client=client,
            date=dt.date(2020, 3, 1),
            ground="suspect_dead_or_missing",
            justification=" ",
        )
    identification = victim_identify(
        acting_user=decision_maker,
        client=client,
        date=dt.date(2020, 3, 1),
        ground="suspect_dead_or_missing",
        justification="The suspect died in 2019.",
    )
    assert identification.justification == "The suspect died in 2019."


def test_between_2015_and_2022_the_admission_is_no_ground_of_identification(
    caseworker, decision_maker
):
    client = client_of_2020(caseworker, decision_maker)

    message = (
        "Between July 2015 and 2022 a victim could be identified only when exploited outside "
        "Finland or when the suspect had died or disappeared."
    )
    with refused(message, client):
        victim_identify(
            acting_user=decision_maker, client=client, date=dt.date(2020, 3, 1), ground="admission"
        )


def test_no_victim_is_identified_before_1_july_2015(caseworker, decision_maker):
    client = make_client(
        received=dt.date(2015, 3, 1),
        decided=dt.date(2015, 3, 10),
        caseworker=caseworker,
        decision_maker=decision_maker,
    )
    justification = "The suspect disappeared."

    message = "The assistance system could formally identify victims only from 1 July 2015."
    with refused(message, client):
        victim_identify(
            acting_user=decision_maker,
            client=client,
            date=dt.date(2015, 6, 30),
            ground="suspect_dead_or_missing",
            justification=justification,
        )
    identification = victim_identify(
        acting_user=decision_maker,
        client=client,
        date=dt.date(2015, 7, 1),
        ground="suspect_dead_or_missing",
        justification=justification,
    )
    assert identification.date == dt.date(2015, 7, 1)


def test_from_2023_no_separate_identification_is_made(caseworker, decision_maker):
    client = make_client(
        received=dt.date(2022, 6, 1),
        decided=dt.date(2022, 6, 10),
        caseworker=caseworker,
        decision_maker=decision_maker,
    )

    message = (
        "From 1 January 2023 the positive admission decision is the identification; no "
        "separate identification decision is made."
    )
    with refused(message, client):
        victim_identify(
            acting_user=decision_maker,
            client=client,
            date=dt.date(2023, 1, 1),
            ground="suspect_dead_or_missing",
            justification="The suspect died.",
        )


def test_a_victim_admitted_from_2023_is_already_identified(decision_maker, victim):
    assert Identification.objects.get(client=victim).ground == "admission"

    with refused("This client has already been identified.", victim):
        victim_identify(
            acting_user=decision_maker, client=victim, date=ADMITTED, ground="admission"
        )


def test_only_a_decision_maker_identifies_a_victim(caseworker, decision_maker):
    client = client_of_2020(caseworker, decision_maker)

    with refused("Only a decision-maker can identify a victim.", client):
        victim_identify(
            acting_user=caseworker,
            client=client,
            date=dt.date(2020, 3, 1),
            ground="suspect_dead_or_missing",
            justification="The suspect died.",
        )


def test_an_identification_cannot_precede_the_admission(caseworker, decision_maker):
    client = client_of_2020(caseworker, decision_maker)

    message = "The identification date (2020-01-31) cannot be before the admission (2020-02-01)."
    with refused(message, client):
        victim_identify(
            acting_user=decision_maker,
            client=client,
            date=dt.date(2020, 1, 31),
            ground="suspect_dead_or_missing",
            justification="The suspect died.",
        )


# --- ending assistance ------------------------------------------------------------------


def test_ending_assistance_closes_open_services_tasks_and_children_as_of_that_date(
    caseworker, decision_maker, victim
):
    open_service = add_service(victim, acting_user=caseworker)
    ended_service = add_service(victim, acting_user=caseworker, code="health_care")
    from nas.assistance.services import service_end

    service_end(acting_user=caseworker, service=ended_service, end=dt.date(2024, 4, 1))
    open_task = task_create(
        acting_user=caseworker, client=victim, title="Review need", due=dt.date(2024, 9, 1)
    )
    done_task = task_create(
        acting_user=caseworker, client=victim, title="Call", due=dt.date(2024, 4, 1)
    )
    task_complete(acting_user=caseworker, task=done_task, date=dt.date(2024, 4, 2))
    child = make_child(victim, acting_user=caseworker)

    end(victim, decision_maker, date=dt.date(2024, 6, 1), reason="left_finland")

    stored = reload(victim)
    assert stored.status == "ended"
    assert stored.ended_on == dt.date(2024, 6, 1)
    assert stored.end_reason.code == "left_finland"
    assert reload(open_service).end == dt.date(2024, 6, 1)
    assert reload(ended_service).end == dt.date(2024, 4, 1)
    assert (reload(open_task).status, reload(open_task).closed_on) == (
        "cancelled",
        dt.date(2024, 6, 1),
    )
    assert (reload(done_task).status, reload(done_task).closed_on) == ("done", dt.date(2024, 4, 2))
    child = reload(child)
    assert (child.status, child.ended_on, child.end_reason.code) == (
        "ended",
        dt.date(2024, 6, 1),
        "left_finland",
    )
    assert_audited("client.end", decision_maker, victim)
    assert_audited("client.end", decision_maker, child)
    event = assert_audited("client.close_open_items", decision_maker, victim)
    assert event.changes == {"services_ended": [open_service.pk], "tasks_cancelled": [open_task.pk]}


def test_ending_assistance_needs_a_reason(decision_maker, victim):
    with refused("Ending assistance needs a reason.", victim):
        assistance_end(
            acting_user=decision_maker, client=victim, date=dt.date(2024, 6, 1), reason=None
        )


def test_ending_assistance_for_another_reason_needs_its_details(decision_maker, victim):
    with refused("Describe the reason when it is “other”.", victim):
        end(victim, decision_maker, reason="other")
    end(victim, decision_maker, reason="other", details="Moved to a shelter abroad")
    assert reload(victim).end_reason_text == "Moved to a shelter abroad"


def test_a_refused_end_leaves_services_and_tasks_open(caseworker, decision_maker, victim):
    service = add_service(victim, acting_user=caseworker)
    task = task_create(acting_user=caseworker, client=victim, title="Review", due=ADMITTED)

    with refused("The end date cannot be in the future.", victim, service, task):
        end(victim, decision_maker, date=TOMORROW)


def test_assistance_cannot_end_before_the_admission(decision_maker, victim):
    message = "The end date (2024-03-14) cannot be before the admission (2024-03-15)."
    with refused(message, victim):
        end(victim, decision_maker, date=dt.date(2024, 3, 14))


def test_assistance_cannot_end_before_a_child_of_the_client_was_admitted(
    caseworker, decision_maker, victim
):
    child = make_child(victim, acting_user=caseworker, admitted=dt.date(2024, 5, 1))
    message = "The end date is before the admission of the client's child; check the date."
    with refused(message, victim, child):
        end(victim, decision_maker, date=dt.date(2024, 4, 1))


def test_only_a_decision_maker_ends_assistance(caseworker, victim):
    with refused("Only a decision-maker can end assistance.", victim):
        end(victim, caseworker)


def test_assistance_ends_once(decision_maker, victim):
    end(victim, decision_maker)
    ended = reload(victim)

    with refused("This client relationship has already ended.", ended):
        end(ended, decision_maker, date=dt.date(2024, 7, 1))


# --- re-admission -----------------------------------------------------------------------


def readmit(previous, user, date=dt.date(2024, 8, 1)):
    from nas.referrals.models import ReferrerType

    return client_readmit(
        acting_user=user,
        previous=previous,
        received=dt.date(2024, 7, 20),
        channel="phone",
        referrer_type=ReferrerType.objects.get(code="self"),
        date=date,
        consent_given=True,
        trafficking_definition_met=True,
        need_for_help=True,
    )


def test_a_former_client_is_re_admitted_in_a_new_client_period(decision_maker, victim):
    end(victim, decision_maker)

    again = readmit(reload(victim), decision_maker)

    assert again.pk != victim.pk
    assert again.status == "active"
    assert again.admitted == dt.date(2024, 8, 1)
    assert again.referral.received == dt.date(2024, 7, 20)
    assert reload(victim).status == "ended"
    assert_audited("client.admit", decision_maker, again)


def test_it_refuses_to_re_admit_an_active_client(decision_maker, victim):
    message = "This client relationship is still active; re-admission follows its end."
    with refused(message, victim):
        readmit(victim, decision_maker)


def test_a_re_admission_cannot_precede_the_end(decision_maker, victim):
    end(victim, decision_maker)
    ended = reload(victim)

    message = "The re-admission cannot precede the end of the previous client relationship."
    with refused(message, ended):
        readmit(ended, decision_maker, date=dt.date(2024, 5, 31))


def test_a_refused_re_admission_leaves_no_referral_behind(caseworker, decision_maker, victim):
    end(victim, decision_maker)
    ended = reload(victim)

    # The referral is received and assessed before the decision is refused: all rolls back.
    with refused("Only a decision-maker can sign an admission decision.", ended):
        readmit(ended, caseworker)


# --- notes and tasks --------------------------------------------------------------------


def test_it_adds_a_dated_note_and_audits_it(caseworker, victim):
    note = note_add(acting_user=caseworker, client=victim, date=ADMITTED, text="First meeting")

    assert reload(note).author == caseworker
    assert_audited("note.add", caseworker, note)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TOMORROW, "The date of the note cannot be in the future."),
        (
            dt.date(2024, 2, 29),
            "The date of the note (2024-02-29) cannot be before the referral (2024-03-01).",
        ),
    ],
)
def test_it_refuses_a_note_dated_in_the_future_or_before_the_referral(
    caseworker, victim, day, message
):
    with refused(message, victim):
        note_add(acting_user=caseworker, client=victim, date=day, text="Meeting")


def test_it_refuses_an_empty_note(caseworker, victim):
    with refused("A note cannot be empty.", victim):
        note_add(acting_user=caseworker, client=victim, date=ADMITTED, text="  ")


def test_it_refuses_a_task_for_an_ended_client(caseworker, decision_maker, victim):
    end(victim, decision_maker)
    ended = reload(victim)

    with refused(ENDED, ended):
        task_create(acting_user=caseworker, client=ended, title="Review", due=ADMITTED)


def test_a_task_is_completed_once(caseworker, victim):
    task = task_create(acting_user=caseworker, client=victim, title="Review", due=ADMITTED)
    task_complete(acting_user=caseworker, task=task, date=ADMITTED)
    done = Task.objects.get(pk=task.pk)

    with refused("This task is already closed.", done):
        task_complete(acting_user=caseworker, task=done, date=ADMITTED)
    assert_audited("task.complete", caseworker, task)


# --- optimistic concurrency -------------------------------------------------------------


def test_a_stale_copy_of_a_client_does_not_overwrite_a_newer_change(
    caseworker_helsinki, caseworker_tampere, victim
):
    mine = ClientPeriod.objects.get(pk=victim.pk)
    theirs = ClientPeriod.objects.get(pk=victim.pk)
    client_assign(acting_user=caseworker_helsinki, client=mine, caseworker=caseworker_tampere)
    counts = row_counts()

    with pytest.raises(ConcurrentEditError) as refusal:
        client_assign(acting_user=caseworker_tampere, client=theirs, caseworker=None)

    assert str(refusal.value) == CONCURRENT
    stored = reload(victim)
    assert stored.caseworker == caseworker_tampere
    assert stored.version == mine.version == 2
    assert row_counts() == counts


def test_ending_assistance_on_a_stale_copy_is_refused_and_closes_nothing(
    caseworker, decision_maker, victim
):
    service = add_service(victim, acting_user=caseworker)
    opened = ClientPeriod.objects.get(pk=victim.pk)
    client_assign(acting_user=caseworker, client=reload(victim), caseworker=None)
    before = [db_row(victim), db_row(service)]
    counts = row_counts()

    with pytest.raises(ConcurrentEditError, match="Someone else changed this record"):
        end(opened, decision_maker)

    assert [db_row(victim), db_row(service)] == before
    assert row_counts() == counts
    assert Service.objects.get(pk=service.pk).end is None


# --- restricting access ---------------------------------------------------------------


def test_restricting_a_client_hides_it_from_the_office_but_not_the_caseworker(caseworker):
    from nas.casework.selectors import clients_visible_to
    from nas.common.testing import make_caseworker

    colleague = make_caseworker("helsinki", username="colleague.helsinki")
    client = make_client(caseworker=caseworker)
    child = make_child(client, acting_user=caseworker)

    client_set_restricted(acting_user=caseworker, client=client, restricted=True)

    assert reload(client).restricted and reload(child).restricted
    assert not clients_visible_to(user=colleague).filter(pk=client.pk).exists()
    assert clients_visible_to(user=caseworker).filter(pk=client.pk).exists()
    assert_audited("client.restrict", caseworker, client)


def test_a_client_without_a_caseworker_cannot_be_restricted(caseworker):
    client = make_client()
    message = "Assign a caseworker before restricting access: nobody else will see it."
    with refused(message, client):
        client_set_restricted(acting_user=caseworker, client=client, restricted=True)


def test_a_restricted_client_cannot_be_left_without_a_caseworker(caseworker):
    client = make_client(caseworker=caseworker)
    client = client_set_restricted(acting_user=caseworker, client=client, restricted=True)
    message = (
        "A restricted client must have a caseworker: only they can see the file. "
        "Remove the restriction first."
    )
    with refused(message, client):
        client_assign(acting_user=caseworker, client=client, caseworker=None)


def test_a_client_one_cannot_see_cannot_be_restricted(caseworker_tampere, caseworker):
    client = make_client(caseworker=caseworker)
    with refused("You cannot assign a case you cannot see.", client):
        client_set_restricted(acting_user=caseworker_tampere, client=client, restricted=True)
