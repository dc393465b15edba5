"""Reference lists (public) and published statistics (with a token, suppressed, ended periods)."""

from __future__ import annotations

import pytest

from nas.api.tests.conftest import Api
from nas.common import testing
from nas.common.dates import Period, today
from nas.reporting.keys import statistics_json
from nas.reporting.services import statistics_freeze

pytestmark = pytest.mark.django_db


def _items(name: str, **headers: str) -> dict[str, dict]:
    response = Api().get(f"/api/v1/reference/{name}/", **headers)
    assert response.status_code == 200
    assert response.json()["list"] == name
    return {item["code"]: item for item in response.json()["items"]}


def test_reference_lists_are_public_with_labels_in_three_languages():
    offices = _items("offices")
    assert offices["helsinki"] == {
        "code": "helsinki",
        "labels": {"en": "Helsinki", "fi": "Helsinki", "sv": "Helsingfors"},
        "active": True,
    }
    assert offices["oulu"]["active"] is False  # an office of older records only
    nationalities = _items("nationalities")
    assert nationalities["FI"]["labels"] == {"en": "Finland", "fi": "Suomi", "sv": "Finland"}
    assert {"stateless", "unknown"} <= set(nationalities)
    assert set(_items("channels")) >= {"api", "portal", "web_form"}
    assert set(_items("genders")) == {"female", "male", "other", "unknown"}
    assert _items("referrer_types")["police"]["labels"]["en"]
    for name in ("urgency", "consent", "age_assessments", "referral_statuses"):
        assert all(set(item["labels"]) == {"en", "fi", "sv"} for item in _items(name).values())


def test_a_token_is_not_needed_for_reference_lists_and_a_bad_one_does_not_matter():
    assert _items("genders", Authorization="Bearer garbage")


def test_an_unknown_reference_list_is_a_json_404():
    response = Api().get("/api/v1/reference/passwords/", **{"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.json()["message"].startswith("No such reference list. The lists are: ")


def test_the_statistics_are_the_published_figures_never_the_internal_ones(api):
    for _ in range(3):
        testing.make_client(received=testing.RECEIVED, decided=testing.DECIDED)

    response = api.get("/api/v1/statistics/2024/")

    assert response.status_code == 200
    body = response.json()
    assert body == statistics_json(Period.year(2024), internal=False)
    assert "internal" not in body
    # Three referrals are fewer than the disclosure threshold: withheld, not shown.
    assert body["referrals.total"] is None
    assert "referrals.total" in body["suppressed"]
    assert statistics_json(Period.year(2024), internal=True)["referrals.total"] == 3


def test_a_published_period_answers_its_frozen_figures_and_the_corrections_since(api):
    for _ in range(6):
        testing.make_client(received=testing.RECEIVED, decided=testing.DECIDED)
    frozen = statistics_freeze(actor=testing.make_statistician(), period=Period.year(2024))
    testing.make_client(received=testing.RECEIVED, decided=testing.DECIDED)  # a late entry

    body = api.get("/api/v1/statistics/2024/").json()

    assert body["referrals.total"] == frozen.figures["referrals.total"] == 6
    assert body["published_at"] == frozen.published_at.isoformat()
    assert {"key": "referrals.total", "published": 6, "now": 7} in body["corrections"]
    assert statistics_json(Period.year(2024), internal=True)["referrals.total"] == 7


def test_the_statistics_of_a_half_year(api):
    body = api.get("/api/v1/statistics/2024/h2/").json()
    assert (body["period_start"], body["period_end"]) == ("2024-07-01", "2024-12-31")


@pytest.mark.parametrize("url", ["{this}/", "{this}/h2/", "2005/", "0000/h1/", "9999/"])
def test_only_periods_that_are_over_and_after_the_system_started_have_statistics(api, url):
    url = "/api/v1/statistics/" + url.format(this=today().year)
    response = api.get(url)
    assert response.status_code == 404, url
    assert set(response.json()) == {"message"}


@pytest.mark.parametrize("accept", ["", "text/html", "application/xml;q=1"])
def test_an_accept_header_the_api_cannot_satisfy_still_gets_json(accept):
    response = Api().get("/api/v1/reference/genders/", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json(), list | dict)
