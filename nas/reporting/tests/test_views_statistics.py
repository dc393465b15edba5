"""The statistics page: who sees what, the period picker, files, internal figures, publishing."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook  # type: ignore[import-untyped]

from nas.audit.models import AuditEvent
from nas.common import testing
from nas.common.dates import today
from nas.common.testing import sign_in_verified
from nas.people.models import Person
from nas.referrals.models import Referral
from nas.reporting.models import PublishedStatistics

URL = reverse("reporting:statistics")
DOWNLOAD = reverse("reporting:download")
YEAR_2025 = "?kind=year&year=2025"


@pytest.fixture
def statistician(client, db):
    user = testing.make_statistician()
    sign_in_verified(client, user)
    return user


def as_persona(client, name):
    user = testing.make_persona(name)
    sign_in_verified(client, user)
    return user


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("statistician", 200),
        ("decision_maker", 200),
        ("caseworker_helsinki", 403),
        ("auditor", 403),
        ("administrator", 403),
        ("referrer", 403),
        ("outsider", 403),
    ],
)
def test_who_may_see_the_statistics(client, db, persona, expected):
    as_persona(client, persona)

    assert client.get(URL + YEAR_2025).status_code == expected
    assert client.get(DOWNLOAD + YEAR_2025 + "&format=json").status_code == expected


def test_the_page_shows_the_published_figures_of_the_period(client, statistician, year_2025):
    response = client.get(URL + YEAR_2025)

    page = response.content.decode()
    assert response.status_code == 200
    assert "The NAS Annual Statistics 2025" in page
    assert "In 2025, 6 referrals were entered" in page
    # One referral from the police ("<5") and five from the persons themselves, withheld
    # because the total would give the one away (".."), so there is nothing to chart; the
    # trend is charted. The rows are in the order of their labels.
    table = response.context["sections"][0]["items"][1]["table"]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["<5", ".."],
        ["..", ".."],
        ["6", "100%"],
    ]
    charts = response.context["publication"].charts
    assert "referrers" not in charts and "trend" in charts
    assert f'src="{charts["trend"].data_uri()}" alt="Bar chart: Referrals 2020–2025.' in page
    assert not AuditEvent.objects.filter(action__startswith="statistics.").exists()


def test_the_first_view_is_the_last_full_year(client, statistician):
    response = client.get(URL)

    assert response.status_code == 200
    period = response.context["publication"].figures.period
    assert period.start == dt.date(today().year - 1, 1, 1)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?kind=half&year=2025", "half", "Choose the half-year."),
        ("?kind=year&year=", "year", "Enter the year."),
        ("?kind=range&start=2025-03-01&end=2025-02-01", "end", "The last day cannot be"),
        ("?kind=range&start=2025-03-01", "end", "Enter the last day."),
    ],
)
def test_a_period_that_makes_no_sense_is_explained_on_the_form(
    client, statistician, query, field, message
):
    response = client.get(URL + query)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    page = response.content.decode()
    assert "<title>Error:" in page and "There is a problem" in page
    assert "publication" not in response.context


def test_a_half_year_and_a_date_range(client, statistician, year_2025):
    half = client.get(URL + "?kind=half&year=2025&half=1")
    assert "The NAS Half-year Statistics 1–6/2025" in half.content.decode()
    trend = half.context["publication"].tables["trend"]
    assert trend.title == "Referrals in the same period of the years 2020–2025"
    assert [row.label for row in trend.rows][-2:] == ["1–6/2024", "1–6/2025"]
    ranged = client.get(URL + "?kind=range&start=2025-03-02&end=2025-03-31")
    assert "The NAS Statistics 2.3.2025–31.3.2025" in ranged.content.decode()
    assert ranged.context["publication"].figures.get("referrals.total") == 5


@pytest.mark.parametrize(
    ("output_format", "content_type", "start"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("csv", "text/csv; charset=utf-8", b"key,value"),
        ("json", "application/json", b"{"),
        ("html", "text/html; charset=utf-8", b"<!doctype html>"),
    ],
)
def test_every_file_of_the_period_downloads_and_is_audited(
    client, statistician, year_2025, output_format, content_type, start
):
    response = client.get(f"{DOWNLOAD}{YEAR_2025}&format={output_format}&lang=fi")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(start)
    name = "nas-statistics-2025" + ("-fi" if output_format in ("pdf", "html", "xlsx") else "")
    assert response["Content-Disposition"] == f'attachment; filename="{name}.{output_format}"'
    event = testing.assert_audited("statistics.publish", statistician)
    assert event.kind == AuditEvent.Kind.EXPORT
    assert event.changes["format"] == output_format and event.changes["internal"] is False


def test_the_downloads_are_linked_from_the_page(client, statistician, year_2025):
    links = dict(client.get(URL + YEAR_2025).context["downloads"])

    assert set(links) == {"PDF", "XLSX", "CSV", "JSON", "HTML"}
    workbook = load_workbook(io.BytesIO(client.get(links["XLSX"]).content))
    assert workbook["Referrers"]["B2"].value == "<5"  # withheld: text
    assert workbook["Referrers"]["B3"].value == ".."
    assert workbook["Referrers"]["B4"].value == 6  # the total: a number
    data = json.loads(client.get(links["JSON"]).content)
    assert data["referrals.by_referrer_type.police"] is None


def test_internal_figures_need_a_purpose_and_are_audited(client, statistician, year_2025):
    refused = client.get(URL + YEAR_2025 + "&figures=internal")
    assert "Enter the purpose" in refused.context["form"].errors["purpose"][0]
    assert not AuditEvent.objects.filter(action="statistics.view_internal").exists()

    response = client.get(URL + YEAR_2025 + "&figures=internal&purpose=Quality+check")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Internal – not for publication" in page
    assert response.context["publication"].figures.get("referrals.by_referrer_type.police") == 1
    event = testing.assert_audited("statistics.view_internal", statistician)
    assert (event.kind, event.reason) == (AuditEvent.Kind.READ, "Quality check")
    links = dict(response.context["downloads"])
    data = json.loads(client.get(links["JSON"]).content)
    assert data["internal"] is True and data["referrals.by_referrer_type.police"] == 1
    event = testing.assert_audited("statistics.export_internal", statistician)
    assert event.reason == "Quality check"


def test_a_decision_maker_gets_only_the_published_figures(client, db, year_2025):
    as_persona(client, "decision_maker")

    response = client.get(URL + YEAR_2025 + "&figures=internal&purpose=Curious")

    assert "figures" not in response.context["form"].fields
    assert response.context["publication"].internal is False
    download = client.get(DOWNLOAD + YEAR_2025 + "&format=json&figures=internal&purpose=x")
    assert json.loads(download.content)["referrals.by_referrer_type.police"] is None
    assert not AuditEvent.objects.filter(action__contains="internal").exists()
    assert not response.context["may_publish"]


def test_the_statistician_publishes_and_freezes_a_period(client, statistician, year_2024):
    page = client.get(URL + "?kind=year&year=2024")
    assert page.context["may_publish"]
    assert "Publish and freeze these figures" in page.content.decode()

    response = client.post(reverse("reporting:publish"), {"kind": "year", "year": "2024"})

    assert response.status_code == 302
    assert response["Location"] == URL + "?kind=year&year=2024"
    frozen = PublishedStatistics.objects.get()
    assert frozen.figures["new_clients.victims"] == 6
    assert frozen.figures["new_clients.by_gender.female"] == 6
    assert frozen.published_by == statistician
    testing.assert_audited("statistics.freeze", statistician, frozen)
    after = client.get(response["Location"])
    assert "are published and frozen" in after.content.decode()
    assert not after.context["may_publish"]

    again = client.post(reverse("reporting:publish"), {"kind": "year", "year": "2024"})
    assert again.status_code == 200
    assert "were already published on" in again.context["form"].non_field_errors()[0]
    assert PublishedStatistics.objects.count() == 1


def test_others_may_not_publish(client, db):
    as_persona(client, "decision_maker")

    response = client.post(reverse("reporting:publish"), {"kind": "year", "year": "2025"})

    assert response.status_code == 403
    assert not PublishedStatistics.objects.exists()


def test_the_navigation_links_to_the_statistics(client, statistician):
    page = client.get(URL).content.decode()

    assert f'href="{URL}" aria-current="page">Statistics</a>' in page


def _add_referrals(count):
    """Add COUNT referrals of 2025 (rows only: the page counts, it does not list them)."""
    start = Person.objects.count()
    persons = Person.objects.bulk_create(
        Person(ref=f"BULK-{start + i}", gender="female") for i in range(count)
    )
    Referral.objects.bulk_create(
        Referral(
            ref=f"BULK-R{start + i}",
            person=person,
            received=dt.date(2025, 5, 1 + i % 28),
            channel="email",
            referrer_type_id="police",
            office_id="helsinki",
            consent="given",
            status="received",
        )
        for i, person in enumerate(persons)
    )


def test_the_page_takes_as_many_queries_with_200_referrals_as_with_10(client, statistician):
    testing.assert_constant_queries(client, URL + YEAR_2025, _add_referrals)
