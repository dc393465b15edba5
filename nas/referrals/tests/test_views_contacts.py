"""The helpline, consultation and training screens: recording, refusals, scoping, queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from nas.audit.models import AuditEvent
from nas.common import testing
from nas.common.dates import today
from nas.common.testing import assert_audited, assert_constant_queries, sign_in_verified
from nas.referrals.models import AnonymousConsultation, HelplineContact, TrainingEvent
from nas.referrals.services import (
    anonymous_consultation_link,
    anonymous_consultation_record,
    helpline_contact_record,
    training_event_record,
)

DAY = dt.date(2024, 2, 1)
TOMORROW = today() + dt.timedelta(days=1)
CONTACT_URLS = [
    "contacts:helpline",
    "contacts:helpline_add",
    "contacts:consultations",
    "contacts:consultation_add",
    "contacts:training",
    "contacts:training_add",
]


@pytest.fixture
def signed_in(client, caseworker_helsinki):
    """The test client, signed in as the caseworker at Helsinki."""
    sign_in_verified(client, caseworker_helsinki)
    return client


def _contact(user, *, referral=None, day=DAY, **fields):
    return helpline_contact_record(
        acting_user=user,
        date=day,
        caller_type=fields.pop("caller_type", testing.referrer_type("self")),
        language=fields.pop("language", "en"),
        topic=fields.pop("topic", "Wages not paid"),
        outcome="referral_made" if referral else fields.pop("outcome", "advice"),
        referral=referral,
    )


def _consultation(user, *, office_code="helsinki", day=DAY, **fields):
    return anonymous_consultation_record(
        acting_user=user,
        date=day,
        office=testing.office(office_code),
        contact_type=fields.pop("contact_type", testing.referrer_type("ngo")),
        channel=fields.pop("channel", "phone"),
        topic=fields.pop("topic", "A worker whose passport the employer keeps"),
        **fields,
    )


def _training(user, *, office_code="helsinki", day=DAY, participants=20, **fields):
    return training_event_record(
        acting_user=user,
        date=day,
        title=fields.pop("title", "Recognising labour exploitation"),
        audience=fields.pop("audience", "authorities"),
        participants=participants,
        office=testing.office(office_code),
    )


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["statistician", "auditor", "administrator", "referrer"])
@pytest.mark.parametrize("name", CONTACT_URLS)
def test_roles_without_the_permission_get_403(client, db, persona, name):
    sign_in_verified(client, testing.make_persona(persona))
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {"date": "2024-02-01"}).status_code == 403
    assert not HelplineContact.objects.exists()
    assert not AnonymousConsultation.objects.exists()
    assert not TrainingEvent.objects.exists()


def test_linking_needs_the_permission(client, caseworker_helsinki, statistician):
    consultation = _consultation(caseworker_helsinki)
    sign_in_verified(client, statistician)
    url = reverse("contacts:consultation_link", args=[consultation.pk])
    assert client.get(url).status_code == 403


# --- helpline ------------------------------------------------------------------------------


def _helpline_form(**overrides):
    return {
        "date": "2024-02-01",
        "caller_type": "self",
        "language": "RU ",
        "topic": "Wages not paid",
        "outcome": "advice",
        "referral": "",
        **overrides,
    }


def test_the_helpline_form_defaults_to_today(signed_in):
    page = _page(signed_in.get(reverse("contacts:helpline_add")))
    assert f'value="{today().isoformat()}"' in page
    assert "Save and add another" in page


def test_a_helpline_contact_is_recorded_through_the_service(signed_in, caseworker_helsinki):
    response = signed_in.post(reverse("contacts:helpline_add"), _helpline_form(), follow=True)
    contact = HelplineContact.objects.get()
    assert (contact.date, contact.caller_type_id, contact.language) == (DAY, "self", "ru")
    assert (contact.outcome, contact.recorded_by) == ("advice", caseworker_helsinki)
    assert_audited("helpline.record", caseworker_helsinki, contact)
    assert response.redirect_chain == [(reverse("contacts:helpline"), 302)]
    assert "The helpline contact was recorded." in _page(response)


def test_save_and_add_another_comes_back_to_the_form(signed_in):
    response = signed_in.post(reverse("contacts:helpline_add"), _helpline_form(another="1"))
    assert response.status_code == 302
    assert response.url == reverse("contacts:helpline_add")
    assert HelplineContact.objects.count() == 1


def test_a_referral_made_is_linked_by_its_reference_number(signed_in, caseworker_helsinki):
    referral = testing.make_referral(office_code="helsinki")
    data = _helpline_form(outcome="referral_made", referral=referral.ref.lower())
    assert signed_in.post(reverse("contacts:helpline_add"), data).status_code == 302
    contact = HelplineContact.objects.get()
    assert contact.referral == referral
    event = assert_audited("helpline.record", caseworker_helsinki, contact)
    assert event.person_id == referral.person_id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outcome": "referral_made"}, "Link the referral that was made."),
        ({"date": TOMORROW.isoformat()}, "The date cannot be in the future."),
        (
            {"date": "2005-12-31"},
            "The date (2005-12-31) cannot be before the start of the assistance system "
            "(2006-01-01).",
        ),
    ],
)
def test_a_refused_helpline_contact_shows_why_and_keeps_what_was_typed(signed_in, changes, message):
    data = _helpline_form(topic="Asked about a friend's wages", **changes)
    events = AuditEvent.objects.count()
    page = _page(signed_in.post(reverse("contacts:helpline_add"), data))
    assert message in page
    # Kept, and escaped (Django's templates write &#x27;, the widgets' Jinja2 &#39;).
    assert re.search("Asked about a friend&#(x27|39);s wages", page)
    assert f'value="{data["date"]}"' in page
    assert not HelplineContact.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_referral_the_user_may_not_see_cannot_be_linked(signed_in):
    theirs = testing.make_referral(office_code="tampere")
    data = _helpline_form(outcome="referral_made", referral=theirs.ref)
    page = _page(signed_in.post(reverse("contacts:helpline_add"), data))
    assert "No referral you may see has this reference number." in page
    assert not HelplineContact.objects.exists()


def test_the_helpline_list_shows_only_the_referrals_the_user_may_see(
    signed_in, caseworker_helsinki, caseworker_tampere
):
    mine = testing.make_referral(office_code="helsinki")
    theirs = testing.make_referral(office_code="tampere")
    _contact(caseworker_helsinki, referral=mine, topic="Mine")
    _contact(caseworker_tampere, referral=theirs, topic="Theirs")
    page = _page(signed_in.get(reverse("contacts:helpline")))
    # Helpline contacts are national: both are listed, the other office's referral is not.
    assert "Mine" in page and "Theirs" in page
    assert mine.ref in page
    assert theirs.ref not in page and "A referral you may not see" in page
    event = AuditEvent.objects.get(action="helpline.list")
    assert (event.kind, event.actor) == ("read", caseworker_helsinki)
    assert event.changes["person_ids"] == [mine.person_id]


def test_a_helpline_list_without_visible_referrals_is_not_audited(signed_in, caseworker_helsinki):
    _contact(caseworker_helsinki)
    _page(signed_in.get(reverse("contacts:helpline")))
    assert not AuditEvent.objects.filter(kind="read").exists()


def test_the_helpline_list_filters_newest_first_with_the_periods_totals(
    signed_in, caseworker_helsinki
):
    referral = testing.make_referral(office_code="helsinki")
    _contact(caseworker_helsinki, day=dt.date(2024, 1, 5), topic="Early January")
    _contact(caseworker_helsinki, day=dt.date(2024, 1, 20), topic="Late January")
    _contact(
        caseworker_helsinki, day=dt.date(2024, 3, 2), referral=referral, topic="Third month call"
    )
    _contact(caseworker_helsinki, day=dt.date(2024, 1, 10), language="fi", topic="Call in fi")
    url = reverse("contacts:helpline") + "?date_from=2024-01-01&date_to=2024-01-31&language=EN"
    response = signed_in.get(url)
    page = _page(response)
    assert response.context["totals"] == {"total": 2, "advice": 2, "referral_made": 0}
    assert page.index("Late January") < page.index("Early January")
    assert "Third month call" not in page and "Call in fi" not in page
    everything = signed_in.get(reverse("contacts:helpline") + "?outcome=referral_made")
    assert everything.context["totals"] == {"total": 1, "advice": 0, "referral_made": 1}


def test_an_invalid_filter_is_shown_as_an_error(signed_in):
    url = reverse("contacts:helpline") + "?date_from=2024-02-01&date_to=2024-01-01"
    assert "The end date must not be before the start date." in _page(signed_in.get(url))


def test_the_helpline_list_is_paginated_by_50(signed_in, caseworker_helsinki):
    for _ in range(51):
        _contact(caseworker_helsinki)
    response = signed_in.get(reverse("contacts:helpline"))
    assert len(response.context["rows"]) == 50
    assert response.context["totals"]["total"] == 51
    assert len(signed_in.get(reverse("contacts:helpline") + "?page=2").context["rows"]) == 1


def test_the_helpline_list_issues_constant_queries(signed_in, caseworker_helsinki):
    referral = testing.make_referral(office_code="helsinki")

    def add_rows(n):
        for i in range(n):
            _contact(caseworker_helsinki, referral=referral if i % 2 else None)

    assert_constant_queries(signed_in, reverse("contacts:helpline"), add_rows)


# --- anonymous consultations ---------------------------------------------------------------


def _consultation_form(**overrides):
    return {
        "date": "2024-02-01",
        "office": "helsinki",
        "contact_type": "ngo",
        "channel": "phone",
        "topic": "A berry picker whose passport is held",
        "adult_declined_referral": "on",
        **overrides,
    }


def test_the_consultation_form_defaults_to_today_and_the_users_office(signed_in):
    form = signed_in.get(reverse("contacts:consultation_add")).context["form"]
    assert form["date"].value() == today()
    assert form["office"].value() == "helsinki"


def test_a_consultation_is_recorded_through_the_service(signed_in, caseworker_helsinki):
    response = signed_in.post(reverse("contacts:consultation_add"), _consultation_form())
    assert response.status_code == 302 and response.url == reverse("contacts:consultations")
    consultation = AnonymousConsultation.objects.get()
    assert (consultation.office_id, consultation.contact_type_id) == ("helsinki", "ngo")
    assert consultation.adult_declined_referral is True
    assert consultation.recorded_by == caseworker_helsinki
    assert_audited("consultation.record", caseworker_helsinki, consultation)


def test_a_refused_consultation_shows_why_and_keeps_what_was_typed(signed_in):
    data = _consultation_form(date=TOMORROW.isoformat())
    page = _page(signed_in.post(reverse("contacts:consultation_add"), data))
    assert "The date cannot be in the future." in page
    assert "A berry picker whose passport is held" in page
    assert not AnonymousConsultation.objects.exists()


def test_consultations_are_scoped_to_the_office_and_to_what_one_recorded(
    signed_in, caseworker_helsinki, caseworker_tampere
):
    _consultation(caseworker_helsinki, topic="Helsinki office")
    _consultation(caseworker_tampere, office_code="tampere", topic="Tampere office")
    _consultation(caseworker_helsinki, office_code="tampere", topic="Recorded for Tampere")
    response = signed_in.get(reverse("contacts:consultations"))
    page = _page(response)
    assert "Helsinki office" in page and "Recorded for Tampere" in page
    assert "Tampere office" not in page
    assert response.context["totals"] == {"total": 2, "declined": 0, "linked": 0}


def test_the_consultation_list_filters_and_counts(signed_in, caseworker_helsinki):
    referral = testing.make_referral(office_code="helsinki")
    linked = _consultation(caseworker_helsinki, adult_declined_referral=True)
    anonymous_consultation_link(
        acting_user=caseworker_helsinki, consultation=linked, referral=referral
    )
    _consultation(caseworker_helsinki, channel="email", topic="By e-mail")
    response = signed_in.get(reverse("contacts:consultations") + "?channel=phone")
    page = _page(response)
    assert response.context["totals"] == {"total": 1, "declined": 1, "linked": 1}
    assert referral.ref in page and "By e-mail" not in page
    event = assert_audited("consultation.list", caseworker_helsinki)
    assert event.changes["person_ids"] == [referral.person_id]


def test_the_consultation_list_issues_constant_queries(signed_in, caseworker_helsinki):
    referral = testing.make_referral(office_code="helsinki")

    def add_rows(n):
        for i in range(n):
            consultation = _consultation(caseworker_helsinki)
            if i % 2:
                anonymous_consultation_link(
                    acting_user=caseworker_helsinki, consultation=consultation, referral=referral
                )

    assert_constant_queries(signed_in, reverse("contacts:consultations"), add_rows)


# --- linking a consultation to a referral --------------------------------------------------


def _link_url(consultation):
    return reverse("contacts:consultation_link", args=[consultation.pk])


def test_a_consultation_is_linked_to_the_referral_that_followed(signed_in, caseworker_helsinki):
    consultation = _consultation(caseworker_helsinki)
    referral = testing.make_referral(office_code="helsinki")
    response = signed_in.post(_link_url(consultation), {"referral": referral.ref, "linked": ""})
    assert response.status_code == 302 and response.url == reverse("contacts:consultations")
    assert testing.reload(consultation).referral == referral
    event = assert_audited("consultation.link", caseworker_helsinki, consultation)
    assert event.person_id == referral.person_id


def test_a_referral_received_before_the_consultation_is_refused(signed_in, caseworker_helsinki):
    consultation = _consultation(caseworker_helsinki, day=dt.date(2024, 6, 1))
    referral = testing.make_referral(office_code="helsinki")  # received 1 March 2024
    events = AuditEvent.objects.count()
    response = signed_in.post(_link_url(consultation), {"referral": referral.ref, "linked": ""})
    page = _page(response)
    assert "The referral was received before the consultation took place." in page
    assert f'value="{referral.ref}"' in page
    assert testing.reload(consultation).referral is None
    assert AuditEvent.objects.count() == events


def test_a_link_made_meanwhile_is_not_replaced(signed_in, caseworker_helsinki):
    consultation = _consultation(caseworker_helsinki)
    first = testing.make_referral(office_code="helsinki")
    second = testing.make_referral(office_code="helsinki")
    anonymous_consultation_link(
        acting_user=caseworker_helsinki, consultation=consultation, referral=first
    )
    page = _page(signed_in.post(_link_url(consultation), {"referral": second.ref, "linked": ""}))
    assert "Someone else linked this consultation to a referral meanwhile." in page
    assert first.ref in page
    assert testing.reload(consultation).referral == first
    # Seen, the link can be changed.
    data = {"referral": second.ref, "linked": str(first.pk)}
    assert signed_in.post(_link_url(consultation), data).status_code == 302
    assert testing.reload(consultation).referral == second


def test_a_referral_the_user_may_not_see_cannot_be_linked_to(signed_in, caseworker_helsinki):
    consultation = _consultation(caseworker_helsinki)
    theirs = testing.make_referral(office_code="tampere")
    page = _page(signed_in.post(_link_url(consultation), {"referral": theirs.ref}))
    assert "No referral you may see has this reference number." in page
    assert testing.reload(consultation).referral is None


def test_another_offices_consultation_is_not_found(signed_in, caseworker_tampere):
    theirs = _consultation(caseworker_tampere, office_code="tampere")
    referral = testing.make_referral(office_code="helsinki")
    assert signed_in.get(_link_url(theirs)).status_code == 404
    assert signed_in.post(_link_url(theirs), {"referral": referral.ref}).status_code == 404
    assert testing.reload(theirs).referral is None


def test_the_link_page_shows_and_audits_the_current_link(signed_in, caseworker_helsinki):
    consultation = _consultation(caseworker_helsinki)
    referral = testing.make_referral(office_code="helsinki")
    anonymous_consultation_link(
        acting_user=caseworker_helsinki, consultation=consultation, referral=referral
    )
    assert referral.ref in _page(signed_in.get(_link_url(consultation)))
    event = assert_audited("consultation.view", caseworker_helsinki, consultation)
    assert event.changes["person_ids"] == [referral.person_id]


# --- training events -----------------------------------------------------------------------


def _training_form(**overrides):
    return {
        "date": "2024-02-01",
        "title": "Recognising labour exploitation",
        "audience": "health_social",
        "participants": "35",
        "office": "tampere",
        **overrides,
    }


def test_a_training_event_is_recorded_through_the_service(signed_in, caseworker_helsinki):
    response = signed_in.post(reverse("contacts:training_add"), _training_form(), follow=True)
    event = TrainingEvent.objects.get()
    assert (event.participants, event.office_id, event.audience) == (35, "tampere", "health_social")
    assert_audited("training.record", caseworker_helsinki, event)
    assert response.redirect_chain == [(reverse("contacts:training"), 302)]
    assert "The training event was recorded." in _page(response)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"participants": "0"}, "A training event has at least one participant."),
        ({"date": TOMORROW.isoformat()}, "The date cannot be in the future."),
        ({"participants": "9" * 12}, "Ensure this value is less than or equal to 2147483647."),
    ],
)
def test_a_refused_training_event_shows_why_and_keeps_what_was_typed(signed_in, changes, message):
    data = _training_form(title="Spring seminar", **changes)
    page = _page(signed_in.post(reverse("contacts:training_add"), data))
    assert message in page
    assert 'value="Spring seminar"' in page
    assert f'value="{data["participants"]}"' in page
    assert not TrainingEvent.objects.exists()


def test_training_events_are_national_with_an_office_filter(
    signed_in, caseworker_helsinki, caseworker_tampere
):
    _training(caseworker_helsinki, participants=10, title="In Helsinki")
    _training(caseworker_tampere, office_code="tampere", participants=25, title="In Tampere")
    _training(caseworker_tampere, office_code="tampere", participants=5, day=dt.date(2023, 5, 1))
    response = signed_in.get(reverse("contacts:training"))
    assert response.context["totals"] == {"total": 3, "participants": 40}
    assert "In Helsinki" in _page(response) and "In Tampere" in _page(response)
    url = reverse("contacts:training") + "?office=tampere&date_from=2024-01-01"
    filtered = signed_in.get(url)
    assert filtered.context["totals"] == {"total": 1, "participants": 25}
    assert "In Helsinki" not in _page(filtered)


def test_the_training_list_issues_constant_queries(signed_in, caseworker_helsinki):
    def add_rows(n):
        for _ in range(n):
            _training(caseworker_helsinki)

    assert_constant_queries(signed_in, reverse("contacts:training"), add_rows)


def test_a_consultation_number_too_large_for_the_database_is_not_found(signed_in):
    url = reverse("contacts:consultation_link", args=[10**30])
    assert signed_in.get(url).status_code == 404
