"""Browser tests: Playwright driving Debian's Chromium against a live test server.

The browser is /usr/bin/chromium (`apt install chromium`; `.ci/run` installs it), never a
downloaded one; NAS_CHROMIUM names another binary. Without it these tests are skipped with
the reason, except under CI=true, where a missing browser fails the run.

The live server runs in a thread of this process, so the tests use a transactional database;
`serialized_rollback` restores the reference lists that the data migrations loaded, which the
flush after each test would otherwise remove for the tests that follow.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.common.models import Office

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there (creating users and records) are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("NAS_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "test-password-1234"  # nas.common.testing.make_user's password
LANGUAGES = ("fi", "sv", "en")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    here = os.path.dirname(__file__)
    browser_items = [item for item in items if str(item.fspath).startswith(here)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
    if browser_items and not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            raise pytest.UsageError(f"{CHROMIUM} is missing: CI must install chromium")
        reason = f"no Chromium at {CHROMIUM} (apt install chromium, or set NAS_CHROMIUM)"
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def _serialized_database(django_db_setup: None) -> str:
    """The test database's contents after migrate, as pytest-django serialized them."""
    from django.db import connections

    return str(getattr(connections["default"], "_test_serialized_contents", ""))


@pytest.fixture(autouse=True)
def _live_database(live_server: Any, _serialized_database: str) -> None:
    """Every browser test starts with the database as migrate left it (reference lists).

    Playwright's sync API runs the test in a greenlet of its own, where Django's `connections`
    (context-local) is a new object without the serialized contents: the restore that
    serialized_rollback does before each test, and the flush after it that keeps the
    post_migrate rows out, would silently not happen. So the contents are handed to that
    connection here, and restored when a flush emptied the tables.
    """
    from django.db import connections

    connection: Any = connections["default"]
    connection._test_serialized_contents = _serialized_database
    if not Office.objects.exists():
        connection.creation.deserialize_db_from_string(_serialized_database)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


def totp_code(user: Any) -> str:
    """Return the code USER's authenticator app would show now."""
    device = TOTPDevice.objects.get(user=user, name="browser")
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_page(page: Any, base_url: str, user: Any) -> Any:
    """Sign USER in on PAGE with password and two-factor code; return PAGE where they land."""
    TOTPDevice.objects.get_or_create(user=user, name="browser", defaults={"confirmed": True})
    page.goto(f"{base_url}/accounts/sign-in/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", totp_code(user))
    page.locator("main form button[type=submit]").click()
    # Casework staff land on the dashboard, referrers in their organisation's portal.
    page.wait_for_url(lambda url: "/accounts/sign-in/" not in url)
    return page


@pytest.fixture
def sign_in(live_server: Any, page: Any) -> Callable[[Any], Any]:
    """Return sign_in(user): sign USER in, in the test's PAGE (English)."""
    return lambda user: sign_in_page(page, live_server.url, user)


@pytest.fixture
def new_signed_in_page(
    live_server: Any, browser: Any, browser_context_args: dict[str, Any]
) -> Iterator[Callable[[Any, str], Any]]:
    """Return open(user, language): a page of a new browser context in LANGUAGE (the
    language cookie set as the switcher sets it), signed in as USER unless USER is None."""
    contexts = []

    def open_page(user: Any, language: str) -> Any:
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        return sign_in_page(page, live_server.url, user) if user is not None else page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def axe() -> Iterator[Callable[[Any], list[str]]]:
    """Return check(page) -> the WCAG 2.1 A/AA violations axe-core finds on PAGE, as text."""
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()

    def check(page: Any) -> list[str]:
        results = runner.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        return [
            f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} "
            f"at {[node['target'] for node in violation['nodes']][:5]}"
            for violation in results.response["violations"]
        ]

    yield check
