"""How a period is named in a publication: a year, a half-year or a date range."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from django.utils import formats
from django.utils.translation import gettext as _

from nas.common.dates import Period


class Kind(Enum):
    YEAR = "year"
    FIRST_HALF = "first_half"
    SECOND_HALF = "second_half"
    RANGE = "range"


def kind(period: Period) -> Kind:
    """Return whether PERIOD is a calendar year, a half of one, or another date range."""
    start, end = period.start, period.end
    if start.year == end.year and (start.month, start.day) == (1, 1):
        if (end.month, end.day) == (12, 31):
            return Kind.YEAR
        if (end.month, end.day) == (6, 30):
            return Kind.FIRST_HALF
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (7, 1, 12, 31):
        return Kind.SECOND_HALF
    return Kind.RANGE


def _day(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def label(period: Period) -> str:
    """Return the short name of PERIOD: "2025", "1–6/2025", "1.3.2025–31.3.2025"."""
    which = kind(period)
    year = period.start.year
    if which is Kind.YEAR:
        return str(year)
    if which is Kind.FIRST_HALF:
        return _("1–6/%(year)s") % {"year": year}
    if which is Kind.SECOND_HALF:
        return _("7–12/%(year)s") % {"year": year}
    return f"{_day(period.start)}–{_day(period.end)}"


def title(period: Period) -> str:
    """Return the title of the publication of PERIOD."""
    which = kind(period)
    if which is Kind.YEAR:
        return _("The NAS Annual Statistics %(period)s") % {"period": label(period)}
    if which in (Kind.FIRST_HALF, Kind.SECOND_HALF):
        return _("The NAS Half-year Statistics %(period)s") % {"period": label(period)}
    return _("The NAS Statistics %(period)s") % {"period": label(period)}


def last_day(period: Period) -> str:
    """Return PERIOD's last day as written in running text ("31 December 2025")."""
    return formats.date_format(period.end, "DATE_FORMAT")
