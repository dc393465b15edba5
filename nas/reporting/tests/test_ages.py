"""Ages in SQL agree with the rule of INTERCHANGE.md "Ages" (nas.common.dates) on every date."""

from __future__ import annotations

import datetime as dt

import pytest

from nas.common import testing
from nas.common.dates import add_years, is_minor_on
from nas.people.models import Person
from nas.reporting.figures.ages import age_band_expression, age_expression, minor_condition

BIRTHS = [
    dt.date(2004, 2, 29),  # leap day: 18 on 28 February 2022, a common year
    dt.date(2008, 2, 29),  # 18 on 28 February 2026
    dt.date(1984, 2, 29),  # 40 on 29 February 2024, a leap year
    dt.date(1996, 2, 29),  # 30 on 28 February 2026
    dt.date(2007, 2, 28),
    dt.date(2007, 3, 1),
    dt.date(2007, 12, 31),
    dt.date(2008, 1, 1),
    dt.date(1995, 3, 15),
    dt.date(1965, 7, 1),
    dt.date(1960, 1, 1),
    dt.date(1900, 2, 28),
]
DAYS = [
    dt.date(2022, 2, 27),
    dt.date(2022, 2, 28),
    dt.date(2022, 3, 1),
    dt.date(2024, 2, 28),
    dt.date(2024, 2, 29),
    dt.date(2024, 3, 1),
    dt.date(2025, 3, 14),
    dt.date(2025, 3, 15),
    dt.date(2025, 6, 30),
    dt.date(2025, 7, 1),
    dt.date(2025, 12, 31),
    dt.date(2026, 1, 1),
    dt.date(2026, 2, 27),
    dt.date(2026, 2, 28),
]


def reference_age(birth: dt.date, on: dt.date) -> int:
    """The age as the rule counts it: the number of birthdays (add_years) on or before ON."""
    age = on.year - birth.year - 2
    while add_years(birth, age + 1) <= on:
        age += 1
    return age


def reference_band(age: int) -> str:
    for band, limit in (("under_18", 18), ("18_29", 30), ("30_39", 40), ("40_49", 50)):
        if age < limit:
            return band
    return "50_59" if age < 60 else "60_plus"


@pytest.fixture
def persons(db):
    born = [testing.make_person(date_of_birth=birth) for birth in BIRTHS]
    year_only = [testing.make_person(birth_year=year) for year in (2007, 1965)]
    assessed = [
        testing.make_person(age_assessment=code) for code in ("minor", "adult", "unknown", "")
    ]
    return born, year_only, assessed


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_ages_bands_and_minority_in_sql_follow_the_rule(persons, day):
    rows = Person.objects.annotate(
        age=age_expression("", day), band=age_band_expression("", day)
    ).values_list("pk", "date_of_birth", "birth_year", "age_assessment", "age", "band")
    minors = set(Person.objects.filter(minor_condition("", day)).values_list("pk", flat=True))

    for pk, birth, year, assessment, age, band in rows:
        if birth is None and year is not None:
            birth = dt.date(year, 7, 1)
        if birth is not None:
            expected = reference_age(birth, day)
            assert int(age) == expected, (birth, day)
            assert band == reference_band(expected), (birth, day)
            assert (pk in minors) is is_minor_on(birth, day), (birth, day)
        else:
            expected_band = {"minor": "under_18", "adult": "adult_unknown_age"}.get(
                assessment, "unknown"
            )
            assert band == expected_band
            assert (pk in minors) is (assessment == "minor")


@pytest.mark.parametrize(
    ("birth", "admitted", "band"),
    [
        (dt.date(2004, 2, 29), dt.date(2022, 2, 27), "under_18"),
        (dt.date(2004, 2, 29), dt.date(2022, 2, 28), "18_29"),  # a common year
        (dt.date(1984, 2, 29), dt.date(2024, 2, 28), "30_39"),  # a leap year
        (dt.date(1984, 2, 29), dt.date(2024, 2, 29), "40_49"),
        (dt.date(1996, 2, 29), dt.date(2026, 2, 27), "18_29"),
        (dt.date(1996, 2, 29), dt.date(2026, 2, 28), "30_39"),
        (dt.date(1995, 3, 15), dt.date(2025, 3, 14), "18_29"),
        (dt.date(1995, 3, 15), dt.date(2025, 3, 15), "30_39"),
    ],
    ids=str,
)
def test_the_age_band_at_admission_is_computed_per_row(db, birth, admitted, band):
    person = testing.make_person(date_of_birth=birth)
    client = testing.make_client(person, received=admitted, decided=admitted)

    row = (
        type(client)
        .objects.filter(pk=client.pk)
        .annotate(band=age_band_expression("person", "admitted"))
        .filter(minor_condition("person", "admitted"))
        .values_list("band", flat=True)
    )

    assert list(row) == ([band] if band == "under_18" else [])
    assert (
        type(client).objects.annotate(band=age_band_expression("person", "admitted")).get().band
        == band
    )
