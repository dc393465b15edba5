"""Date helpers: today in the configured zone, month arithmetic, ages and periods."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


def today() -> dt.date:
    """Return today's date in the configured time zone."""
    return timezone.localdate()


def add_months(day: dt.date, months: int) -> dt.date:
    """Return DAY moved by MONTHS calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """Return DAY moved by YEARS, 29 February becoming 28 February when needed."""
    return add_months(day, 12 * years)


def age_on(birth: dt.date, on: dt.date) -> int:
    """Return the age in completed years on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def is_minor_on(birth: dt.date, on: dt.date) -> bool:
    """A person is under 18 on a date when their 18th birthday is after it."""
    return add_years(birth, 18) > on


@dataclass(frozen=True)
class Period:
    """A closed date range [start, end], e.g. a year or a half-year of statistics."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        if half == 1:
            return cls(dt.date(year, 1, 1), dt.date(year, 6, 30))
        return cls(dt.date(year, 7, 1), dt.date(year, 12, 31))

    def previous_year(self) -> Period:
        """Return the same period a year earlier."""
        return Period(add_years(self.start, -1), add_years(self.end, -1))
