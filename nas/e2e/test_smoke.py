"""The browser harness itself: sign in with two factors and land on the dashboard."""

from __future__ import annotations

from nas.common import testing


def test_a_caseworker_signs_in_with_password_and_code(sign_in, axe):
    user = testing.make_caseworker("helsinki")
    page = sign_in(user)
    assert page.locator("h1").first.is_visible()
    assert page.locator("nav.site-nav").is_visible()
    assert axe(page) == []
