"""Referrals from outside: stored first, then the office is told, without personal data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from nas.common import testing
from nas.common.dates import today
from nas.common.models import Office
from nas.people.models import Person
from nas.referrals import external
from nas.referrals.choices import Channel, Consent, Urgency
from nas.referrals.models import Referral

PERSON = {
    "given_names": "Amina",
    "family_name": "Haddad",
    "birth_year": 1994,
    "gender": "female",
    "nationalities": ["SO"],
    "primary_nationality": "SO",
}


def submit(**overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "actor": "self-referral form",
        "channel": Channel.WEB_FORM,
        "referrer_type": testing.referrer_type("self"),
        "person": dict(PERSON),
        "account": "I worked on a berry farm and my passport was taken.",
        "urgency": Urgency.URGENT,
    }
    return external.referral_submit(**(fields | overrides))


def test_a_self_referral_goes_to_the_intake_office_and_its_caseworkers_are_told(
    db, caseworker_helsinki, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = submit()

    assert referral.office_id == "helsinki"
    assert (referral.channel, referral.referrer_type_id) == (Channel.WEB_FORM, "self")
    assert referral.person.family_name == "Haddad"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [caseworker_helsinki.email]
    text = f"{message.subject} {message.body}"
    for personal in ("Amina", "Haddad", "1994", referral.ref, "berry", "passport"):
        assert personal not in text


def test_the_duty_address_of_the_office_is_told_when_it_has_one(
    db, caseworker_helsinki, tampere, django_capture_on_commit_callbacks
):
    Office.objects.filter(code="tampere").update(duty_email="duty.tampere@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        submit(office=Office.objects.get(code="tampere"))
    assert [m.to for m in mail.outbox] == [["duty.tampere@example.org"]]


def test_a_failing_mail_server_loses_no_referral(
    db, caseworker_helsinki, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(external, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        referral = submit()

    assert Referral.objects.filter(pk=referral.pk).exists()
    assert "Could not notify" in caplog.text
    assert mail.outbox == []


def test_no_one_is_told_before_the_referral_is_committed(
    db, caseworker_helsinki, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit()
    assert mail.outbox == [] and len(callbacks) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"channel": Channel.PHONE}, "Unknown channel: phone."),
        (
            {"person": PERSON | {"nationalities": ["XX"], "primary_nationality": "XX"}},
            "Unknown nationality code: XX.",
        ),
    ],
)
def test_a_refused_submission_stores_nothing_and_tells_no_one(
    db, caseworker_helsinki, django_capture_on_commit_callbacks, overrides, message
):
    with django_capture_on_commit_callbacks(execute=True), testing.refused(message):
        submit(**overrides)
    assert not Person.objects.filter(name_hash__isnull=False).exists()
    assert mail.outbox == []


def test_an_inactive_organisation_cannot_submit(db):
    from nas.referrals.models import Organisation

    closed = Organisation.objects.create(
        name="Closed shelter", referrer_type=testing.referrer_type("ngo"), active=False
    )
    with testing.refused("The organisation Closed shelter may no longer submit referrals."):
        submit(organisation=closed, channel=Channel.PORTAL)


# --- consent, or the reason it is not needed ------------------------------------------------

ADULT_AGE = "Consent can be left out only for a minor, and the person's age says adult."
NO_AGE = {"birth_year": None}


@pytest.mark.parametrize(
    "age",
    [
        {"birth_year": today().year - 15},
        NO_AGE | {"age_assessment": "minor"},
        NO_AGE,  # nothing says adult: the caseworker asks when assessing
        NO_AGE | {"age_assessment": "unknown"},
    ],
    ids=["born-15-years-ago", "assessed-minor", "no-age", "age-unknown"],
)
def test_consent_not_needed_is_stored_for_a_person_not_known_to_be_adult(db, age):
    referral = submit(person=PERSON | age, consent=Consent.NOT_NEEDED)

    assert Referral.objects.get(pk=referral.pk).consent == Consent.NOT_NEEDED
    assert referral.get_consent_display() == "Not needed (a minor)"


@pytest.mark.parametrize(
    "age",
    [
        {"birth_year": 1994},
        NO_AGE | {"date_of_birth": today().replace(year=today().year - 18, day=1)},
        NO_AGE | {"age_assessment": "adult"},
    ],
    ids=["born-1994", "turned-18-this-month", "assessed-adult"],
)
def test_consent_not_needed_is_refused_for_an_adult_and_nothing_is_stored(
    db, caseworker_helsinki, django_capture_on_commit_callbacks, age
):
    with django_capture_on_commit_callbacks(execute=True), testing.refused(ADULT_AGE):
        submit(person=PERSON | age, consent=Consent.NOT_NEEDED)
    assert not Referral.objects.exists()
    assert mail.outbox == []
