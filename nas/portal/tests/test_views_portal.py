"""The referral portal: an organisation's own referrals (status only) and the guided form."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from nas.audit.models import AuditEvent
from nas.common import testing
from nas.common.dates import today
from nas.people.choices import AgeAssessment
from nas.portal.tests.factories import make_member, signed_in, submit_for
from nas.referrals.choices import Channel, Consent, Urgency
from nas.referrals.models import Referral
from nas.referrals.selectors import referrals_visible_to
from nas.referrals.services import referral_start_assessment

HOME = reverse("portal:home")
NEW = reverse("portal:referral_new")

# A referral as a referrer fills the form in.
FORM = {
    "given_names": "Olena",
    "family_name": "Kovalenko",
    "date_of_birth": "",
    "birth_year": "",
    "age_guess": "minor",
    "gender": "female",
    "primary_nationality": "UA",
    "languages": ["uk", "ru"],
    "interpreter_needed": "on",
    "phone": "",
    "email": "",
    "account": "Found working nights in a restaurant kitchen, unpaid for months.",
    "urgency": Urgency.URGENT,
    "safe_to_contact": "no",
    "safety_concerns": "Call the shelter, not her.",
    "consent": "minor",
    "office": "",
}


def _decide(referral, decision_maker, outcome):
    referral_start_assessment(acting_user=decision_maker, referral=referral)
    if outcome == "positive":
        testing.decide_positive(referral, decision_maker=decision_maker, date=today())
    else:
        from nas.referrals.services import admission_decide

        admission_decide(
            acting_user=decision_maker,
            referral=referral,
            date=today(),
            outcome="negative",
            negative_reason=testing.negative_reason(),
        )


# --- the list of the organisation's referrals -------------------------------------------------


def test_the_list_shows_the_organisations_own_referrals_with_status_and_nothing_personal(
    member, member_client, organisation, other_organisation, decision_maker
):
    colleague = make_member(organisation, "colleague")
    waiting = submit_for(organisation, member)
    admitted = submit_for(organisation, colleague)
    refused = submit_for(organisation, member)
    theirs = submit_for(other_organisation, make_member(other_organisation, "police_officer"))
    _decide(admitted, decision_maker, "positive")
    _decide(refused, decision_maker, "negative")
    reads_before = AuditEvent.objects.filter(kind=AuditEvent.Kind.READ).count()

    response = member_client.get(HOME)

    assert response.status_code == 200
    page = response.content.decode()
    for own in (waiting, admitted, refused):
        assert own.ref in page
    assert theirs.ref not in page
    rows = {row.ref: row for row in response.context["page"].object_list}
    assert set(rows) == {waiting.ref, admitted.ref, refused.ref}
    assert (rows[admitted.ref].status, rows[admitted.ref].outcome) == ("decided", "positive")
    assert (rows[refused.ref].status, rows[refused.ref].outcome) == ("decided", "negative")
    assert rows[waiting.ref].outcome is None
    assert "Not decided yet" in page
    # Nothing of the person, the account or the decision's grounds.
    for personal in ("Amina", "Haddad", "1994", "+358 40", "berry", "passport", "employer"):
        assert personal not in page
    assert "not_trafficking" not in page and "Not a case" not in page
    # No personal data shown: not an audited read.
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.READ).count() == reads_before


def test_the_list_is_newest_first_and_paginated(member, member_client, organisation):
    refs = [submit_for(organisation, member).ref for _ in range(27)]

    first = member_client.get(HOME)
    second = member_client.get(HOME, {"page": 2})

    shown = [row.ref for row in first.context["page"].object_list]
    assert shown == list(reversed(refs))[:25]
    assert [row.ref for row in second.context["page"].object_list] == list(reversed(refs))[25:]
    assert "Page 1 of 2" in first.content.decode()


def test_the_list_issues_as_many_queries_for_200_referrals_as_for_10(
    member, member_client, organisation, decision_maker
):
    def add_rows(count):
        for index in range(count):
            referral = submit_for(organisation, member)
            if index % 5 == 0:
                _decide(referral, decision_maker, "positive")

    testing.assert_constant_queries(member_client, HOME, add_rows)


# --- one referral: its receipt and status ---------------------------------------------------


def test_a_referral_page_shows_its_status_and_what_happens_next_without_personal_data(
    member, member_client, organisation
):
    referral = submit_for(organisation, member)

    response = member_client.get(reverse("portal:referral", args=[referral.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert referral.ref in page and "What happens next" in page and "0295 463 177" in page
    for personal in ("Amina", "Haddad", "berry", "employer"):
        assert personal not in page


def test_another_organisations_referral_is_not_found(
    member_client, other_organisation, caseworker_helsinki
):
    theirs = submit_for(other_organisation, make_member(other_organisation, "police_officer"))
    typed_in = testing.make_referral()  # recorded by the office, of no organisation

    for referral_id in (theirs.pk, typed_in.pk, 10**9):
        response = member_client.get(reverse("portal:referral", args=[referral_id]))
        assert response.status_code == 404

    denied = testing.audit_events("portal.referral_denied")
    assert [(e.object_id, e.person_id) for e in denied] == [
        (str(theirs.pk), theirs.person_id),
        (str(typed_in.pk), typed_in.person_id),
        (str(10**9), None),
    ]


# --- who may use the portal -------------------------------------------------------------------


@pytest.mark.parametrize("url", [HOME, NEW])
def test_staff_and_referrers_without_an_active_organisation_are_refused(
    url, caseworker_helsinki, referrer, organisation
):
    lapsed = make_member(organisation, "lapsed")
    organisation.active = False
    organisation.save()
    for user in (caseworker_helsinki, referrer, lapsed):
        assert signed_in(user).get(url).status_code == 403


def test_a_referrer_must_sign_in_with_two_factors(member):
    from django.test import Client

    client = Client()
    client.force_login(member)  # a password alone

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


# --- the guided referral form ---------------------------------------------------------------


def test_a_referral_from_the_portal_reaches_the_caseworkers_inbox(
    member, member_client, organisation, caseworker_helsinki, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(NEW, FORM)

    referral = Referral.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:referral", args=[referral.pk])
    assert (referral.channel, referral.referrer_type_id) == (Channel.PORTAL, "ngo")
    assert referral.organisation_name == "Victim Support Test"
    assert referral.office_id == "helsinki"  # the intake office, as none was chosen
    assert referral.urgency == Urgency.URGENT
    assert referral.consent == Consent.NOT_NEEDED  # the answer "a minor", as a value
    assert referral.account == FORM["account"]
    assert referral.safety_concerns.startswith("Safe to contact the person: No.")
    assert "Call the shelter, not her." in referral.safety_concerns
    person = referral.person
    assert (person.given_names, person.family_name) == ("Olena", "Kovalenko")
    assert person.age_assessment == AgeAssessment.MINOR
    assert (person.primary_nationality, person.nationalities) == ("UA", ["UA"])
    assert (person.languages, person.interpreter_needed) == (["uk", "ru"], True)
    testing.assert_audited("referral.receive", member, referral)
    # The caseworkers of the intake office see it, and were told of it.
    assert referrals_visible_to(user=caseworker_helsinki).filter(pk=referral.pk).exists()
    inbox = signed_in(caseworker_helsinki).get(reverse("referrals:inbox")).content.decode()
    assert referral.ref in inbox and "Referral portal" in inbox
    assert testing.inbox_cells(caseworker_helsinki, referral.ref)[3:5] == [
        "Non-governmental organisation",
        "Referral portal",
    ]
    assert [m.to for m in mail.outbox] == [[caseworker_helsinki.email]]


def test_the_referrer_may_choose_the_office_and_give_consent(member_client, tampere):
    form = FORM | {
        "office": "tampere",
        "consent": "given",
        "age_guess": "",
        "birth_year": "1990",
        "urgency": Urgency.IMMEDIATE_DANGER,
    }

    member_client.post(NEW, form)

    referral = Referral.objects.get()
    assert (referral.office_id, referral.consent) == ("tampere", Consent.GIVEN)
    assert referral.urgency == Urgency.IMMEDIATE_DANGER
    assert "Consent" not in referral.account
    assert referral.person.birth_year == 1990 and referral.person.age_assessment == ""


def test_form_errors_are_summarised_and_what_was_typed_is_kept(member_client):
    counts = testing.row_counts()
    form = FORM | {"account": "", "age_guess": "", "safe_to_contact": ""}

    response = member_client.post(NEW, form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and page.count('<li><a href="#') == 3
    assert "<title>Error: Make a referral" in page
    assert 'value="Kovalenko"' in page and "Call the shelter, not her." in page
    assert 'value="uk" selected' in page
    assert testing.row_counts() == counts


def test_a_refusal_of_the_service_is_shown_on_its_field_and_nothing_is_stored(member_client):
    counts = testing.row_counts()
    form = FORM | {
        "date_of_birth": "1999-04-02",
        "birth_year": "1999",
        "age_guess": "",
        "consent": "given",
    }

    response = member_client.post(NEW, form)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["birth_year"] == ["Give either the date of birth or the year of birth, not both."]
    assert 'value="1999-04-02"' in response.content.decode()
    assert testing.row_counts() == counts


def test_consent_is_left_out_only_for_a_minor(member_client):
    counts = testing.row_counts()
    form = FORM | {"age_guess": "", "date_of_birth": "1980-01-01"}

    response = member_client.post(NEW, form)

    # The submission service refuses it; the form shows the refusal on the consent question.
    assert response.context["form"].errors["consent"] == [
        "Consent can be left out only for a minor, and the person's age says adult."
    ]
    assert 'value="1980-01-01"' in response.content.decode()
    assert testing.row_counts() == counts
