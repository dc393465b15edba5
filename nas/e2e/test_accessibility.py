"""axe-core on every main page, in Finnish, Swedish and English: no WCAG 2.1 A/AA violation.

Each role signs in once per language (a TOTP code is accepted once) and visits its pages;
forms are also checked in their error state (submitted empty), since the error summary and
the messages next to fields are part of what must be accessible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from nas.common import testing
from nas.e2e.conftest import LANGUAGES

Page = tuple[str, Callable[[Any], str]]


def url(name: str, *args: Callable[[Any], Any]) -> Callable[[Any], str]:
    return lambda o: reverse(name, args=[arg(o) for arg in args])


CASEWORK_PAGES: list[Page] = [
    ("dashboard", url("home")),
    ("referral inbox", url("referrals:inbox")),
    ("referral intake", url("referrals:new")),
    ("referral", url("referrals:detail", lambda o: o.referral.pk)),
    ("admission decision", url("referrals:decide", lambda o: o.referral.pk)),
    ("decision letter", url("referrals:letter", lambda o: o.decided_referral.pk)),
    ("client search", url("client_search")),
    ("client file", url("client_detail", lambda o: o.victim.pk)),
    ("exploitation form", url("client_exploitation_add", lambda o: o.victim.pk)),
    ("right of residence form", url("client_residence_add", lambda o: o.victim.pk)),
    ("service form", url("client_service_add", lambda o: o.victim.pk)),
    ("reflection period form", url("client_reflection_add", lambda o: o.victim.pk)),
    ("identification form", url("client_identify", lambda o: o.victim.pk)),
    ("case note form", url("client_note_add", lambda o: o.victim.pk)),
    ("task form", url("client_task_add", lambda o: o.victim.pk)),
    ("child form", url("client_child_add", lambda o: o.victim.pk)),
    ("ending assistance form", url("client_end", lambda o: o.victim.pk)),
    ("document upload", url("documents:add", lambda o: o.victim.pk)),
    ("helpline contacts", url("contacts:helpline")),
    ("helpline contact form", url("contacts:helpline_add")),
    ("consultations", url("contacts:consultations")),
    ("consultation form", url("contacts:consultation_add")),
    ("training events", url("contacts:training")),
    ("training event form", url("contacts:training_add")),
]
# Forms checked once more after an empty submission, with their errors shown.
FORMS_WITH_ERRORS = {
    "referral intake",
    "admission decision",
    "exploitation form",
    "reflection period form",
    "helpline contact form",
}
STATISTICIAN_PAGES: list[Page] = [("statistics", url("reporting:statistics"))]
AUDITOR_PAGES: list[Page] = [("audit log", url("audit:index"))]


@pytest.fixture
def records(db: Any) -> Any:
    """A referral under assessment, a decided one and a client with some history."""
    from types import SimpleNamespace

    decision_maker = testing.make_decision_maker("helsinki")
    victim = testing.make_client(caseworker=decision_maker, decision_maker=decision_maker)
    testing.add_exploitation(victim)
    testing.add_residence(victim)
    testing.add_service(victim)
    return SimpleNamespace(
        decision_maker=decision_maker,
        statistician=testing.make_statistician(),
        auditor=testing.make_auditor(),
        victim=victim,
        decided_referral=victim.referral,
        referral=testing.make_referral(assess=True, assigned_to=decision_maker),
    )


def _check(page: Any, base: str, pages: list[Page], records: Any, axe: Any) -> list[str]:
    found = []
    for label, make_url in pages:
        response = page.goto(base + make_url(records))
        assert response is not None and response.status == 200, f"{label}: {response}"
        found += [f"[{label}] {violation}" for violation in axe(page)]
        if label in FORMS_WITH_ERRORS:
            page.locator("main form[method=post] button.button").last.click()
            page.wait_for_load_state()
            assert page.locator(".error-summary").is_visible(), f"{label}: no error summary"
            found += [f"[{label}, with errors] {violation}" for violation in axe(page)]
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_have_no_wcag_violations(
    live_server: Any, new_signed_in_page: Any, axe: Any, records: Any, language: str
) -> None:
    base = live_server.url
    anonymous = new_signed_in_page(None, language)
    anonymous.goto(base + reverse("accounts:sign_in"))
    violations = [f"[sign in] {violation}" for violation in axe(anonymous)]
    for user, pages in [
        (records.decision_maker, CASEWORK_PAGES),
        (records.statistician, STATISTICIAN_PAGES),
        (records.auditor, AUDITOR_PAGES),
    ]:
        page = new_signed_in_page(user, language)
        assert page.locator("html").get_attribute("lang") == language
        violations += _check(page, base, pages, records, axe)
    assert violations == []
