"""axe-core on the pages test_accessibility.py does not visit, in Finnish, Swedish and English.

The less frequent action pages of the client file and the referral (re-admission, assignment,
restriction, emergency access, withdrawal, linking a consultation), the auditor's screens with
results, the account pages (recovery codes, setting up the authenticator app), and the lists
of helpline contacts, consultations and training events with rows in them: no WCAG 2.1 A/AA
violation. Forms are also checked in their error state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from nas.accounts.two_factor import two_factor_enrolment_open
from nas.casework.services import assistance_end, client_set_restricted, task_create
from nas.common import testing
from nas.e2e.conftest import LANGUAGES
from nas.referrals.services import (
    anonymous_consultation_record,
    helpline_contact_record,
    training_event_record,
)

DAY = dt.date(2024, 4, 2)
SUBMIT = "main form[method=post] button.button"
# (label, address, and for a form: what empties it before it is submitted, or None)
Page = tuple[str, Callable[[Any], str], Callable[[Any], None] | None]


def as_shown(page: Any) -> None:
    """Submit the form as it opened (its required fields are empty)."""


def without_date(page: Any) -> None:
    page.fill("#id_date", "")


def url(name: str, *args: Callable[[Any], Any], query: str = "") -> Callable[[Any], str]:
    return lambda o: reverse(name, args=[arg(o) for arg in args]) + query


CASEWORK_PAGES: list[Page] = [
    ("re-admission form", url("client_readmit", lambda o: o.former.pk), as_shown),
    ("assign form", url("client_assign", lambda o: o.victim.pk), None),
    ("restrict form", url("client_restrict", lambda o: o.victim.pk), None),
    ("break-glass form", url("client_break_glass", lambda o: o.hidden.pk), as_shown),
    ("referral withdraw form", url("referrals:withdraw", lambda o: o.referral.pk), without_date),
    (
        "consultation link form",
        url("contacts:consultation_link", lambda o: o.consultation.pk),
        as_shown,
    ),
    ("helpline contacts with rows", url("contacts:helpline"), None),
    ("consultations with rows", url("contacts:consultations"), None),
    ("training events with rows", url("contacts:training"), None),
    ("recovery codes", url("accounts:recovery_codes"), None),
]
AUDITOR_PAGES: list[Page] = [
    (
        "person access with results",
        url("audit:person_access", query="?person={ref}"),
        None,
    ),
    ("user access with results", url("audit:user_activity", query="?username={username}"), None),
    ("subject-access request", url("audit:subject_access"), as_shown),
]


@pytest.fixture
def records(db: Any) -> Any:
    decision_maker = testing.make_decision_maker("helsinki")
    victim = testing.make_client(caseworker=decision_maker, decision_maker=decision_maker)
    testing.add_exploitation(victim, acting_user=decision_maker)
    testing.add_service(victim, acting_user=decision_maker)
    task_create(acting_user=decision_maker, client=victim, title="Call", due=DAY)
    former = testing.make_client(caseworker=decision_maker, decision_maker=decision_maker)
    assistance_end(
        acting_user=decision_maker,
        client=former,
        date=DAY,
        reason=testing.end_reason(),
    )
    keeper = testing.make_caseworker("helsinki", username="keeper")
    hidden = testing.make_client(caseworker=keeper)
    client_set_restricted(acting_user=keeper, client=hidden, restricted=True)
    referral = testing.make_referral(assess=True, assigned_to=decision_maker)
    office = testing.office("helsinki")
    consultation = None
    for n in range(3):
        helpline_contact_record(
            acting_user=decision_maker,
            date=DAY,
            caller_type=testing.referrer_type("self"),
            language="en",
            topic=f"Wages not paid ({n})",
            outcome="referral_made" if n == 0 else "advice",
            referral=referral if n == 0 else None,
        )
        consultation = anonymous_consultation_record(
            acting_user=decision_maker,
            date=DAY,
            office=office,
            contact_type=testing.referrer_type("ngo"),
            channel="phone",
            topic=f"A worker whose passport the employer keeps ({n})",
        )
        training_event_record(
            acting_user=decision_maker,
            date=DAY,
            title=f"Recognising labour exploitation ({n})",
            audience="authorities",
            participants=20 + n,
            office=office,
        )
    return SimpleNamespace(
        decision_maker=decision_maker,
        auditor=testing.make_auditor(),
        administrator=testing.make_administrator(),
        victim=victim,
        former=former,
        hidden=hidden,
        referral=referral,
        consultation=consultation,
    )


def _visit(
    page: Any, address: str, label: str, empty: Callable[[Any], None] | None, axe: Any
) -> list[str]:
    """Check the page at ADDRESS; for a form, once more after EMPTY and submitting it."""
    response = page.goto(address)
    assert response is not None and response.status == 200, f"{label}: {response}"
    found = [f"[{label}] {violation}" for violation in axe(page)]
    if empty is not None:
        empty(page)
        page.locator(SUBMIT).last.click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").is_visible(), f"{label}: no error summary"
        found += [f"[{label}, with errors] {violation}" for violation in axe(page)]
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_other_pages_have_no_wcag_violations(
    live_server: Any, new_signed_in_page: Any, axe: Any, records: Any, language: str
) -> None:
    base = live_server.url
    found: list[str] = []

    page = new_signed_in_page(records.decision_maker, language)
    for label, address, empty in CASEWORK_PAGES:
        found += _visit(page, base + address(records), label, empty, axe)
    # The lists did show their rows.
    page.goto(base + reverse("contacts:training"))
    assert page.get_by_text("Recognising labour exploitation (2)").is_visible()
    # The recovery codes, once made, are shown on the page: that state too.
    page.goto(base + reverse("accounts:recovery_codes"))
    page.locator(SUBMIT).last.click()
    page.wait_for_load_state()
    assert page.locator("main code, main li").count() >= 5, "no recovery codes shown"
    found += [f"[new recovery codes] {violation}" for violation in axe(page)]

    auditor = new_signed_in_page(records.auditor, language)
    values = {
        "ref": records.victim.person.ref,
        "username": records.decision_maker.get_username(),
    }
    for label, address, empty in AUDITOR_PAGES:
        found += _visit(auditor, base + address(records).format(**values), label, empty, axe)
        if "results" in label:
            assert auditor.locator("main table tbody tr").count() > 0, f"{label}: no rows"

    # A newcomer setting up the authenticator app after the password check.
    newcomer = testing.make_user(f"newcomer-{language}", role="caseworker", office="helsinki")
    two_factor_enrolment_open(acting_user=records.administrator, user=newcomer)
    setup = new_signed_in_page(None, language)
    setup.goto(base + reverse("accounts:sign_in"))
    setup.fill("#id_username", newcomer.get_username())
    setup.fill("#id_password", "test-password-1234")
    setup.locator("main form button[type=submit]").click()
    setup.wait_for_url(lambda address: "/two-factor/set-up/" in address)
    found += [f"[two-factor setup] {violation}" for violation in axe(setup)]
    setup.fill("#id_otp_token", "000000")
    setup.locator(SUBMIT).last.click()
    setup.wait_for_load_state()
    assert setup.locator(".error-summary").is_visible(), "two-factor setup: no error summary"
    found += [f"[two-factor setup, with errors] {violation}" for violation in axe(setup)]

    assert found == []
