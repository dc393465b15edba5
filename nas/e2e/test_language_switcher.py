"""The language switcher in the page header: a caseworker changes the language of the page
they are on, to Finnish, then Swedish, then English; the page comes back in that language at
the same address, and the next page they open keeps the choice."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from nas.common import testing

# What the inbox and the client search are called, and what the header's label says.
WORDS = {
    "fi": {"inbox": "Ohjaukset", "clients": "Asiakkaat", "label": "Kieli"},
    "sv": {"inbox": "Hänvisningar", "clients": "Klienter", "label": "Språk"},
    "en": {"inbox": "Referrals", "clients": "Clients", "label": "Language"},
}


def switch_to(page: Any, language: str) -> None:
    """Choose LANGUAGE in the header's switcher and press its button."""
    switcher = page.locator("form.language-switcher")
    switcher.locator("select").select_option(language)
    with page.expect_navigation():
        switcher.locator("button[type=submit]").click()


def assert_in(page: Any, language: str, heading: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main h1").first.inner_text() == WORDS[language][heading]
    assert page.locator("form.language-switcher label").inner_text() == WORDS[language]["label"]
    chosen = page.locator("form.language-switcher select").input_value()
    assert chosen == language, f"the switcher shows {chosen}, not {language}"


def test_the_switcher_changes_the_language_of_the_page_and_keeps_it(
    live_server: Any, new_signed_in_page: Any
) -> None:
    caseworker = testing.make_caseworker("helsinki")
    testing.make_referral(assigned_to=caseworker)
    # The browser asks for English (en-GB) and the language cookie says English.
    page = new_signed_in_page(caseworker, "en")
    inbox = live_server.url + reverse("referrals:inbox") + "?status=received"
    page.goto(inbox)
    assert_in(page, "en", "inbox")

    for language in ("fi", "sv", "en"):
        switch_to(page, language)
        # Back on the page they were on, filter included, now in LANGUAGE.
        assert page.url == inbox
        assert_in(page, language, "inbox")
        # The next page, opened from the navigation, keeps the choice.
        page.locator("nav").get_by_role("link", name=WORDS[language]["clients"], exact=True).click()
        page.wait_for_load_state()
        assert page.url == live_server.url + reverse("client_search")
        assert_in(page, language, "clients")
        page.goto(inbox)
        assert_in(page, language, "inbox")
