"""The figures a publication shows: fresh or frozen, published or internal, and corrections.

A publication's figures are the keys of INTERCHANGE.md section 3 (`keys.figure_values`) plus
the multi-year trend of referrals, `referrals.same_period.<year>`: referrals received in the
same period of each of the TREND_YEARS years up to the period's own (for a year, the years;
for a half-year, that half of each year). Values are counts, or None when withheld.

Published figures follow the disclosure rule (`keys.disclosure`); `small` lists the withheld
ones shown as "<k" (the others are shown as ".."). The trend's own year and the one before
repeat `referrals.total` and `referrals.previous_period_total`, so they take those figures'
published values (withheld with them); earlier years are withheld, as "<k", when under the
threshold (no other figure adds up to them). `finland.multiple_forms_by_gender.<gender>`
splits `finland.persons_multiple_forms` by gender for the text ("all of them women"): it is
published only when that figure is and every gender's count in it is zero or at least the
threshold, else withheld whole.

A period whose statistics were published and frozen (`PublishedStatistics`) shows the frozen
figures; `differences` lists where a fresh computation, under the same threshold, now differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from nas.common.database import with_parallel_queries
from nas.common.dates import Period, add_years
from nas.referrals.models import Referral
from nas.reporting.figures import multiple_forms_by_gender
from nas.reporting.keys import disclosure, figure_values
from nas.reporting.models import PublishedStatistics

TREND = "referrals.same_period"
MULTIPLE = "finland.multiple_forms_by_gender"
# The prefixes of the figures a publication shows beyond the keys of INTERCHANGE.md section 3.
PUBLICATION_ONLY = (TREND + ".", MULTIPLE + ".")
TREND_YEARS = 6

Values = dict[str, int | None]


@dataclass(frozen=True)
class Difference:
    """A figure whose published value differs from a fresh computation."""

    key: str
    published: int | None
    now: int | None


@dataclass(frozen=True)
class Figures:
    """The figures of PERIOD as a publication shows them."""

    period: Period
    values: Values
    internal: bool
    threshold: int
    frozen: PublishedStatistics | None = None
    differences: list[Difference] = field(default_factory=list)
    # The withheld figures shown as "<threshold": counts under the threshold.
    small: frozenset[str] = frozenset()

    def get(self, key: str) -> int | None:
        """Return the figure KEY: its count, None when withheld, 0 when it does not occur."""
        return self.values.get(key, 0)

    def family(self, prefix: str) -> dict[str, int | None]:
        """Return {code: value} of the keys one level under PREFIX (`prefix.<code>`)."""
        depth = prefix.count(".") + 1
        return {
            key.rsplit(".", 1)[1]: value
            for key, value in self.values.items()
            if key.startswith(prefix + ".") and key.count(".") == depth
        }

    def is_small(self, key: str) -> bool:
        """Whether the withheld figure KEY is shown as "<threshold" (else as "..")."""
        return key in self.small

    @property
    def withheld(self) -> list[str]:
        return sorted(key for key, value in self.values.items() if value is None)


def trend_periods(period: Period) -> list[Period]:
    """Return the same period in each of the TREND_YEARS years up to PERIOD's, oldest first."""
    return [
        Period(add_years(period.start, -back), add_years(period.end, -back))
        for back in range(TREND_YEARS - 1, -1, -1)
    ]


def referral_trend(period: Period) -> dict[int, int]:
    """Return {year: referrals received in the same period of that year}, in one query."""
    periods = trend_periods(period)
    counts = Referral.objects.aggregate(
        **{
            str(each.start.year): Count("pk", filter=Q(received__range=(each.start, each.end)))
            for each in periods
        }
    )
    return {each.start.year: counts[str(each.start.year)] for each in periods}


@dataclass(frozen=True)
class Computed:
    """Figures computed now: VALUES (None when withheld) and the withheld ones shown "<k"."""

    values: Values
    small: frozenset[str] = frozenset()


def _with_trend(
    period: Period, figures: Computed, trend: Mapping[int, int], threshold: int
) -> Computed:
    values: Values = dict(figures.values)
    small = set(figures.small)
    repeats = {
        period.start.year: "referrals.total",
        period.start.year - 1: "referrals.previous_period_total",
    }
    for year, count in trend.items():
        key = f"{TREND}.{year}"
        if year in repeats:
            values[key] = figures.values[repeats[year]]
            if repeats[year] in figures.small:
                small.add(key)
        elif 0 < count < threshold:
            values[key] = None
            small.add(key)
        else:
            values[key] = count
    return Computed(values, frozenset(small))


def _with_multiple_forms(
    figures: Computed, by_gender: Mapping[str, int], threshold: int
) -> Computed:
    values: Values = dict(figures.values)
    hidden = figures.values.get("finland.persons_multiple_forms") is None or any(
        0 < n < threshold for n in by_gender.values()
    )
    for gender, n in by_gender.items():
        if n:
            values[f"{MULTIPLE}.{gender}"] = None if hidden else n
    return Computed(values, figures.small)


@with_parallel_queries
def computed(period: Period, *, internal: bool, threshold: int | None = None) -> Computed:
    """Return the figures of PERIOD computed now: internal (as counted) or published."""
    k = settings.NAS_DISCLOSURE_THRESHOLD if threshold is None else threshold
    counted = figure_values(period)
    trend = referral_trend(period)
    several = multiple_forms_by_gender(period)
    if internal:
        fresh = _with_trend(period, Computed(dict(counted)), trend, 0)
        return _with_multiple_forms(fresh, several, 0)
    published, result = disclosure(counted, k)
    values: Values = {key: None if key in result.withheld else n for key, n in published.items()}
    fresh = _with_trend(period, Computed(values, result.small), trend, k)
    return _with_multiple_forms(fresh, several, k)


def frozen_publication(period: Period) -> PublishedStatistics | None:
    """Return the frozen publication of exactly PERIOD, if there is one."""
    return PublishedStatistics.objects.filter(
        period_start=period.start, period_end=period.end
    ).first()


def differences(
    published: Mapping[str, int | None], now: Mapping[str, int | None]
) -> list[Difference]:
    """Return the figures whose value differs (a key that is absent counts as zero)."""
    return [
        Difference(key, published.get(key, 0), now.get(key, 0))
        for key in sorted(set(published) | set(now))
        if published.get(key, 0) != now.get(key, 0)
    ]


def publication_figures(period: Period, *, internal: bool = False) -> Figures:
    """Return the figures to show for PERIOD: frozen when published (with the corrections
    made since), else computed now. Internal figures are always computed now."""
    frozen = None if internal else frozen_publication(period)
    if frozen is None:
        k = settings.NAS_DISCLOSURE_THRESHOLD
        fresh = computed(period, internal=internal)
        return Figures(period, fresh.values, internal, 0 if internal else k, small=fresh.small)
    now = computed(period, internal=False, threshold=frozen.threshold)
    return Figures(
        period,
        dict(frozen.figures),
        internal=False,
        threshold=frozen.threshold,
        frozen=frozen,
        differences=differences(frozen.figures, now.values),
        small=frozenset(frozen.small),
    )
