"""Referrals, admission decisions and timeliness (DOMAIN.md statistics items 1, 2 and 10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear

from nas.common.dates import Period
from nas.referrals.choices import Outcome
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
    """Received on or before DAY, and neither decided nor withdrawn by then."""
    decided = AdmissionDecision.objects.filter(referral=OuterRef("pk"), date__lte=day)
    withdrawn = Q(withdrawn_on__isnull=False, withdrawn_on__lte=day)
    return Q(received__lte=day) & ~Q(Exists(decided)) & ~withdrawn


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
        pending_at_end=Referral.objects.filter(_pending_on(period.end)).count(),
        by_referrer_type=nested_counts(dated, "referral__referrer_type_id", "outcome"),
    )


def percentile(values: list[int], share: Fraction) -> int | None:
    """Return the value at sorted position ceil(SHARE x n), 1-based; None for no values."""
    if not values:
        return None
    position = -(-share.numerator * len(values) // share.denominator)  # exact ceiling
    return sorted(values)[max(position, 1) - 1]


def timeliness(period: Period) -> Timeliness:
    """Return days from receipt to decision for PERIOD's decisions, and the oldest waits."""
    # One row per decision of the period: bounded by the period, not by the whole register.
    pairs = AdmissionDecision.objects.filter(date__range=(period.start, period.end)).values_list(
        "date", "referral__received"
    )
    days = [(decided - received).days for decided, received in pairs]
    oldest = (
        Referral.objects.filter(_pending_on(period.end))
        .order_by("received", "pk")
        .values_list("received", flat=True)[:OLDEST_PENDING]
    )
    return Timeliness(
        decisions=len(days),
        median_days=percentile(days, Fraction(1, 2)),
        p90_days=percentile(days, Fraction(9, 10)),
        oldest_pending_days=[(period.end - received).days for received in oldest],
    )
