"""The statistics take a fixed number of queries, however many records there are."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from nas.common import testing
from nas.common.dates import Period
from nas.reporting.keys import statistics_json

YEAR = Period.year(2025)


def add_clients(count: int, offset: int) -> None:
    """Admit COUNT victims in 2025, each with a form of exploitation in Finland and a right."""
    for number in range(offset, offset + count):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=number % 300)
        client = testing.make_client(received=day, decided=day + dt.timedelta(days=3))
        testing.add_exploitation(client, place="finland")
        testing.add_residence(client, "residence_permit", permit="work")


def queries_for_the_statistics() -> int:
    with CaptureQueriesContext(connection) as context:
        statistics_json(YEAR, internal=False)
        statistics_json(YEAR, internal=True)
    return len(context.captured_queries)


def test_the_statistics_take_as_many_queries_for_100_clients_as_for_10(db):
    add_clients(10, 0)
    with_10 = queries_for_the_statistics()
    add_clients(90, 10)
    with_100 = queries_for_the_statistics()

    assert with_10 == with_100
    # 38 queries for all the figures of a period (the pending referrals in four parts, twice)
    assert with_100 <= 2 * 38
