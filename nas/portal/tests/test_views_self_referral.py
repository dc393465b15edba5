"""The public self-referral form: stored first, protected from spam and floods, no account."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from nas.common import testing
from nas.portal import spam, views_public
from nas.portal.tests.factories import old_enough_token, signed_in
from nas.referrals import external
from nas.referrals.choices import Channel, Consent, Urgency
from nas.referrals.models import Referral
from nas.referrals.selectors import referrals_visible_to

FORM_URL = reverse("self_referral:form")
RECEIPT_URL = reverse("self_referral:receipt")
HELPLINE = "0295 463 177"


def form(**overrides):
    data = {
        "name": "Lin",
        "phone": "+358 44 987 6543",
        "email": "",
        "language": "zh",
        "account": "I cleaned houses and was never paid. My boss keeps my passport.",
        "safe_to_contact": "yes",
        "in_danger": "no",
        "website": "",
        "form_started": old_enough_token(),
    }
    return data | overrides


@pytest.fixture
def visitor(db):
    return Client()


def test_the_form_shows_the_helpline_and_what_happens_next_in_each_language(visitor):
    for language in ("fi", "sv", "en"):
        response = visitor.get(FORM_URL, HTTP_ACCEPT_LANGUAGE=language)
        page = response.content.decode()
        assert response.status_code == 200
        assert f'<html lang="{language}" dir="ltr">' in page
        assert HELPLINE in page and 'href="tel:+358295463177"' in page
        assert 'class="portal-trap"' in page and 'name="form_started"' in page


def test_a_self_referral_is_stored_and_reaches_the_intake_office(
    visitor, caseworker_helsinki, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(FORM_URL, form())

    assert response.status_code == 302 and response["Location"] == RECEIPT_URL
    referral = Referral.objects.get()
    assert (referral.channel, referral.referrer_type_id) == (Channel.WEB_FORM, "self")
    assert referral.organisation is None and referral.office_id == "helsinki"
    assert (referral.urgency, referral.consent) == (Urgency.NORMAL, Consent.GIVEN)
    assert referral.account.startswith("I cleaned houses")
    assert referral.safety_concerns == "Safe to contact the person: Yes.\nIn danger now: No."
    person = referral.person
    assert (person.given_names, person.phone, person.languages) == (
        "Lin",
        "+358 44 987 6543",
        ["zh"],
    )
    assert person.primary_nationality == "unknown"
    assert referrals_visible_to(user=caseworker_helsinki).filter(pk=referral.pk).exists()
    inbox = signed_in(caseworker_helsinki).get(reverse("referrals:inbox")).content.decode()
    assert referral.ref in inbox and "Web form" in inbox
    assert testing.inbox_cells(caseworker_helsinki, referral.ref)[3:5] == [
        "The person themself",
        "Web form",
    ]
    assert [m.to for m in mail.outbox] == [[caseworker_helsinki.email]]

    receipt = visitor.get(RECEIPT_URL)
    assert referral.ref in receipt.content.decode() and HELPLINE in receipt.content.decode()
    # Shown once: someone using the browser later does not find it.
    assert visitor.get(RECEIPT_URL)["Location"] == FORM_URL


def test_a_person_in_danger_now_is_marked_immediate_danger(visitor):
    visitor.post(FORM_URL, form(in_danger="yes", safe_to_contact="unknown"))

    referral = Referral.objects.get()
    assert referral.urgency == Urgency.IMMEDIATE_DANGER
    assert "Safe to contact the person: I do not know." in referral.safety_concerns


def test_the_receipt_without_a_referral_just_sent_leads_to_the_form(visitor):
    assert visitor.get(RECEIPT_URL)["Location"] == FORM_URL


def test_form_errors_keep_what_was_typed_and_the_time_the_form_was_shown(visitor):
    counts = testing.row_counts()
    started = old_enough_token()

    response = visitor.post(FORM_URL, form(account="", in_danger="", form_started=started))

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and page.count("<li><a href=") == 2
    assert 'value="Lin"' in page and 'value="+358 44 987 6543"' in page
    assert f'value="{started}"' in page
    assert testing.row_counts() == counts


# --- spam -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (lambda: {"website": "http://cheap-pills.example"}, spam.NOT_ACCEPTED),
        (lambda: {"form_started": spam.started_token()}, spam.TOO_FAST),
        (lambda: {"form_started": spam.started_token(time.time() - 2 * 86400)}, spam.TOO_OLD),
        (lambda: {"form_started": "1700000000"}, spam.NOT_ACCEPTED),
        (lambda: {"form_started": ""}, spam.NOT_ACCEPTED),
    ],
    ids=["honeypot", "too fast", "too old", "forged time", "no time"],
)
def test_spam_is_refused_politely_and_nothing_is_stored(visitor, overrides, message):
    counts = testing.row_counts()

    response = visitor.post(FORM_URL, form(**overrides()))

    assert response.status_code == 400
    page = response.content.decode()
    assert str(message) in page and HELPLINE in page
    assert 'value="Lin"' in page  # a person who was refused by mistake loses nothing
    assert testing.row_counts() == counts
    assert mail.outbox == []


def test_a_stale_form_gets_a_fresh_time_so_that_sending_again_works(visitor):
    response = visitor.post(FORM_URL, form(form_started=spam.started_token(time.time() - 90000)))

    age = spam.started_age(response.context["form"].data["form_started"])
    assert age is not None and 0 <= age < spam.MIN_SECONDS


# --- rate limits ------------------------------------------------------------------------------


def test_more_than_five_self_referrals_an_hour_from_one_address_are_refused(visitor):
    for _ in range(5):
        assert visitor.post(FORM_URL, form()).status_code == 302

    response = visitor.post(FORM_URL, form())

    assert response.status_code == 429
    assert HELPLINE in response.content.decode()
    assert Referral.objects.count() == 5
    # Another address is not limited.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(FORM_URL, form()).status_code == 302


def test_a_flood_of_refused_forms_is_limited_too(visitor):
    for _ in range(30):
        assert visitor.post(FORM_URL, form(account="")).status_code == 200

    assert visitor.post(FORM_URL, form()).status_code == 429
    assert not Referral.objects.exists()


def test_reading_the_form_is_never_limited(visitor):
    for _ in range(40):
        assert visitor.get(FORM_URL).status_code == 200


# --- a failing notification loses nothing ------------------------------------------------------


def test_a_failing_mail_server_loses_no_self_referral(
    visitor, caseworker_helsinki, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(external, "send_mail", broken)

    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(FORM_URL, form())

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.ref in visitor.get(RECEIPT_URL).content.decode()
    assert mail.outbox == []


def test_a_failing_rate_limit_cache_loses_no_self_referral(visitor, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(views_public, "get_usage", broken)

    response = visitor.post(FORM_URL, form())

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.ref in visitor.get(RECEIPT_URL).content.decode()
    assert "rate limit not checked" in caplog.text
