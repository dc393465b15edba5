"""The client search: filters, need-to-know, the audit without search terms, htmx, queries."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from nas.audit.models import AuditEvent
from nas.casework.models import ClientPeriod
from nas.casework.services import assistance_end
from nas.common import testing
from nas.common.testing import sign_in_verified

pytestmark = pytest.mark.django_db

URL = reverse("client_search")


def client_of(*, office: str = "helsinki", caseworker=None, **person_fields) -> ClientPeriod:
    person = testing.make_person(**person_fields) if person_fields else None
    return testing.make_client(person, office_code=office, caseworker=caseworker)


def search(http, **params) -> str:
    response = http.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def link(client: ClientPeriod) -> str:
    return f'href="{reverse("client_detail", args=[client.pk])}"'


def found(page: str, *clients: ClientPeriod) -> bool:
    return all(link(client) in page for client in clients)


def missing(page: str, *clients: ClientPeriod) -> bool:
    return not any(link(client) in page for client in clients)


@pytest.fixture
def signed_in(client, caseworker_helsinki):
    sign_in_verified(client, caseworker_helsinki)
    return client


def test_an_empty_search_shows_my_active_clients(signed_in, caseworker_helsinki):
    mine = client_of(caseworker=caseworker_helsinki)
    ended = client_of(caseworker=caseworker_helsinki)
    assistance_end(
        acting_user=testing.make_decision_maker(),
        client=ended,
        date=ended.admitted,
        reason=testing.end_reason(),
    )
    office_client = client_of()

    page = search(signed_in)

    assert "My active clients" in page
    assert found(page, mine) and missing(page, ended, office_client)


def test_another_offices_clients_never_appear(signed_in):
    ours = client_of(
        given_names="Anna", family_name="Virtanen", nationalities=["FI"], primary_nationality="FI"
    )
    theirs = client_of(
        office="tampere",
        given_names="Anna",
        family_name="Virtanen",
        nationalities=["FI"],
        primary_nationality="FI",
    )
    other = testing.make_caseworker("helsinki", username="colleague")
    restricted = client_of(caseworker=other, given_names="Anna", family_name="Virtanen")
    ClientPeriod.objects.filter(pk=restricted.pk).update(restricted=True)

    for params in (
        {"name": "anna virtanen"},
        {"status": "active"},
        {"nationality": "FI"},
        {"reference": theirs.person.ref},
        {"office": "tampere"},
    ):
        page = search(signed_in, **params)
        assert missing(page, theirs, restricted), params
    assert found(search(signed_in, name="Anna"), ours)


def test_names_are_found_by_whole_words_ignoring_case_and_accents(signed_in):
    anna = client_of(given_names="Anna-Maria", family_name="Järvinen")
    other = client_of(given_names="Olga", family_name="Smirnova")

    assert found(search(signed_in, name="anna jarvinen"), anna)
    assert missing(search(signed_in, name="anna jarvinen"), other)
    assert missing(search(signed_in, name="ann"), anna)


def test_a_reference_number_finds_the_person_or_the_referral(signed_in):
    wanted, other = client_of(), client_of()
    assert wanted.referral is not None

    by_person = search(signed_in, reference=wanted.person.ref.lower())
    by_referral = search(signed_in, reference=f" {wanted.referral.ref} ")

    assert found(by_person, wanted) and missing(by_person, other)
    assert found(by_referral, wanted) and missing(by_referral, other)


def test_the_date_of_birth_finds_exact_dates_and_persons_known_by_year(signed_in):
    exact = client_of(date_of_birth=dt.date(1990, 5, 17))
    year_only = client_of(birth_year=1990)
    other = client_of(date_of_birth=dt.date(1990, 5, 18))

    page = search(signed_in, date_of_birth="1990-05-17")

    assert found(page, exact, year_only) and missing(page, other)


def test_a_nationality_finds_every_person_holding_it(signed_in):
    dual = client_of(nationalities=["SE", "FI"], primary_nationality="SE")
    finnish = client_of(nationalities=["FI"], primary_nationality="FI")
    other = client_of(nationalities=["EE"], primary_nationality="EE")

    page = search(signed_in, nationality="FI")

    assert found(page, dual, finnish) and missing(page, other)
    assert "Sweden, Finland" in page


def test_office_status_form_of_exploitation_and_caseworker_filters(signed_in, caseworker_helsinki):
    labour = client_of(caseworker=caseworker_helsinki)
    testing.add_exploitation(labour, form="forced_labour")
    sexual = client_of()
    testing.add_exploitation(sexual, form="sexual_exploitation")
    ended = client_of()
    assistance_end(
        acting_user=testing.make_decision_maker(),
        client=ended,
        date=ended.admitted,
        reason=testing.end_reason(),
    )

    page = search(signed_in, exploitation="forced_labour")
    assert found(page, labour) and missing(page, sexual, ended)
    page = search(signed_in, status="ended")
    assert found(page, ended) and missing(page, labour, sexual)
    page = search(signed_in, caseworker="me")
    assert found(page, labour) and missing(page, sexual, ended)
    page = search(signed_in, office="helsinki", status="active")
    assert found(page, labour, sexual) and missing(page, ended)
    assert missing(search(signed_in, office="lappeenranta"), labour, sexual, ended)


def test_one_read_is_audited_with_the_persons_shown_but_not_the_search_terms(
    signed_in, caseworker_helsinki
):
    anna = client_of(given_names="Anna", family_name="Virtanen", date_of_birth=dt.date(1985, 2, 3))

    search(signed_in, name="Virtanen", date_of_birth="1985-02-03", status="active")

    event = AuditEvent.objects.get(action="client.search")
    assert (event.kind, event.actor) == ("read", caseworker_helsinki)
    assert event.changes == {
        "person_ids": [anna.person_id],
        "filters": ["date_of_birth", "name", "status"],
        "page": 1,
    }
    recorded = json.dumps(event.changes) + event.reason
    assert "Virtanen" not in recorded and "1985" not in recorded


def test_a_search_finding_nobody_reads_nothing_and_says_so(signed_in):
    page = search(signed_in, name="Nobody")

    assert "No client you may see matches" in page
    assert not AuditEvent.objects.filter(action="client.search").exists()


def test_an_invalid_date_is_shown_as_an_error(signed_in):
    page = search(signed_in, date_of_birth="31.2.1990")

    assert "<title>Error:" in page
    assert 'href="#id_date_of_birth"' in page


def test_results_are_paginated_50_per_page(signed_in, caseworker_helsinki):
    for _ in range(55):
        client_of(caseworker=caseworker_helsinki)

    first = search(signed_in, status="active")
    second = search(signed_in, status="active", page=2)

    assert "55 clients" in first and "Page 1 of 2" in first
    assert len(re.findall(r'href="/clients/\d+/"', first)) == 50
    assert len(re.findall(r'href="/clients/\d+/"', second)) == 5
    assert 'href="?status=active&amp;page=2"' in first


def test_htmx_gets_only_the_results_and_a_history_restore_the_whole_page(signed_in):
    client_of(given_names="Anna")

    fragment = signed_in.get(URL, {"name": "anna"}, headers={"HX-Request": "true"})
    restore = signed_in.get(
        URL,
        {"name": "anna"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" not in fragment.content.decode()
    assert "1 client" in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]
    assert "<html" in restore.content.decode()


def test_the_page_works_without_javascript(signed_in):
    page = search(signed_in)

    assert f'<form method="get" action="{URL}"' in page
    assert f'hx-get="{URL}" hx-target="#client-results" hx-push-url="true"' in page


@pytest.mark.parametrize(
    "persona", ["statistician", "auditor", "referrer", "outsider"], indirect=True
)
def test_roles_without_casework_get_403(client, persona):
    sign_in_verified(client, persona)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("params", ["", "?name=test"])
def test_the_search_issues_the_same_number_of_queries_for_10_and_200_clients(
    signed_in, caseworker_helsinki, params
):
    def add_rows(count: int) -> None:
        for _ in range(count):
            testing.make_client(office_code="helsinki", caseworker=caseworker_helsinki)

    testing.assert_constant_queries(signed_in, URL + params, add_rows)
