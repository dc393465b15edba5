"""The whole assistance process in the browser, as caseworkers do it.

A caseworker takes a referral by phone and starts the assessment; a decision-maker decides it
(after being refused a negative decision without a reason, with what was typed kept); the
caseworker records exploitation, a right of residence and a service; the decision-maker is
refused a reflection period of seven months (typed dates kept), grants one of three months,
sees everything on the client's timeline, by its words, and ends the assistance; then the
decision-maker switches to Finnish and reads the same timeline in Finnish.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from nas.casework.models import ClientPeriod
from nas.common import testing
from nas.common.dates import add_months, today
from nas.referrals.models import Referral


def iso(day: dt.date) -> str:
    return day.isoformat()


def submit(page: Any) -> None:
    """Press the form's primary button and wait for the answer."""
    page.locator("main form[method=post] button.button").last.click()
    page.wait_for_load_state()


def short(day: dt.date) -> str:
    """DAY as the timeline writes it, in English (as written in Finland) and in Finnish."""
    return f"{day.day}.{day.month}.{day.year}"


def timeline_entries(page: Any) -> list[str]:
    """The entries of the client file's timeline: "date kind text", spaces normalised."""
    items = page.locator("#timeline li.timeline__item").all_inner_texts()
    return [" ".join(item.split()) for item in items]


def assert_on_timeline(page: Any, expected: list[str]) -> None:
    entries = timeline_entries(page)
    missing = [entry for entry in expected if entry not in entries]
    assert not missing, f"missing from the timeline: {missing}\nit shows: {entries}"


def errors(page: Any) -> str:
    summary = page.locator(".error-summary")
    assert summary.is_visible(), "expected the error summary"
    return str(summary.inner_text())


