"""Days from receipt to decision: counted in SQL on both databases, percentiles as defined."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from nas.common import testing
from nas.common.dates import Period
from nas.reporting.figures import timeliness
from nas.reporting.figures.referrals import percentile

D = dt.date


def test_the_percentile_is_the_value_at_the_ceiling_of_the_position() -> None:
    # The values 5, 10, 10, 10, 20, 30, 30, 35, 61 as counts.
    counts = {5: 1, 10: 3, 20: 1, 30: 2, 35: 1, 61: 1}
    assert percentile(counts, Fraction(1, 2)) == 20  # position ceil(4.5) = 5
    assert percentile(counts, Fraction(9, 10)) == 61  # position ceil(8.1) = 9
    assert percentile(counts, Fraction(1, 9)) == 5  # position 1
    assert percentile({7: 4}, Fraction(1, 2)) == 7
    assert percentile({}, Fraction(1, 2)) is None


@pytest.mark.django_db
def test_days_are_counted_across_a_leap_day_and_a_year_end() -> None:
    # Over 29 February 2024 (31 days), over a year end (10 days), the same day (0 days).
    testing.make_client(received=D(2024, 2, 10), decided=D(2024, 3, 12))
    testing.make_client(received=D(2023, 12, 27), decided=D(2024, 1, 6))
    testing.make_client(received=D(2024, 5, 2), decided=D(2024, 5, 2))
    testing.make_client(received=D(2023, 1, 2), decided=D(2023, 2, 2))  # another year

    result = timeliness(Period.year(2024))

    assert result.decisions == 3
    assert result.median_days == 10
    assert result.p90_days == 31
