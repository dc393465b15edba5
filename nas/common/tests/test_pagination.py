"""Pages read as keys first: the same rows, in the same order, with their joins, as Django's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nas.common import testing
from nas.common.pagination import KeysFirstPaginator, counted_first_rows, rows_by_keys
from nas.referrals.models import Referral


@pytest.fixture
def referrals(db) -> None:
    # Several on the same day, so that the order's second key decides.
    for number in range(7):
        testing.make_referral(received=dt.date(2025, 3, 1 + number // 3))


def ordered():
    return Referral.objects.select_related("person", "office").order_by("-received", "id")


def test_the_rows_are_those_of_the_queryset_in_its_order(referrals) -> None:
    expected = list(ordered())
    assert rows_by_keys(ordered(), 0, 3) == expected[0:3]
    assert rows_by_keys(ordered(), 3, 7) == expected[3:7]
    assert rows_by_keys(ordered(), 7, 10) == []
    assert rows_by_keys(ordered().filter(received=dt.date(2025, 3, 3)), 0, 5) == [
        row for row in expected if row.received == dt.date(2025, 3, 3)
    ]


def test_every_page_is_that_of_django_s_paginator_and_the_joins_are_read(referrals) -> None:
    ours = KeysFirstPaginator(ordered(), 3, orphans=1)
    theirs = Paginator(ordered(), 3, orphans=1)
    assert ours.num_pages == theirs.num_pages == 2
    for number in ours.page_range:
        page = ours.page(number)
        assert list(page.object_list) == list(theirs.page(number).object_list)
        with CaptureQueriesContext(connection) as context:
            [(row.person.ref, row.office.code) for row in page.object_list]
        assert context.captured_queries == []  # the joined rows came with the page
    assert len(ours.page(2).object_list) == 4  # the orphan joined the last page


def test_the_first_rows_come_with_the_number_of_all_rows_in_two_queries(referrals) -> None:
    expected = list(ordered())
    with CaptureQueriesContext(connection) as context:
        count, rows = counted_first_rows(ordered(), 3)
        [(row.person.ref, row.office.code) for row in rows]
    assert (count, rows) == (7, expected[:3])
    assert len(context.captured_queries) == 2  # the keys with the count, then their rows

    on_the_3rd = ordered().filter(received=dt.date(2025, 3, 3))
    assert counted_first_rows(on_the_3rd, 3) == (1, [r for r in expected if r.received.day == 3])
    assert counted_first_rows(ordered(), 20) == (7, expected)
    with CaptureQueriesContext(connection) as context:
        assert counted_first_rows(ordered().filter(received__year=2024), 3) == (0, [])
    assert len(context.captured_queries) == 1


def test_the_page_s_rows_are_read_by_their_keys_alone(referrals) -> None:
    on_the_1st = ordered().filter(received=dt.date(2025, 3, 1), office__active=True)
    with CaptureQueriesContext(connection) as context:
        rows = rows_by_keys(on_the_1st, 0, 2)
    assert rows == [r for r in ordered() if r.received.day == 1][:2]
    keys_query, rows_query = (q["sql"] for q in context.captured_queries)
    assert "received" in keys_query.split("WHERE")[1]
    where = rows_query.split("WHERE")[1]
    assert "received" not in where and "active" not in where and "ORDER BY" not in where
