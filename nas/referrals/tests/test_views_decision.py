"""The admission decision: who signs it, what it records, and its refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nas.casework.models import ClientPeriod
from nas.common import testing
from nas.common.testing import assert_audited, reload, sign_in_verified
from nas.referrals.models import AdmissionDecision
from nas.referrals.services import referral_assign
from nas.referrals.tests.test_views_referral import nothing_written, page


def decide_url(referral) -> str:
    return reverse("referrals:decide", args=[referral.pk])


def positive(referral, **changes) -> dict[str, str]:
    data = {
        "version": str(referral.version),
        "date": "2024-03-15",
        "outcome": "positive",
        "client_type": "victim",
        "consent_given": "yes",
        "trafficking_definition_met": "yes",
        "need_for_help": "yes",
        "reason_text": "",
    }
    data.update(changes)
    return data


def negative(referral, **changes) -> dict[str, str]:
    data = positive(referral, outcome="negative", trafficking_definition_met="no")
    data.update(changes)
    return data


@pytest.fixture
def signed_in(client, decision_maker):
    sign_in_verified(client, decision_maker)
    return client


def test_the_form_is_offered_to_a_decision_maker_and_the_read_is_audited(
    signed_in, decision_maker, referral
):
    response = signed_in.get(decide_url(referral))
    assert response.status_code == 200
    text = page(response)
    assert referral.person.full_name in text
    assert f'name="version" value="{referral.version}"' in text
    assert "Sign the decision" in text
    assert_audited("referral.view", decision_maker, referral)


def test_a_caseworker_may_not_decide(client, caseworker, referral):
    sign_in_verified(client, caseworker)
    with nothing_written(referral):
        assert client.get(decide_url(referral)).status_code == 403
        assert client.post(decide_url(referral), positive(referral)).status_code == 403


def test_another_offices_referral_is_a_404(signed_in, decision_maker):
    theirs = testing.make_referral(office_code="tampere", assess=True)
    with nothing_written(theirs):
        assert signed_in.post(decide_url(theirs), positive(theirs)).status_code == 404
    assert_audited("referral.view_denied", decision_maker, theirs)


def test_a_positive_decision_admits_the_person(signed_in, decision_maker, caseworker, referral):
    response = signed_in.post(decide_url(referral), positive(referral))
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    decision = AdmissionDecision.objects.get(referral=referral)
    assert (decision.outcome, decision.date, decision.client_type) == (
        "positive",
        dt.date(2024, 3, 15),
        "victim",
    )
    assert (decision.consent_given, decision.decided_by) == (True, decision_maker)
    assert reload(referral).status == "decided"
    client_period = ClientPeriod.objects.get(referral=referral)
    assert client_period.caseworker == caseworker
    assert_audited("admission.decide", decision_maker, decision)
    text = page(signed_in.get(response.url))
    assert f"Decision recorded: {referral.ref} is admitted as a client." in text
    assert reverse("client_detail", args=[client_period.pk]) in text
    assert reverse("referrals:letter", args=[referral.pk]) + "?lang=fi" in text
    assert reverse("referrals:letter_pdf", args=[referral.pk]) + "?lang=sv" in text


def test_a_negative_decision_records_the_reason(signed_in, negative_reasons, referral):
    data = negative(referral, negative_reason="not_trafficking", reason_text="No exploitation.")
    response = signed_in.post(decide_url(referral), data)
    assert response.status_code == 302
    decision = AdmissionDecision.objects.get(referral=referral)
    assert (decision.outcome, decision.negative_reason, decision.reason_text) == (
        "negative",
        negative_reasons["not_trafficking"],
        "No exploitation.",
    )
    assert decision.client_type == ""
    assert not ClientPeriod.objects.filter(referral=referral).exists()
    text = page(signed_in.get(response.url))
    assert f"Decision recorded: {referral.ref} is not admitted." in text


def test_a_negative_decision_without_a_reason_is_refused_and_what_was_typed_is_kept(
    signed_in, referral
):
    data = negative(referral, reason_text="Grounds typed before the refusal")
    with nothing_written(referral):
        response = signed_in.post(decide_url(referral), data)
    assert response.status_code == 200
    assert not AdmissionDecision.objects.exists()
    text = page(response)
    assert "<title>Error:" in text
    assert response.context["form"].errors["negative_reason"] == [
        "A negative decision needs a reason."
    ]
    assert "Reason for a negative decision: A negative decision needs a reason." in text
    assert "Grounds typed before the refusal" in text
    assert 'value="negative" id="id_outcome_1" required checked' in text


def test_other_as_the_reason_needs_the_grounds(signed_in, referral):
    with nothing_written(referral):
        response = signed_in.post(decide_url(referral), negative(referral, negative_reason="other"))
    assert response.context["form"].errors["reason_text"] == [
        "Describe the reason when it is “other”."
    ]


def test_a_positive_decision_without_consent_is_refused_on_that_finding(signed_in, referral):
    with nothing_written(referral):
        response = signed_in.post(decide_url(referral), positive(referral, consent_given=""))
    assert response.context["form"].errors["consent_given"] == [
        "A positive decision needs the person's consent (consent is not required for a minor)."
    ]
    assert not ClientPeriod.objects.filter(referral=referral).exists()


def test_a_decision_on_a_referral_changed_meanwhile_is_refused(
    signed_in, caseworker, decision_maker, referral
):
    stale = referral.version
    referral_assign(acting_user=caseworker, referral=referral, assigned_to=decision_maker)
    with nothing_written(referral):
        response = signed_in.post(decide_url(referral), positive(referral, version=str(stale)))
    assert response.status_code == 200
    assert "Someone else changed this record after you opened it." in page(response)
    assert not AdmissionDecision.objects.exists()
    assert reload(referral).status == "under_assessment"


def test_a_decided_referral_offers_no_form_and_a_second_decision_is_refused(signed_in, victim):
    referral = victim.referral
    response = signed_in.get(decide_url(referral))
    assert "This referral is no longer open" in page(response)
    assert "Sign the decision" not in page(response)
    with nothing_written(referral):
        response = signed_in.post(decide_url(referral), positive(referral))
    assert "This referral has already been decided" in page(response)


def test_a_referral_not_yet_under_assessment_must_be_assessed_first(signed_in, decision_maker):
    received = testing.make_referral(acting_user=decision_maker)
    assert "Start the assessment of the referral before deciding it." in page(
        signed_in.get(decide_url(received))
    )
    with nothing_written(received):
        response = signed_in.post(decide_url(received), positive(received))
    assert "Start the assessment of the referral before deciding it." in page(response)