def test_a_referral_is_taken_decided_served_and_ended(live_server: Any, new_signed_in_page: Any):
    base = live_server.url
    caseworker = testing.make_caseworker("helsinki")
    decision_maker = testing.make_decision_maker("helsinki")
    day = today()

    # --- the caseworker takes a referral by phone -------------------------------------------
    page = new_signed_in_page(caseworker, "en")
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.goto(f"{base}/referrals/new/")
    page.fill("#id_given_names", "Mira")
    page.fill("#id_family_name", "Journey")
    page.fill("#id_birth_year", "1996")
    page.check("#id_gender input[value=female]")
    page.select_option("#id_primary_nationality", "NP")
    page.fill("#id_received", iso(day))
    page.check("#id_channel input[value=phone]")
    page.select_option("#id_referrer_type", "police")
    page.select_option("#id_office", "helsinki")
    page.fill("#id_account", "Worked on a farm for months without pay; passport taken.")
    page.check("#id_consent input[value=given]")
    submit(page)
    referral = Referral.objects.get(person__name_hash__isnull=False, channel="phone")
    assert referral.ref in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == "under_assessment"

    # --- the decision-maker decides: first without the reason a negative decision needs --
    boss = new_signed_in_page(decision_maker, "en")
    boss.goto(f"{base}/referrals/{referral.pk}/decision/")
    boss.check("#id_outcome input[value=negative]")
    boss.fill("#id_reason_text", "Typed before the reason was chosen.")
    submit(boss)
    assert "reason" in errors(boss).lower()
    assert boss.locator("#id_outcome input[value=negative]").is_checked()
    assert boss.input_value("#id_reason_text") == "Typed before the reason was chosen."
    referral.refresh_from_db()
    assert referral.status == "under_assessment"

    boss.check("#id_outcome input[value=positive]")
    boss.check("#id_consent_given input[value=yes]")
    boss.check("#id_trafficking_definition_met input[value=yes]")
    boss.check("#id_need_for_help input[value=yes]")
    submit(boss)
    client = ClientPeriod.objects.get(referral=referral)
    boss.get_by_role("link", name="Open the client file").first.click()
    boss.wait_for_url(f"{base}/clients/{client.pk}/")

    # --- the caseworker records exploitation, right of residence and a service ------------
    page.goto(f"{base}/clients/{client.pk}/")
    page.get_by_role("link", name="Record a form of exploitation").click()
    page.select_option("#id_form", "forced_labour")
    page.check("#id_is_primary")
    page.check("#id_place input[value=finland]")
    page.select_option("#id_sector", "agriculture")
    submit(page)
    page.get_by_role("link", name="Record a right of residence").click()
    page.fill("#id_valid_from", iso(day))
    page.select_option("#id_category", "no_right_of_residence")
    submit(page)
    page.get_by_role("link", name="Start a service").click()
    page.select_option("#id_service_type", "safe_housing")
    page.select_option("#id_provider", "nas")
    page.fill("#id_start", iso(day))
    submit(page)
    assert page.url == f"{base}/clients/{client.pk}/"

    # --- the decision-maker: a reflection period of seven months is refused -------------
    boss.goto(f"{base}/clients/{client.pk}/")
    boss.get_by_role("link", name="Grant a reflection period").click()
    too_long = add_months(day, 7)
    boss.fill("#id_start", iso(day))
    boss.fill("#id_end", iso(too_long))
    submit(boss)
    assert re.search(r"month", errors(boss))
    assert boss.input_value("#id_start") == iso(day)
    assert boss.input_value("#id_end") == iso(too_long)
    assert not client.reflection_periods.exists()

    boss.fill("#id_end", iso(add_months(day, 3)))
    submit(boss)
    assert client.reflection_periods.count() == 1

    # --- everything is on the timeline, in its own words ---------------------------------
    boss.goto(f"{base}/clients/{client.pk}/")
    d, d3 = short(day), short(add_months(day, 3))
    name = decision_maker.get_full_name() or decision_maker.get_username()
    assert_on_timeline(
        boss,
        [
            f"{d} Referral Referral {referral.ref} received",
            f"{d} Admission decision Positive decision ({name})",
            f"{d} Admission Admitted as: Victim",
            f"{d} Exploitation Recorded: Forced labour (primary)",
            f"{d} Right of residence No legal right of residence",
            f"{d} Service Started: Safe housing (Assistance system)",
            f"{d} Reflection period Granted by Assistance system: {d} – {d3}",
        ],
    )
    assert not any("End of assistance" in entry for entry in timeline_entries(boss))

    # --- and the assistance ends ---------------------------------------------------------
    boss.get_by_role("link", name="End assistance").click()
    boss.select_option("#id_reason", "no_need")
    submit(boss)
    client.refresh_from_db()
    assert client.status == "ended"
    assert boss.url == f"{base}/clients/{client.pk}/"
    assert_on_timeline(
        boss,
        [
            f"{d} End of assistance Assistance ended: No longer in need of assistance",
            f"{d} Service Ended: Safe housing",
        ],
    )

    # --- the same timeline in Finnish, through the language switcher ---------------------
    switcher = boss.locator("form.language-switcher")
    switcher.locator("select").select_option("fi")
    with boss.expect_navigation():
        switcher.locator("button[type=submit]").click()
    assert boss.locator("html").get_attribute("lang") == "fi"
    assert boss.locator("#timeline-title").inner_text() == "Aikajana"
    assert_on_timeline(
        boss,
        [
            f"{d} Ohjaus Ohjaus {referral.ref} vastaanotettu",
            f"{d} Asiakkuuspäätös Päätös: Myönteinen ({name})",
            f"{d} Asiakkaaksi ottaminen Otettu asiakkaaksi: Uhri",
            f"{d} Hyväksikäyttö Kirjattu: Pakkotyö (ensisijainen)",
            f"{d} Oleskeluoikeus Ei laillista oleskeluoikeutta",
            f"{d} Palvelu Alkanut: Turvallinen majoitus (Auttamisjärjestelmä)",
            f"{d} Palvelu Päättynyt: Turvallinen majoitus",
            f"{d} Harkinta-aika Myöntäjä: Auttamisjärjestelmä, {d} – {d3}",
            f"{d} Asiakkuuden päättyminen Asiakkuus päättynyt: Ei enää avun tarvetta",
        ],
    )
