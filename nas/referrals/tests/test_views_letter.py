"""The decision letter: in the language asked for whatever the screen's, as HTML and PDF."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from nas.common import testing
from nas.common.testing import assert_audited, sign_in_verified
from nas.referrals import letters
from nas.referrals.services import admission_decide
from nas.referrals.tests.test_views_referral import page

# What each language writes differently: the date's format (Django's own translations of the
# month names), and the labels of the reference lists (office, reason) kept in the tables.
DATES = {"fi": "15. maaliskuuta 2024", "sv": "15 mars 2024", "en": "15 March 2024"}
OFFICES = {"fi": "Helsinki", "sv": "Helsingfors", "en": "Helsinki"}
REASONS = {
    "fi": "Ei ihmiskauppaa",
    "sv": "Inte människohandel",
    "en": "Not a case of human trafficking",
}


def letter_url(referral, language: str | None = None, name: str = "referrals:letter") -> str:
    url = reverse(name, args=[referral.pk])
    return f"{url}?lang={language}" if language else url


@pytest.fixture
def refused(caseworker, decision_maker, negative_reasons):
    """A referral decided negatively on 15 March 2024: not a case of human trafficking."""
    referral = testing.make_referral(acting_user=caseworker, assess=True)
    admission_decide(
        acting_user=decision_maker,
        referral=referral,
        date=testing.DECIDED,
        outcome="negative",
        negative_reason=negative_reasons["not_trafficking"],
        reason_text="The account describes no exploitation.",
        trafficking_definition_met=False,
    )
    return referral


@pytest.fixture
def signed_in(client, caseworker):
    sign_in_verified(client, caseworker)
    return client


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_letter_is_written_in_the_language_asked_for(signed_in, refused, language):
    response = signed_in.get(letter_url(refused, language))
    assert response.status_code == 200
    text = page(response)
    assert f'<article class="letter" lang="{language}">' in text
    assert DATES[language] in text
    assert f"<br>{OFFICES[language]}</p>" in text
    assert REASONS[language] in text
    for other in set(DATES) - {language}:
        assert DATES[other] not in text
    assert refused.person.full_name in text and refused.ref in text
    assert "The account describes no exploitation." in text


def test_the_letter_keeps_its_language_whatever_the_screens(signed_in, refused):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    text = page(signed_in.get(letter_url(refused, "fi")))
    assert '<html lang="sv" dir="ltr">' in text
    assert '<article class="letter" lang="fi">' in text
    assert DATES["fi"] in text and DATES["sv"] not in text


def test_without_a_language_the_letter_takes_the_screens(signed_in, refused):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert DATES["sv"] in page(signed_in.get(letter_url(refused)))
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert DATES["en"] in page(signed_in.get(letter_url(refused, "xx")))


def test_a_positive_letter_states_the_admission_and_the_identification(signed_in, victim):
    text = page(signed_in.get(letter_url(victim.referral, "en")))
    assert "You are admitted as a client" in text
    assert "This decision also identifies you as a victim of human trafficking." in text
    assert "How to appeal" in text


def test_reading_the_letter_is_audited(signed_in, caseworker, refused):
    signed_in.get(letter_url(refused, "sv"))
    event = assert_audited("referral.letter.view", caseworker, refused)
    assert (event.kind, event.person_id, event.changes) == (
        "read",
        refused.person_id,
        {"language": "sv"},
    )


def test_the_letter_of_an_undecided_referral_does_not_exist(signed_in, referral):
    assert signed_in.get(letter_url(referral, "fi")).status_code == 404
    assert signed_in.get(letter_url(referral, "fi", "referrals:letter_pdf")).status_code == 404


def test_another_offices_letter_is_a_404_and_audited(client, caseworker_tampere, refused):
    sign_in_verified(client, caseworker_tampere)
    assert client.get(letter_url(refused, "fi")).status_code == 404
    assert client.get(letter_url(refused, "fi", "referrals:letter_pdf")).status_code == 404
    assert_audited("referral.view_denied", caseworker_tampere, refused)


def test_roles_without_casework_are_refused(client, auditor, refused):
    sign_in_verified(client, auditor)
    assert client.get(letter_url(refused, "fi")).status_code == 403
    assert client.get(letter_url(refused, "fi", "referrals:letter_pdf")).status_code == 403


def test_the_pdf_is_a_download_and_its_export_is_audited(signed_in, caseworker, refused):
    response = signed_in.get(letter_url(refused, "sv", "referrals:letter_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"decision-{refused.ref}-sv-" in disposition
    assert "no-store" in response["Cache-Control"]
    event = assert_audited("referral.letter.download", caseworker, refused)
    assert (event.kind, event.person_id) == ("export", refused.person_id)
    assert event.changes == {"language": "sv", "format": "pdf"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_pdf_is_laid_out_from_the_letter_in_its_language(
    signed_in, refused, monkeypatch, language
):
    laid_out: list[str] = []

    def capture(html: str, **kwargs) -> bytes:
        laid_out.append(html)
        return b"%PDF-1.7 captured"

    monkeypatch.setattr(letters, "html_to_pdf", capture)
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = signed_in.get(letter_url(refused, language, "referrals:letter_pdf"))
    assert response.content == b"%PDF-1.7 captured"
    (html,) = laid_out
    assert f'<html lang="{language}">' in html
    assert DATES[language] in html and REASONS[language] in html
    assert "<style" not in html and "<script" not in html
