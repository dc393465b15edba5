"""Referrals, admission decisions and timeliness (DOMAIN.md statistics items 1, 2 and 10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear

from nas.common.dates import Period
from nas.referrals.choices import Outcome, ReferralStatus
from nas.referrals.models import AdmissionDecision, Referral
from nas.reporting.figures.common import grouped_counts, nested_counts

OLDEST_PENDING = 5


@dataclass(frozen=True)
class Referrals:
    """Item 1: referrals received in the period, by referrer type, and a year earlier."""

    total: int
    by_referrer_type: dict[str, int]
    previous_period_total: int


@dataclass(frozen=True)
class Decisions:
    """Item 2: admission decisions dated in the period, and referrals pending at its end.

    `by_referrer_type` gives {referrer type: {"positive": n, "negative": n}} for the share
    admitted per referrer type.
    """

    positive: int
    negative: int
    negative_by_reason: dict[str, int]
    pending_at_end: int
    by_referrer_type: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Timeliness:
    """Item 10: days from receipt to decision, and how long the oldest pending have waited."""

    decisions: int
    median_days: int | None
    p90_days: int | None
    oldest_pending_days: list[int]


def _received_in(period: Period) -> Q:
    return Q(received__range=(period.start, period.end))


def referrals(period: Period) -> Referrals:
    """Return the referrals received in PERIOD (item 1)."""
    previous = period.previous_year()
    totals = Referral.objects.aggregate(
        total=Count("pk", filter=_received_in(period)),
        previous=Count("pk", filter=_received_in(previous)),
    )
    by_type = grouped_counts(Referral.objects.filter(_received_in(period)), "referrer_type_id")
    return Referrals(
        total=totals["total"],
        by_referrer_type=by_type,
        previous_period_total=totals["previous"],
    )


def referrals_by_year(first: int, last: int) -> dict[int, int]:
    """Return {year: referrals received} for the years FIRST to LAST (the multi-year trend)."""
    rows = (
        Referral.objects.filter(received__year__gte=first, received__year__lte=last)
        .annotate(year=ExtractYear("received"))
        .order_by()
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    counts = {int(year): n for year, n in rows}
    return {year: counts.get(year, 0) for year in range(first, last + 1)}


def _pending_on(day: dt.date) -> Q:
    """Received on or before DAY, and neither decided nor withdrawn by then.

    The definition (INTERCHANGE.md `decisions.pending_at_end`); the figures count it through
    `pending_parts`, which a test holds to it.
    """
    decided = AdmissionDecision.objects.filter(referral=OuterRef("pk"), date__lte=day)
    withdrawn = Q(withdrawn_on__isnull=False, withdrawn_on__lte=day)
    return Q(received__lte=day) & ~Q(Exists(decided)) & ~withdrawn


def pending_parts(day: dt.date) -> list[QuerySet[Referral]]:
    """Return the referrals pending on DAY (`_pending_on`) as disjoint parts, by status now.

    The definition read directly is a pass over every referral received by DAY with a probe
    of its decision: 0.83 s at 1,000,000 referrals on SQLite, twice in the statistics (the
    count and the oldest). The services decide or withdraw a referral only while it is open,
    on or after the day it was received, and its status says which happened (received or
    under assessment: neither yet; decided: it has its one decision; withdrawn: it has its
    date). So a referral pending on DAY is, by its status now, one still open, one withdrawn
    after DAY or one decided after DAY; each part is read through an index (status and
    received; the decision's date), 0.04-0.12 s each at that size.
    """
    received = Referral.objects.filter(received__lte=day)
    decided_later = AdmissionDecision.objects.filter(date__gt=day).values("referral_id")
    return [
        received.filter(status=ReferralStatus.RECEIVED),
        received.filter(status=ReferralStatus.UNDER_ASSESSMENT),
        received.filter(status=ReferralStatus.WITHDRAWN, withdrawn_on__gt=day),
        received.filter(pk__in=decided_later),
    ]


def pending_count(day: dt.date) -> int:
    """Return the number of referrals pending on DAY."""
    return sum(part.count() for part in pending_parts(day))


def oldest_pending(day: dt.date, count: int) -> list[dt.date]:
    """Return the dates received of the COUNT referrals pending longest on DAY, oldest first.

    The pending referrals are read whole (as many as were pending on DAY: about 12,500 at
    1,000,000 referrals) and the oldest taken here: asked for the first few in the order
    received, PostgreSQL walked the index of dates received over every referral received by
    DAY for them (0.93 s at that size, against 0.16 s to read them all).
    """
    dates: list[tuple[dt.date, int]] = []
    for part in pending_parts(day):
        dates += part.order_by().values_list("received", "pk")
    return [received for received, _pk in sorted(dates)[:count]]


def decisions(period: Period) -> Decisions:
    """Return the admission decisions dated in PERIOD and the referrals pending at its end."""
    dated = AdmissionDecision.objects.filter(date__range=(period.start, period.end))
    totals = dated.aggregate(
        positive=Count("pk", filter=Q(outcome=Outcome.POSITIVE)),
        negative=Count("pk", filter=Q(outcome=Outcome.NEGATIVE)),
    )
    negative = dated.filter(outcome=Outcome.NEGATIVE)
    return Decisions(
        positive=totals["positive"],
        negative=totals["negative"],
        negative_by_reason=grouped_counts(negative, "negative_reason_id"),
        pending_at_end=pending_count(period.end),
        by_referrer_type=nested_counts(dated, "referral__referrer_type_id", "outcome"),
    )


def percentile(counts: Mapping[int, int], share: Fraction) -> int | None:
    """Return the value at sorted position ceil(SHARE x n), 1-based, of the values counted in
    COUNTS ({value: how many times}); None for no values."""
    total = sum(counts.values())
    if not total:
        return None
    position = max(-(-share.numerator * total // share.denominator), 1)  # exact ceiling
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= position:
            return value
    raise AssertionError("unreachable: the position is at most the number of values")


class DaysBetween(Func):
    """The number of days from the date START to the date END (END - START), in SQL.

    PostgreSQL subtracts dates to an integer of days; SQLite subtracts Julian day numbers
    (Django's own date subtraction there goes through a Python function per row).
    """

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, end: str, start: str) -> None:
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # CAST(julianday(END) - julianday(START) AS INTEGER)
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def timeliness(period: Period) -> Timeliness:
    """Return days from receipt to decision for PERIOD's decisions, and the oldest waits.

    The days are counted in the database, one row per number of days (a few hundred), not
    one per decision (about 100,000 in 2025 at 1,000,000 referrals).
    """
    rows = (
        AdmissionDecision.objects.filter(date__range=(period.start, period.end))
        .annotate(days=DaysBetween("date", "referral__received"))
        .order_by()
        .values_list("days")
        .annotate(n=Count("pk"))
    )
    days = {int(value): n for value, n in rows}
    oldest = oldest_pending(period.end, OLDEST_PENDING)
    return Timeliness(
        decisions=sum(days.values()),
        median_days=percentile(days, Fraction(1, 2)),
        p90_days=percentile(days, Fraction(9, 10)),
        oldest_pending_days=[(period.end - received).days for received in oldest],
    )
