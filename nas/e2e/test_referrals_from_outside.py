"""The public self-referral form and the referral portal, in Finnish, Swedish and English.

In each language: axe-core finds no WCAG 2.1 A/AA violation on the pages, in their error
state too; a submission with errors keeps what was typed; a correct one gives a reference
number and the referral appears in the caseworkers' inbox with its referrer type and channel.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from nas.accounts.models import User
from nas.common import testing
from nas.e2e.conftest import LANGUAGES
from nas.portal.spam import MIN_SECONDS
from nas.referrals.models import Organisation, Referral
from nas.referrals.selectors import referrals_visible_to


def submit(page: Any) -> None:
    page.locator("main form[method=post] button.button").last.click()
    page.wait_for_load_state()


def assert_in_inbox(referral: Referral, referrer_type: str, channel: str) -> None:
    """The referral is in the inbox of a caseworker of its office, as the page shows it."""
    caseworker = testing.make_caseworker(referral.office_id)
    assert referrals_visible_to(user=caseworker).filter(pk=referral.pk).exists()
    assert (referral.referrer_type_id, referral.channel) == (referrer_type, channel)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_person_refers_themself(live_server: Any, new_signed_in_page: Any, axe: Any, language):
    page = new_signed_in_page(None, language)
    page.goto(f"{live_server.url}/self-referral/")
    assert page.locator("html").get_attribute("lang") == language
    assert "295 463 177" in page.locator("main").inner_text()
    violations = axe(page)

    page.fill("#id_name", "Lena")
    page.check("#id_safe_to_contact input[value=yes]")
    time.sleep(MIN_SECONDS)
    submit(page)
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#id_name") == "Lena"
    assert page.locator("#id_safe_to_contact input[value=yes]").is_checked()
    assert not Referral.objects.exists()
    violations += axe(page)

    page.fill("#id_account", "My employer keeps my passport and I cannot leave.")
    page.check("#id_in_danger input[value=no]")
    time.sleep(MIN_SECONDS)
    submit(page)
    referral = Referral.objects.get()
    assert referral.ref in page.locator("main").inner_text()
    violations += axe(page)
    assert_in_inbox(referral, "self", "web_form")
    assert violations == []


@pytest.fixture
def organisation_admin(db: Any) -> User:
    organisation = Organisation.objects.create(
        name="Helsinki police department", referrer_type=testing.referrer_type("police")
    )
    user = testing.make_referrer()
    user.organisation = organisation
    user.organisation_admin = True
    user.save(update_fields=["organisation", "organisation_admin"])
    return user


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organisation_refers_through_the_portal(
    live_server: Any, new_signed_in_page: Any, axe: Any, organisation_admin: User, language
):
    page = new_signed_in_page(organisation_admin, language)
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/portal/")
    violations = axe(page)
    page.goto(f"{live_server.url}/portal/members/")
    violations += axe(page)

    page.goto(f"{live_server.url}/portal/referrals/new/")
    violations += axe(page)
    page.fill("#id_given_names", "Tuan")
    page.fill("#id_family_name", "Nguyen")
    page.fill("#id_birth_year", "1999")
    submit(page)
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#id_given_names") == "Tuan"
    assert page.input_value("#id_birth_year") == "1999"
    assert not Referral.objects.exists()
    violations += axe(page)

    page.fill("#id_account", "Found working in a nail salon, paid nothing, sleeping there.")
    page.check("#id_urgency input[value=urgent]")
    page.check("#id_safe_to_contact input[value=yes]")
    page.check("#id_consent input[value=given]")
    submit(page)
    referral = Referral.objects.get()
    assert referral.ref in page.locator("main").inner_text()
    assert referral.organisation == organisation_admin.organisation
    violations += axe(page)
    assert_in_inbox(referral, "police", "portal")
    assert violations == []
