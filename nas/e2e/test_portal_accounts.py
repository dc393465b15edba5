"""The portal's accounts and the self-referral form's limit, in Finnish, Swedish and English.

An organisation's administrator invites a colleague, who accepts the invitation by e-mail
(name, username, password, then the authenticator app), and later deactivates that account;
a person whose connection has sent the self-referral form too often gets the page that asks
them to call instead. In each language: axe-core finds no WCAG 2.1 A/AA violation on these
pages, in their error state too, and a form with errors keeps what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.accounts.models import User
from nas.accounts.roles import Role
from nas.common import testing
from nas.e2e.conftest import LANGUAGES
from nas.portal.views_public import ATTEMPT_RATE
from nas.referrals.models import Organisation, Referral

SUBMIT = "main form[method=post] button.button"
NEW_PASSWORD = "a-long-new-password-9381"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """The rate limits count in the live server's cache: no test leaves any used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation_admin(db: Any) -> User:
    organisation = Organisation.objects.create(
        name="Victim Support Test", referrer_type=testing.referrer_type("ngo")
    )
    return testing.make_user(
        "org-admin", role=Role.REFERRER, organisation=organisation, organisation_admin=True
    )


def submit(page: Any) -> None:
    page.locator(SUBMIT).last.click()
    page.wait_for_load_state()


def checked(page: Any, label: str, axe: Any) -> list[str]:
    """Return axe-core's violations on PAGE, each marked with LABEL."""
    return [f"[{label}] {violation}" for violation in axe(page)]


def invitation_path(email: str) -> str:
    """The path of the link in the last invitation e-mailed to EMAIL."""
    (message,) = [message for message in mail.outbox if message.to == [email]]
    found = re.search(r"/portal/invitations/[^/\s]+/", str(message.body))
    assert found is not None, message.body
    return found.group(0)


def app_code(user: User) -> str:
    """The code the authenticator app being set up shows now."""
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_administrator_invites_a_colleague_who_joins_and_is_later_deactivated(
    live_server: Any, new_signed_in_page: Any, axe: Any, organisation_admin: User, language: str
) -> None:
    base = live_server.url
    email = f"colleague-{language}@example.org"
    admin = new_signed_in_page(organisation_admin, language)
    admin.goto(base + reverse("portal:members"))
    assert admin.locator("html").get_attribute("lang") == language
    found = checked(admin, "members", axe)

    # Inviting: a wrong address is explained and kept, then the invitation is sent.
    admin.locator(f"main a[href='{reverse('portal:invite')}']").click()
    admin.wait_for_url(f"**{reverse('portal:invite')}")
    found += checked(admin, "invite", axe)
    admin.fill("#id_email", "colleague-at-example.org")
    submit(admin)
    assert admin.locator(".error-summary").is_visible()
    assert admin.input_value("#id_email") == "colleague-at-example.org"
    found += checked(admin, "invite, with errors", axe)
    admin.fill("#id_email", email)
    submit(admin)
    admin.wait_for_url(f"**{reverse('portal:members')}")
    assert email in admin.locator("main").inner_text()  # among the invitations not accepted
    found += checked(admin, "members, invitation sent", axe)

    # Accepting: the link from the e-mail, a password typed twice differently, then right.
    newcomer = new_signed_in_page(None, language)
    link = base + invitation_path(email)
    newcomer.goto(link)
    assert "Victim Support Test" in newcomer.locator("main").inner_text()
    found += checked(newcomer, "accept", axe)
    newcomer.fill("#id_first_name", "Aino")
    newcomer.fill("#id_last_name", "Virtanen")
    newcomer.fill("#id_username", f"aino-{language}")
    newcomer.fill("#id_password", NEW_PASSWORD)
    newcomer.fill("#id_password_again", NEW_PASSWORD + "x")
    submit(newcomer)
    assert newcomer.locator(".error-summary").is_visible()
    assert newcomer.input_value("#id_username") == f"aino-{language}"
    assert not User.objects.filter(email=email).exists()
    found += checked(newcomer, "accept, with errors", axe)
    newcomer.fill("#id_password", NEW_PASSWORD)
    newcomer.fill("#id_password_again", NEW_PASSWORD)
    submit(newcomer)
    newcomer.wait_for_url(f"**{reverse('accounts:sign_in')}")
    assert newcomer.locator(".messages").is_visible()
    found += checked(newcomer, "sign-in after accepting", axe)
    colleague = User.objects.get(email=email)
    assert (colleague.organisation_id, colleague.is_active) == (
        organisation_admin.organisation_id,
        True,
    )

    # The link worked once.
    used = new_signed_in_page(None, language)
    response = used.goto(link)
    assert response is not None and response.status == 404
    found += checked(used, "invitation used", axe)

    # Two factors: the password alone leads to setting up the app; its code signs in.
    newcomer.fill("#id_username", f"aino-{language}")
    newcomer.fill("#id_password", NEW_PASSWORD)
    submit(newcomer)
    newcomer.wait_for_url(f"**{reverse('accounts:two_factor_setup')}")
    found += checked(newcomer, "two-factor setup of the newcomer", axe)
    newcomer.fill("#id_otp_token", app_code(colleague))
    submit(newcomer)
    newcomer.wait_for_url(f"**{reverse('accounts:recovery_codes')}")
    assert TOTPDevice.objects.filter(user=colleague, confirmed=True).exists()
    newcomer.goto(base + reverse("portal:home"))
    assert newcomer.locator("html").get_attribute("lang") == language
    found += checked(newcomer, "portal of the newcomer", axe)

    # Deactivating the colleague: the confirmation, then the members without them.
    deactivate = reverse("portal:deactivate", args=[colleague.pk])
    admin.goto(base + reverse("portal:members"))
    admin.locator(f"main a[href='{deactivate}']").click()
    admin.wait_for_url(f"**{deactivate}")
    assert f"aino-{language}" in admin.locator("main").inner_text()
    found += checked(admin, "deactivate", axe)
    submit(admin)
    admin.wait_for_url(f"**{reverse('portal:members')}")
    assert admin.locator(".messages").is_visible()
    assert admin.locator(f"main a[href='{deactivate}']").count() == 0
    found += checked(admin, "members, colleague deactivated", axe)
    colleague.refresh_from_db()
    assert colleague.is_active is False
    testing.assert_audited("portal.member_deactivate", organisation_admin, colleague)

    assert found == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_connection_that_sent_the_form_too_often_is_asked_to_call_instead(
    live_server: Any, new_signed_in_page: Any, axe: Any, language: str
) -> None:
    page = new_signed_in_page(None, language)
    page.goto(live_server.url + reverse("self_referral:form"))
    token = page.input_value("input[name=csrfmiddlewaretoken]")
    # A flood of posts from this connection, as many as the limit allows (none is stored).
    allowed = int(ATTEMPT_RATE.split("/")[0])
    for _post in range(allowed):
        page.request.post(
            page.url, form={"csrfmiddlewaretoken": token}, headers={"Referer": page.url}
        )

    page.fill("#id_name", "Lena")
    page.fill("#id_account", "My employer keeps my passport.")
    with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
        submit(page)

    assert posted.value.status == 429
    assert page.locator("html").get_attribute("lang") == language
    main = page.locator("main").inner_text()
    assert "295 463 177" in main and page.locator("main a[href^='tel:']").count() >= 1
    assert not Referral.objects.exists()
    assert checked(page, "rate limited", axe) == []
