"""Date helpers: month arithmetic, ages and statistical periods."""

from __future__ import annotations

import datetime as dt

import pytest

from nas.common.dates import Period, add_months, add_years, age_on, is_minor_on, today

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 4, 1), 6, D(2024, 10, 1)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # clamped to the month's last day, leap year
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 3, 31), 1, D(2024, 4, 30)),
        (D(2024, 11, 15), 3, D(2025, 2, 15)),  # across the year
        (D(2024, 3, 31), -1, D(2024, 2, 29)),  # backwards
        (D(2024, 1, 15), -13, D(2022, 12, 15)),
        (D(2024, 5, 5), 0, D(2024, 5, 5)),
    ],
)
def test_add_months_moves_by_calendar_months_clamping_to_the_last_day(day, months, expected):
    assert add_months(day, months) == expected


def test_add_years_turns_29_february_into_28_february():
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_years(D(2025, 6, 1), -18) == D(2007, 6, 1)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (D(2006, 3, 15), D(2024, 3, 14), 17),
        (D(2006, 3, 15), D(2024, 3, 15), 18),
        (D(1990, 12, 31), D(2024, 1, 1), 33),
        (D(2024, 1, 1), D(2024, 1, 1), 0),
    ],
)
def test_age_on_counts_completed_years(birth, on, age):
    assert age_on(birth, on) == age


def test_a_person_is_a_minor_until_the_day_before_their_18th_birthday():
    birth = D(2006, 3, 15)

    assert is_minor_on(birth, D(2024, 3, 14)) is True
    assert is_minor_on(birth, D(2024, 3, 15)) is False


def test_a_person_born_on_29_february_comes_of_age_on_28_february():
    birth = D(2008, 2, 29)

    assert is_minor_on(birth, D(2026, 2, 27)) is True
    assert is_minor_on(birth, D(2026, 2, 28)) is False


def test_today_is_a_date():
    assert isinstance(today(), dt.date)
    assert not isinstance(today(), dt.datetime)


def test_the_half_years_split_the_year_at_the_end_of_june():
    assert Period.half_year(2025, 1) == Period(D(2025, 1, 1), D(2025, 6, 30))
    assert Period.half_year(2025, 2) == Period(D(2025, 7, 1), D(2025, 12, 31))
    assert Period.year(2025) == Period(D(2025, 1, 1), D(2025, 12, 31))


def test_the_previous_year_of_a_period_is_the_same_period_a_year_earlier():
    assert Period.half_year(2025, 1).previous_year() == Period.half_year(2024, 1)
    assert Period.year(2025).previous_year() == Period.year(2024)
    leap = Period(D(2024, 1, 1), D(2024, 2, 29))
    assert leap.previous_year() == Period(D(2023, 1, 1), D(2023, 2, 28))
