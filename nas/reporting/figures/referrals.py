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
from nas.reporting.figures.common import grouped_counts, grouped_rows, marginal, nested_marginal

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
    # Each count reads its own range of the index of dates received: one aggregate with
    # both conditions read that whole index (0.2 s at 1,000,000 referrals on SQLite).
    by_type = grouped_counts(Referral.objects.filter(_received_in(period)), "referrer_type_id")
    previous = Referral.objects.filter(_received_in(period.previous_year())).count()
    return Referrals(
        total=sum(by_type.values()),
        by_referrer_type=by_type,
        previous_period_total=previous,
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


def pending_parts(day: dt.date) -> list[QuerySet[Any, tuple[Any, int]]]:
    """Return the referrals pending on DAY (`_pending_on`) as disjoint parts, by status now.

    Each part gives (date received, referral id) rows. The definition read directly is a
    pass over every referral received by DAY with a probe of its decision: 0.83 s at
    1,000,000 referrals on SQLite, twice in the statistics (the count and the oldest). The
    services decide or withdraw a referral only while it is open, on or after the day it was
    received, and its status says which happened (received or under assessment: neither yet;
    decided: it has its one decision; withdrawn: it has its date). So a referral pending on
    DAY is, by its status now, one still open, one withdrawn after DAY or one decided after
    DAY; each part is one range of an index holding what it reads (status, date received and
    date withdrawn; the decisions' date and their copy of the date received).
    """
    received = Referral.objects.filter(received__lte=day)
    decided_later = AdmissionDecision.objects.filter(date__gt=day, referral_received__lte=day)
    return [
        received.filter(status=ReferralStatus.RECEIVED).values_list("received", "pk"),
        received.filter(status=ReferralStatus.UNDER_ASSESSMENT).values_list("received", "pk"),
        received.filter(status=ReferralStatus.WITHDRAWN, withdrawn_on__gt=day).values_list(
            "received", "pk"
        ),
        decided_later.values_list("referral_received", "referral_id"),
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
        dates += part.order_by()
    return [received for received, _pk in sorted(dates)[:count]]


def decisions(period: Period) -> Decisions:
    """Return the admission decisions dated in PERIOD and the referrals pending at its end.

    Every count of the decisions comes from one GROUP BY of the decisions' own index
    (`decision_statistics`, with their copies of their referral's referrer type).
    """
    dated = AdmissionDecision.objects.filter(date__range=(period.start, period.end))
    rows = grouped_rows(dated, "outcome", "negative_reason_id", "referral_referrer_type")
    by_outcome = marginal(rows, 0)
    return Decisions(
        positive=by_outcome.get(Outcome.POSITIVE, 0),
        negative=by_outcome.get(Outcome.NEGATIVE, 0),
        negative_by_reason=marginal([row for row in rows if row[0] == Outcome.NEGATIVE], 1),
        pending_at_end=pending_count(period.end),
        by_referrer_type=nested_marginal(rows, 2, 0),
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
    one per decision (about 100,000 in 2025 at 1,000,000 referrals), from the decisions'
    copies of their referral's date received.
    """
    rows = (
        AdmissionDecision.objects.filter(date__range=(period.start, period.end))
        .annotate(days=DaysBetween("date", "referral_received"))
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
