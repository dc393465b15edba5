"""Referrals and admission decisions: every rule holds, and a broken one changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nas.casework.models import ClientPeriod, Identification
from nas.casework.services import assistance_end
from nas.common.dates import today
from nas.common.errors import ConcurrentEditError
from nas.common.testing import (
    PERSONAS,
    assert_audited,
    audit_events,
    db_row,
    decide_positive,
    make_client,
    make_person,
    make_referral,
    office,
    referrer_type,
    refused,
    reload,
    row_counts,
)
from nas.referrals.models import AdmissionDecision, Referral
from nas.referrals.services import (
    admission_decide,
    referral_receive,
    referral_start_assessment,
    referral_withdraw,
)

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2024, 3, 1)
DECIDED = dt.date(2024, 3, 15)

ALREADY_DECIDED = "This referral has already been decided; a referral is decided only once."
WITHDRAWN = "This referral was withdrawn; a withdrawn referral takes no decision."
NEEDS_CONSENT = (
    "A positive decision needs the person's consent (consent is not required for a minor)."
)
CONCURRENT = (
    "Someone else changed this record after you opened it. Your changes were not saved: "
    "reload the page to see the current version, then make them again."
)


def decide(referral, user, **kwargs):
    """Decide positively with every condition met unless KWARGS say otherwise."""
    values: dict[str, Any] = {
        "date": DECIDED,
        "outcome": "positive",
        "client_type": "victim",
        "consent_given": True,
        "trafficking_definition_met": True,
        "need_for_help": True,
    }
    return admission_decide(acting_user=user, referral=referral, **(values | kwargs))


def minor_referral(caseworker, received=RECEIVED, **person_fields):
    person = make_person(acting_user=caseworker, **person_fields)
    return make_referral(person, acting_user=caseworker, received=received, assess=True)


# --- receiving and assessing ----------------------------------------------------------


def test_it_receives_a_referral_with_a_reference_number_and_audits_who_did_it(caseworker):
    person = make_person(acting_user=caseworker)

    referral = referral_receive(
        acting_user=caseworker,
        person=person,
        received=RECEIVED,
        channel="email",
        referrer_type=referrer_type("police"),
        office=office("helsinki"),
    )

    referral = reload(referral)
    assert referral.status == "received"
    assert referral.ref == "NAS-2024-000001"
    assert referral.version == 1
    event = assert_audited("referral.receive", caseworker, referral)
    assert event.kind == "create"
    assert event.person_id == person.pk


def test_it_numbers_referrals_within_their_year(caseworker):
    first = make_referral(acting_user=caseworker, received=RECEIVED)
    second = make_referral(acting_user=caseworker, received=RECEIVED)

    assert (first.ref, second.ref) == ("NAS-2024-000001", "NAS-2024-000002")


def test_it_numbers_on_from_the_years_last_reference_whatever_the_other_years_hold(caseworker):
    earlier = make_referral(acting_user=caseworker, received=dt.date(2023, 5, 2))
    later = make_referral(acting_user=caseworker, received=dt.date(2025, 1, 3))
    Referral.objects.filter(pk=earlier.pk).update(ref="NAS-2023-000900")
    Referral.objects.filter(pk=later.pk).update(ref="NAS-2025-000700")
    assert make_referral(acting_user=caseworker, received=RECEIVED).ref == "NAS-2024-000001"

    Referral.objects.filter(ref="NAS-2024-000001").update(ref="NAS-2024-000041")
    assert make_referral(acting_user=caseworker, received=RECEIVED).ref == "NAS-2024-000042"


def test_it_refuses_a_referral_received_in_the_future(caseworker):
    person = make_person(acting_user=caseworker)

    with refused("The date received cannot be in the future.", person):
        referral_receive(
            acting_user=caseworker,
            person=person,
            received=today() + dt.timedelta(days=1),
            channel="email",
            referrer_type=referrer_type("police"),
            office=office("helsinki"),
        )


def test_it_refuses_a_referral_received_before_the_person_was_born(caseworker):
    person = make_person(acting_user=caseworker, date_of_birth=dt.date(2024, 5, 1))

    with refused("The referral cannot be received before the person was born.", person):
        make_referral(person, acting_user=caseworker, received=RECEIVED)


def test_it_refuses_a_referral_to_an_office_that_no_longer_receives_them(caseworker):
    person = make_person(acting_user=caseworker)

    with refused("The office Oulu no longer receives referrals.", person):
        make_referral(person, acting_user=caseworker, office_code="oulu")


def test_it_starts_the_assessment_and_audits_it(caseworker):
    referral = make_referral(acting_user=caseworker)

    referral_start_assessment(acting_user=caseworker, referral=referral, assigned_to=caseworker)

    stored = reload(referral)
    assert stored.status == "under_assessment"
    assert stored.assigned_to == caseworker
    assert stored.version == 2
    event = assert_audited("referral.start_assessment", caseworker, referral)
    assert event.changes["status"] == ["received", "under_assessment"]


def test_it_refuses_to_start_an_assessment_twice(caseworker, referral):
    with refused("The assessment of this referral has already started.", referral):
        referral_start_assessment(acting_user=caseworker, referral=reload(referral))


# --- a referral is decided once; a withdrawn one takes no decision ---------------------


def test_it_decides_a_referral_positively_and_admits_the_person(decision_maker, referral):
    decision = decide(referral, decision_maker)

    stored = reload(referral)
    assert stored.status == "decided"
    assert stored.version == 3
    assert decision.outcome == "positive"
    assert decision.decided_by == decision_maker
    client = ClientPeriod.objects.get(referral=referral)
    assert client.status == "active"
    assert client.client_type == "victim"
    assert client.admitted == DECIDED
    assert client.admitted_as_minor is False
    assert client.office.code == "helsinki"
    assert client.caseworker == referral.assigned_to
    assert_audited("admission.decide", decision_maker, decision)
    assert_audited("referral.decide", decision_maker, referral)
    assert_audited("client.admit", decision_maker, client)


def test_it_decides_a_referral_only_once(decision_maker, negative_reasons, referral):
    decision = decide(
        referral, decision_maker, outcome="negative", negative_reason=negative_reasons["no_need"]
    )
    stored = reload(referral)

    with refused(ALREADY_DECIDED, stored, decision):
        decide(stored, decision_maker)
    assert not ClientPeriod.objects.filter(referral=referral).exists()


def test_it_withdraws_an_open_referral_and_audits_it(caseworker, referral):
    referral_withdraw(
        acting_user=caseworker, referral=referral, date=dt.date(2024, 3, 5), reason="Declined"
    )

    stored = reload(referral)
    assert stored.status == "withdrawn"
    assert stored.withdrawn_on == dt.date(2024, 3, 5)
    assert stored.withdrawal_reason == "Declined"
    assert_audited("referral.withdraw", caseworker, referral)


def test_a_withdrawn_referral_takes_no_decision(caseworker, decision_maker, referral):
    referral_withdraw(acting_user=caseworker, referral=referral, date=dt.date(2024, 3, 5))
    stored = reload(referral)

    with refused(WITHDRAWN, stored):
        decide(stored, decision_maker)


def test_it_refuses_to_withdraw_a_decided_referral(caseworker, decision_maker, referral):
    decide(referral, decision_maker)
    stored = reload(referral)

    with refused(ALREADY_DECIDED, stored):
        referral_withdraw(acting_user=caseworker, referral=stored, date=DECIDED)


def test_it_refuses_a_withdrawal_dated_before_the_referral(caseworker, referral):
    message = (
        "The date of withdrawal (2024-02-29) cannot be before the date the referral was "
        "received (2024-03-01)."
    )
    with refused(message, referral):
        referral_withdraw(acting_user=caseworker, referral=referral, date=dt.date(2024, 2, 29))


def test_it_refuses_a_decision_before_the_assessment_started(caseworker, decision_maker):
    referral = make_referral(acting_user=caseworker)

    with refused("Start the assessment of the referral before deciding it.", referral):
        decide(referral, decision_maker)


@pytest.mark.parametrize(
    "persona", [name for name in PERSONAS if name != "decision_maker"], indirect=True
)
def test_only_a_decision_maker_can_sign_an_admission_decision(persona, referral):
    with refused("Only a decision-maker can sign an admission decision.", referral):
        decide(referral, persona)


def test_the_recorded_signer_must_be_a_decision_maker_too(decision_maker, caseworker, referral):
    with refused("Only a decision-maker can sign an admission decision.", referral):
        decide(referral, decision_maker, decided_by=caseworker)


# --- the conditions of a positive decision --------------------------------------------


@pytest.mark.parametrize("consent", [None, False])
def test_a_positive_decision_needs_an_adults_consent(decision_maker, referral, consent):
    with refused(NEEDS_CONSENT, referral):
        decide(referral, decision_maker, consent_given=consent)


def test_a_minor_by_date_of_birth_is_admitted_without_consent(caseworker, decision_maker):
    referral = minor_referral(caseworker, date_of_birth=dt.date(2010, 1, 1))

    decide(referral, decision_maker, consent_given=None)

    assert ClientPeriod.objects.get(referral=referral).admitted_as_minor is True


def test_a_minor_on_the_day_before_their_18th_birthday_needs_no_consent(caseworker, decision_maker):
    referral = minor_referral(caseworker, date_of_birth=dt.date(2006, 3, 16))

    decide(referral, decision_maker, consent_given=False)

    assert ClientPeriod.objects.get(referral=referral).admitted_as_minor is True


def test_a_person_who_turns_18_on_the_decision_day_needs_consent(caseworker, decision_maker):
    referral = minor_referral(caseworker, date_of_birth=dt.date(2006, 3, 15))

    with refused(NEEDS_CONSENT, referral):
        decide(referral, decision_maker, consent_given=None)


def test_a_minor_by_year_of_birth_is_a_minor_until_1_july_of_the_18th_year(
    caseworker, decision_maker
):
    referral = minor_referral(caseworker, received=dt.date(2024, 6, 1), birth_year=2006)

    decide(referral, decision_maker, date=dt.date(2024, 6, 30), consent_given=None)

    assert ClientPeriod.objects.get(referral=referral).admitted_as_minor is True


def test_a_person_with_a_year_of_birth_is_an_adult_from_1_july_of_the_18th_year(
    caseworker, decision_maker
):
    referral = minor_referral(caseworker, received=dt.date(2024, 6, 1), birth_year=2006)

    with refused(NEEDS_CONSENT, referral):
        decide(referral, decision_maker, date=dt.date(2024, 7, 1), consent_given=None)


def test_a_person_assessed_as_a_minor_needs_no_consent(caseworker, decision_maker):
    referral = minor_referral(caseworker, age_assessment="minor")

    decide(referral, decision_maker, consent_given=None)

    assert ClientPeriod.objects.get(referral=referral).admitted_as_minor is True


@pytest.mark.parametrize("assessment", ["adult", "unknown", ""])
def test_a_person_not_known_to_be_a_minor_needs_consent(caseworker, decision_maker, assessment):
    referral = minor_referral(caseworker, age_assessment=assessment)

    with refused(NEEDS_CONSENT, referral):
        decide(referral, decision_maker, consent_given=None)


@pytest.mark.parametrize("met", [None, False])
def test_a_positive_decision_needs_the_definition_of_trafficking_met(decision_maker, referral, met):
    message = "A positive decision needs the definition of human trafficking to be met."
    with refused(message, referral):
        decide(referral, decision_maker, trafficking_definition_met=met)


@pytest.mark.parametrize("need", [None, False])
def test_a_positive_decision_needs_a_need_for_help(decision_maker, referral, need):
    message = "A positive decision needs a need for help through the assistance system."
    with refused(message, referral):
        decide(referral, decision_maker, need_for_help=need)


def test_a_positive_decision_admits_a_victim_or_a_witness_only(decision_maker, referral):
    message = (
        "A positive decision admits a victim or a witness; children are admitted with their parent."
    )
    with refused(message, referral):
        decide(referral, decision_maker, client_type="child")


def test_it_admits_a_witness(decision_maker, referral):
    decide(referral, decision_maker, client_type="witness")

    client = ClientPeriod.objects.get(referral=referral)
    assert client.client_type == "witness"
    assert not Identification.objects.filter(client=client).exists()


def test_it_refuses_to_admit_a_person_who_is_already_an_active_client(caseworker, decision_maker):
    client = make_client(caseworker=caseworker, decision_maker=decision_maker)
    again = make_referral(
        client.person, acting_user=caseworker, received=dt.date(2024, 4, 1), assess=True
    )

    message = "This person is already an active client; end that client relationship first."
    with refused(message, again, client):
        decide(again, decision_maker, date=dt.date(2024, 4, 2))


def test_it_admits_a_former_client_again_after_the_end(caseworker, decision_maker, end_reasons):
    client = make_client(caseworker=caseworker, decision_maker=decision_maker)
    assistance_end(
        acting_user=decision_maker,
        client=client,
        date=dt.date(2024, 3, 20),
        reason=end_reasons["no_need"],
    )
    again = make_referral(
        client.person, acting_user=caseworker, received=dt.date(2024, 4, 1), assess=True
    )

    decide(again, decision_maker, date=dt.date(2024, 4, 2))

    assert ClientPeriod.objects.filter(person=client.person).count() == 2
    assert ClientPeriod.objects.get(referral=again).status == "active"


# --- negative decisions ---------------------------------------------------------------


def test_it_decides_negatively_with_a_reason_and_admits_nobody(
    decision_maker, negative_reasons, referral
):
    decision = decide(
        referral, decision_maker, outcome="negative", negative_reason=negative_reasons["no_need"]
    )

    assert reload(referral).status == "decided"
    assert decision.negative_reason.code == "no_need"
    assert decision.client_type == ""
    assert not ClientPeriod.objects.filter(referral=referral).exists()
    assert_audited("admission.decide", decision_maker, decision)


def test_a_negative_decision_may_leave_the_findings_unstated(
    decision_maker, negative_reasons, referral
):
    decision = decide(
        referral,
        decision_maker,
        outcome="negative",
        negative_reason=negative_reasons["no_consent"],
        consent_given=None,
        trafficking_definition_met=None,
        need_for_help=None,
    )

    stored = reload(decision)
    assert (stored.consent_given, stored.trafficking_definition_met) == (None, None)


def test_a_negative_decision_needs_a_reason(decision_maker, referral):
    with refused("A negative decision needs a reason.", referral):
        decide(referral, decision_maker, outcome="negative")


def test_a_negative_decision_for_another_reason_needs_its_description(
    decision_maker, negative_reasons, referral
):
    with refused("Describe the reason when it is “other”.", referral):
        decide(
            referral,
            decision_maker,
            outcome="negative",
            negative_reason=negative_reasons["other"],
            reason_text="  ",
        )


def test_a_negative_decision_for_another_reason_keeps_its_description(
    decision_maker, negative_reasons, referral
):
    decision = decide(
        referral,
        decision_maker,
        outcome="negative",
        negative_reason=negative_reasons["other"],
        reason_text="Already assisted in Sweden",
    )

    assert reload(decision).reason_text == "Already assisted in Sweden"


def test_it_refuses_an_unknown_outcome(decision_maker, referral):
    with refused("The outcome must be positive or negative.", referral):
        decide(referral, decision_maker, outcome="maybe")


# --- dates ----------------------------------------------------------------------------


def test_it_refuses_a_decision_date_in_the_future(decision_maker, referral):
    with refused("The decision date cannot be in the future.", referral):
        decide(referral, decision_maker, date=today() + dt.timedelta(days=1))


def test_it_refuses_a_decision_date_before_the_referral(decision_maker, referral):
    message = (
        "The decision date (2024-02-29) cannot be before the date the referral was received "
        "(2024-03-01)."
    )
    with refused(message, referral):
        decide(referral, decision_maker, date=dt.date(2024, 2, 29))


def test_it_accepts_a_decision_on_the_day_the_referral_was_received(decision_maker, referral):
    decision = decide(referral, decision_maker, date=RECEIVED)

    assert decision.date == RECEIVED


# --- identification follows the rule in force on the decision date -------------------


def test_from_2023_a_positive_decision_on_a_victim_is_the_identification(
    caseworker, decision_maker
):
    referral = make_referral(acting_user=caseworker, received=dt.date(2022, 12, 20), assess=True)

    decide(referral, decision_maker, date=dt.date(2023, 1, 1))

    client = ClientPeriod.objects.get(referral=referral)
    identification = Identification.objects.get(client=client)
    assert identification.ground == "admission"
    assert identification.date == dt.date(2023, 1, 1)
    assert identification.decided_by == decision_maker
    assert_audited("client.identify", decision_maker, identification)


def test_before_2023_a_positive_decision_is_not_an_identification(caseworker, decision_maker):
    referral = make_referral(acting_user=caseworker, received=dt.date(2022, 12, 20), assess=True)

    decide(referral, decision_maker, date=dt.date(2022, 12, 31))

    client = ClientPeriod.objects.get(referral=referral)
    assert not Identification.objects.filter(client=client).exists()
    assert audit_events("client.identify") == []


# --- optimistic concurrency -----------------------------------------------------------


def test_a_stale_copy_of_a_referral_does_not_overwrite_a_newer_change(
    caseworker_helsinki, decision_maker
):
    referral = make_referral(acting_user=caseworker_helsinki)
    mine = Referral.objects.get(pk=referral.pk)
    theirs = Referral.objects.get(pk=referral.pk)
    referral_start_assessment(
        acting_user=caseworker_helsinki, referral=mine, assigned_to=caseworker_helsinki
    )
    counts = row_counts()

    with pytest.raises(ConcurrentEditError) as refusal:
        referral_start_assessment(
            acting_user=decision_maker, referral=theirs, assigned_to=decision_maker
        )

    assert str(refusal.value) == CONCURRENT
    stored = reload(referral)
    assert stored.assigned_to == caseworker_helsinki
    assert stored.version == 2
    assert row_counts() == counts


def test_a_change_made_on_a_form_opened_before_another_change_is_refused(
    caseworker_helsinki, caseworker_tampere
):
    referral = make_referral(acting_user=caseworker_helsinki)
    opened_at = referral.version
    referral_start_assessment(acting_user=caseworker_helsinki, referral=reload(referral))
    current = reload(referral)
    before = db_row(current)

    with pytest.raises(ConcurrentEditError, match="Someone else changed this record"):
        referral_withdraw(
            acting_user=caseworker_tampere,
            referral=current,
            date=dt.date(2024, 3, 2),
            expected_version=opened_at,
        )

    assert db_row(current) == before


def test_a_second_decision_on_a_stale_copy_is_refused_as_a_concurrent_edit(
    decision_maker, negative_reasons, referral
):
    mine = Referral.objects.get(pk=referral.pk)
    theirs = Referral.objects.get(pk=referral.pk)
    decide(mine, decision_maker)
    counts = row_counts()

    with pytest.raises(ConcurrentEditError) as refusal:
        decide(
            theirs,
            decision_maker,
            outcome="negative",
            negative_reason=negative_reasons["no_need"],
        )

    assert str(refusal.value) == CONCURRENT
    assert row_counts() == counts
    assert AdmissionDecision.objects.get(referral=referral).outcome == "positive"


def test_decide_positive_helper_goes_through_the_service(decision_maker, referral):
    decide_positive(referral, decision_maker=decision_maker)

    assert_audited("admission.decide", decision_maker)


def test_a_referral_is_assigned_at_receipt_only_to_a_caseworker_or_decision_maker(
    caseworker, statistician
):
    person = make_person(acting_user=caseworker)
    message = "Only a caseworker or a decision-maker can be responsible for a case."
    with refused(message, person):
        make_referral(person, acting_user=caseworker, assigned_to=statistician)
