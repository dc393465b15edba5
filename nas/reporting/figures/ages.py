"""Ages computed in SQL, exactly as INTERCHANGE.md "Ages" counts them, on both databases.

The age on a date is the difference of the years, less one when the date falls before the
birthday in its year. The birthday is the date of birth, or 1 July when only the year of
birth is known. Someone born on 29 February has their birthday on 28 February in other years
(as `nas.common.dates.add_years` counts it), so they are 18 on 28 February of a common year.
Only year, month and day are extracted: no date arithmetic, which differs between databases.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Mod
from django.db.models.lookups import Exact, LessThan

from nas.common.dates import add_years, is_minor_on

if TYPE_CHECKING:
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

UNDER_18 = "under_18"
ADULT_UNKNOWN_AGE = "adult_unknown_age"
UNKNOWN = "unknown"
# (band, upper age limit exclusive); the last band is open.
AGE_BANDS: tuple[tuple[str, int | None], ...] = (
    (UNDER_18, 18),
    ("18_29", 30),
    ("30_39", 40),
    ("40_49", 50),
    ("50_59", 60),
    ("60_plus", None),
)
BANDS: tuple[str, ...] = (*(band for band, _ in AGE_BANDS), ADULT_UNKNOWN_AGE, UNKNOWN)

ADULT_AGE = 18
_MIDSUMMER = 701  # 1 July as month * 100 + day: the birthday when only the year is known


class _SQLiteDatePart:
    """On SQLite, a part of a date read from its ISO text ("YYYY-MM-DD") by substr().

    Django extracts date parts on SQLite through a Python function called per row
    (django_date_extract); in the stock of clients on the last day, over every active
    period, that was 0.8 s of the 1.5 s annual statistics at 100,000 referrals
    (docs/benchmarks.md). Other databases keep Django's EXTRACT.
    """

    lhs: Any
    start: int
    length: int

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> _AsSqlType:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, {self.start}, {self.length}) AS INTEGER)", params


class Year(_SQLiteDatePart, ExtractYear):
    start, length = 1, 4


class Month(_SQLiteDatePart, ExtractMonth):
    start, length = 6, 2


class Day(_SQLiteDatePart, ExtractDay):
    start, length = 9, 2


# For PERSON below: a client period's own copies of its person's fields (nas/casework/copies.py).
COPIES = "copies"


def _field(person: str, name: str) -> str:
    """Return the path of the person's field NAME.

    PERSON is "" on a person, a relation path ("person") to read across a join, or COPIES
    to read a client period's copies (`person_<name>`), which need no join.
    """
    if person == COPIES:
        return f"person_{name}"
    return f"{person}__{name}" if person else name


def _month_day(field: str) -> Combinable:
    return Month(field) * 100 + Day(field)


def _on_md(on: str | dt.date) -> Combinable:
    if isinstance(on, dt.date):
        return Value(on.month * 100 + on.day)
    return _month_day(on)


def _is_leap(year: Combinable) -> Q:
    return Q(Exact(Mod(year, 4), 0)) & (~Q(Exact(Mod(year, 100), 0)) | Q(Exact(Mod(year, 400), 0)))


def age_expression(person: str, on: str | dt.date) -> Case:
    """Return the age in completed years of PERSON (a relation path) on ON, NULL if unknown.

    ON is a date field path (e.g. "admitted") or a fixed date.
    """
    birth = _field(person, "date_of_birth")
    birth_year = Coalesce(Year(birth), F(_field(person, "birth_year")))
    birth_md = Coalesce(_month_day(birth), Value(_MIDSUMMER))
    before_birthday = Q(LessThan(_on_md(on), birth_md))
    # The 29 February birthday falls on 28 February in a common year.
    if isinstance(on, dt.date):
        if not _leap(on.year) and (on.month, on.day) == (2, 28):
            before_birthday &= ~Q(Exact(birth_md, 229))
    else:
        common_year = ~_is_leap(Year(on))
        before_birthday &= ~(Q(Exact(birth_md, 229), Exact(_on_md(on), 228)) & common_year)
    on_year: Combinable = Value(on.year) if isinstance(on, dt.date) else Year(on)
    return Case(
        When(before_birthday, then=on_year - birth_year - 1),
        default=on_year - birth_year,
        output_field=IntegerField(),
    )


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _assessed(person: str) -> dict[str, Q]:
    """Conditions on the age assessment, for a person with neither date nor year of birth."""
    no_birth = Q(**{_field(person, "date_of_birth__isnull"): True}) & Q(
        **{_field(person, "birth_year__isnull"): True}
    )
    minor = no_birth & Q(**{_field(person, "age_assessment"): "minor"})
    adult = no_birth & Q(**{_field(person, "age_assessment"): "adult"})
    return {"no_birth": no_birth, "minor": minor, "adult": adult}


def age_band_expression(person: str, on: str | dt.date) -> Case:
    """Return the age band (a code of BANDS) of PERSON on ON."""
    age = age_expression(person, on)
    assessed = _assessed(person)
    whens = [
        When(assessed["minor"], then=Value(UNDER_18)),
        When(assessed["adult"], then=Value(ADULT_UNKNOWN_AGE)),
        When(assessed["no_birth"], then=Value(UNKNOWN)),
    ]
    whens += [When(Q(LessThan(age, limit)), then=Value(band)) for band, limit in AGE_BANDS if limit]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def _last_adult_birth(on: dt.date) -> dt.date:
    """Return the latest date of birth of someone 18 or over on ON (`is_minor_on` is false)."""
    birth = add_years(on, -ADULT_AGE)
    while not is_minor_on(birth + dt.timedelta(days=1), on):
        birth += dt.timedelta(days=1)  # 28 February's day also has those born on the 29th
    return birth


def minor_condition(person: str, on: str | dt.date) -> Q:
    """Return the condition that PERSON is under 18 on ON (assessed minors included).

    On a fixed day the condition compares the date or year of birth with the latest of an
    adult, so the database compares stored values instead of computing every row's age (in
    the stock on the last day at 1,000,000 referrals on SQLite the ages cost more than the
    rest of the query). On a date field the age is computed, but only for the rows whose years
    could make them minors (at most 18 between the birth and ON's years): the rest of the
    condition, the most costly part, is then not evaluated for the others.
    """
    assessed = _assessed(person)
    if isinstance(on, dt.date):
        last_adult_year = on.year - ADULT_AGE - (1 if (on.month, on.day) < (7, 1) else 0)
        known = Q(**{_field(person, "date_of_birth__gt"): _last_adult_birth(on)}) | Q(
            **{
                _field(person, "date_of_birth__isnull"): True,
                _field(person, "birth_year__gt"): last_adult_year,
            }
        )
        return assessed["minor"] | known
    birth_year = Coalesce(
        Year(_field(person, "date_of_birth")),
        F(_field(person, "birth_year")),
        output_field=IntegerField(),
    )
    may_be_minor = Q(LessThan(Year(on) - birth_year, ADULT_AGE + 1))
    known = ~assessed["no_birth"] & may_be_minor & Q(LessThan(age_expression(person, on), 18))
    return assessed["minor"] | known
