"""Intake: a referral taken by phone, e-mail or letter, with the new person it concerns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nas.common.testing import assert_audited, row_counts, sign_in_verified
from nas.people.models import Person
from nas.referrals.models import Organisation, Referral
from nas.referrals.tests.test_views_referral import page

NEW = reverse("referrals:new")


def form_data(**changes) -> dict[str, str]:
    data = {
        "given_names": "Maria",
        "family_name": "Example",
        "date_of_birth": "1995-04-02",
        "gender": "female",
        "primary_nationality": "UA",
        "languages": "uk, ru, en",
        "interpreter_needed": "on",
        "received": "2024-03-01",
        "channel": "phone",
        "referrer_type": "police",
        "organisation_name": "Helsinki police department, Officer Virtanen",
        "office": "helsinki",
        "urgency": "urgent",
        "safety_concerns": "Lives at the employer's premises.",
        "account": "Recruited for cleaning work; passport taken on arrival.",
        "consent": "given",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def signed_in(client, caseworker_helsinki):
    sign_in_verified(client, caseworker_helsinki)
    return client


def test_the_form_opens_on_todays_date_and_the_users_office(signed_in):
    response = signed_in.get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["office"].value() == "helsinki"
    assert form["received"].value() is not None
    text = page(response)
    assert 'name="primary_nationality"' in text and ">Ukraine<" in text
    assert "Web form" not in text  # the channels a caseworker takes a referral by


def test_a_referral_is_recorded_with_its_person_and_the_reference_is_shown(
    signed_in, caseworker_helsinki
):
    response = signed_in.post(NEW, form_data())
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    person = referral.person
    assert (person.given_names, person.family_name) == ("Maria", "Example")
    assert person.date_of_birth == dt.date(1995, 4, 2)
    assert (person.nationalities, person.primary_nationality) == (["UA"], "UA")
    assert (person.languages, person.interpreter_needed) == (["uk", "ru", "en"], True)
    assert (referral.received, referral.channel, referral.referrer_type_id) == (
        dt.date(2024, 3, 1),
        "phone",
        "police",
    )
    assert referral.organisation_name == "Helsinki police department, Officer Virtanen"
    assert (referral.office_id, referral.urgency, referral.consent) == (
        "helsinki",
        "urgent",
        "given",
    )
    assert referral.safety_concerns == "Lives at the employer's premises."
    assert referral.account == "Recruited for cleaning work; passport taken on arrival."
    assert_audited("person.create", caseworker_helsinki, person)
    assert_audited("referral.receive", caseworker_helsinki, referral)
    text = page(signed_in.get(response.url))
    assert f"Referral recorded. Its reference number is {referral.ref}." in text


def test_a_known_organisation_names_the_referral(signed_in):
    organisation = Organisation.objects.create(
        name="Victim Support Finland", referrer_type_id="ngo"
    )
    signed_in.post(
        NEW, form_data(referrer_type="ngo", organisation=organisation.pk, organisation_name="")
    )
    referral = Referral.objects.get()
    assert referral.organisation == organisation
    assert referral.organisation_name == "Victim Support Finland"


def test_a_refusal_of_the_referral_rolls_back_the_person_and_keeps_what_was_typed(signed_in):
    before = row_counts()
    # The person is valid alone (person_create succeeds), the referral is not.
    response = signed_in.post(NEW, form_data(date_of_birth="2024-03-10"))
    assert response.status_code == 200
    assert row_counts() == before
    assert not Person.objects.exists()
    text = page(response)
    assert "<title>Error:" in text and "There is a problem" in text
    assert 'href="#id_received"' in text
    assert "The referral cannot be received before the person was born." in text
    for typed in ("Maria", "Example", "uk, ru, en", "Recruited for cleaning work"):
        assert typed in text


def test_a_refusal_about_the_person_is_shown_on_its_field(signed_in):
    before = row_counts()
    response = signed_in.post(NEW, form_data(birth_year="1995"))
    assert row_counts() == before
    form = response.context["form"]
    assert form.errors["birth_year"] == [
        "Give either the date of birth or the year of birth, not both."
    ]


def test_consent_not_needed_for_a_minor_is_recorded_and_shown_on_the_referral(signed_in):
    assert "Not needed (a minor)" in page(signed_in.get(NEW))

    response = signed_in.post(NEW, form_data(date_of_birth="2009-05-01", consent="not_needed"))

    referral = Referral.objects.get()
    assert referral.consent == "not_needed"
    text = page(signed_in.get(response.url))
    assert "<dt>Consent</dt><dd>Not needed (a minor)</dd>" in text


def test_consent_not_needed_for_an_adult_is_refused_on_its_field(signed_in):
    before = row_counts()
    response = signed_in.post(NEW, form_data(consent="not_needed"))  # born 1995
    assert row_counts() == before
    assert response.context["form"].errors["consent"] == [
        "Consent can be left out only for a minor, and the person's age says adult."
    ]
    assert 'href="#id_consent' in page(response)


def test_the_age_assessment_of_a_person_without_a_birth_date(signed_in):
    signed_in.post(NEW, form_data(date_of_birth="", age_assessment="minor"))
    assert Person.objects.get().age_assessment == "minor"


def test_a_wrong_language_code_is_explained(signed_in):
    before = row_counts()
    response = signed_in.post(NEW, form_data(languages="uk, Ukrainian"))
    assert row_counts() == before
    assert response.context["form"].errors["languages"] == [
        "“ukrainian” is not a language code (two or three letters)."
    ]


def test_missing_required_fields_are_explained_and_nothing_is_saved(signed_in):
    before = row_counts()
    response = signed_in.post(NEW, form_data(received="", referrer_type="", channel=None))
    assert response.status_code == 200
    assert row_counts() == before
    assert set(response.context["form"].errors) == {"received", "referrer_type", "channel"}


def test_a_referral_for_another_office_leads_back_to_the_inbox(signed_in):
    response = signed_in.post(NEW, form_data(office="tampere"))
    referral = Referral.objects.get()
    assert referral.office_id == "tampere"
    assert response.url == reverse("referrals:inbox")
    assert referral.ref in page(signed_in.get(response.url))


def test_roles_without_casework_are_refused(client, statistician):
    sign_in_verified(client, statistician)
    before = row_counts()
    assert client.post(NEW, form_data()).status_code == 403
    assert client.get(NEW).status_code == 403
    assert row_counts() == before
