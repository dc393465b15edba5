"""The statistics of a period as data, under the figure keys of INTERCHANGE.md section 3.

`figure_values` gives the flat {key: count} of a period, unsuppressed; `statistics_json` the
object that `publish_statistics --format json` writes: published (disclosure control applied,
withheld keys `null` and listed in `suppressed`) or, only when asked for, internal.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from nas.common.database import concurrently, with_parallel_queries
from nas.common.dates import Period
from nas.reporting import figures
from nas.reporting.disclosure import Equation, Suppression, fold_small, suppression

# Keys that are not counts of people or records: never withheld for being small.
NOT_COUNTS = ("new_clients.nationalities", "finland.nationalities", "stock.nationalities")
TIMELINESS = ("decisions.median_days", "decisions.p90_days")
# The tables whose nationalities fold into `other` when published.
NATIONALITY_TABLES = (
    "new_clients.by_nationality",
    "finland.by_nationality",
    "stock.by_nationality",
)


def _flat(prefix: str, counts: Mapping[str, int]) -> dict[str, int]:
    return {f"{prefix}.{code}": n for code, n in counts.items() if n}


def _nested(prefix: str, counts: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    flat: dict[str, int] = {}
    for outer, inner in counts.items():
        flat.update(_flat(f"{prefix}.{outer}", inner))
    return flat


def _referrals(period: Period) -> dict[str, int]:
    referrals = figures.referrals(period)
    decisions = figures.decisions(period)
    timeliness = figures.timeliness(period)
    values = {
        "referrals.total": referrals.total,
        **_flat("referrals.by_referrer_type", referrals.by_referrer_type),
        "referrals.previous_period_total": referrals.previous_period_total,
        "decisions.positive": decisions.positive,
        "decisions.negative": decisions.negative,
        **_flat("decisions.negative_by_reason", decisions.negative_by_reason),
        "decisions.pending_at_end": decisions.pending_at_end,
    }
    if timeliness.median_days is not None and timeliness.p90_days is not None:
        values["decisions.median_days"] = timeliness.median_days
        values["decisions.p90_days"] = timeliness.p90_days
    return values


def _clients(period: Period) -> dict[str, int]:
    ended = figures.assistance_ended(period)
    new = figures.new_clients(period)
    where = figures.exploited_where(period)
    forms = figures.exploitation_forms(period)
    return {
        "ended.total": ended.total,
        **_flat("ended.by_reason", ended.by_reason),
        "new_clients.victims": new.victims,
        "new_clients.witnesses": new.witnesses,
        "new_clients.children": new.children,
        **_flat("new_clients.by_gender", new.by_gender),
        "new_clients.minors": new.minors,
        **{f"new_clients.by_age_band.{band}": n for band, n in new.by_age_band.items()},
        "new_clients.nationalities": new.nationalities,
        **_flat("new_clients.by_nationality", new.by_nationality),
        "new_clients.exploited_in_finland": where.in_finland,
        "new_clients.exploited_abroad_only": where.abroad_only,
        "exploitation.forms": forms.forms,
        **_flat("exploitation.by_form", forms.by_form),
        **_nested("exploitation.by_form_gender", forms.by_form_gender),
        **_flat("exploitation.primary_by_form", forms.primary_by_form),
    }


def _finland(period: Period) -> dict[str, int]:
    finland = figures.exploitation_in_finland(period)
    return {
        "finland.persons": finland.persons,
        **_flat("finland.by_gender", finland.by_gender),
        "finland.nationalities": finland.nationalities,
        **_flat("finland.by_nationality", finland.by_nationality),
        "finland.forms": finland.forms,
        "finland.persons_multiple_forms": finland.persons_multiple_forms,
        **_flat("finland.by_form", finland.by_form),
        **_flat("finland.forced_labour_by_sector", finland.forced_labour_by_sector),
        **_flat("finland.by_residence", finland.by_residence),
        **_flat("finland.by_permit_type", finland.by_permit_type),
        **_flat("finland.by_referrer_type", finland.by_referrer_type),
    }


def _reflection_and_stock(period: Period) -> dict[str, int]:
    reflection = figures.reflection_periods(period)
    stock = figures.clients_on_last_day(period)
    return {
        "reflection_periods.granted": reflection.granted,
        **_flat("reflection_periods.granted_by", reflection.granted_by),
        "stock.victims": stock.victims,
        "stock.witnesses": stock.witnesses,
        "stock.children": stock.children,
        "stock.total": stock.total,
        "stock.minor_victims": stock.minor_victims,
        "stock.admitted_as_minors": stock.admitted_as_minors,
        **_flat("stock.by_gender", stock.by_gender),
        **_flat("stock.by_nationality", stock.by_nationality),
        "stock.nationalities": stock.nationalities,
        **_flat("stock.by_form", stock.by_form),
    }


@with_parallel_queries
def figure_values(period: Period) -> dict[str, int]:
    """Return every figure of PERIOD under its key, unsuppressed.

    The four groups of figures are computed side by side (`concurrently`), the longest
    first (the later groups, as measured at 1,000,000 referrals on both databases), and put
    together in their order.
    """
    groups = (_referrals, _clients, _finland, _reflection_and_stock)
    longest_first = concurrently([functools.partial(group, period) for group in groups[::-1]])
    return {key: n for values in longest_first[::-1] for key, n in values.items()}


def _family(values: Mapping[str, int], prefix: str) -> tuple[str, ...]:
    """Return the keys of VALUES one level under PREFIX (`prefix.<code>`)."""
    depth = prefix.count(".") + 1
    return tuple(key for key in values if key.startswith(prefix + ".") and key.count(".") == depth)


# (total, family of cells): each family sums to its total.
_FAMILIES = (
    ("referrals.total", "referrals.by_referrer_type"),
    ("decisions.negative", "decisions.negative_by_reason"),
    ("ended.total", "ended.by_reason"),
    ("new_clients.victims", "new_clients.by_gender"),
    ("new_clients.victims", "new_clients.by_age_band"),
    ("new_clients.victims", "new_clients.by_nationality"),
    ("new_clients.victims", "exploitation.primary_by_form"),
    ("exploitation.forms", "exploitation.by_form"),
    ("finland.persons", "finland.by_gender"),
    ("finland.persons", "finland.by_nationality"),
    ("finland.persons", "finland.by_residence"),
    ("finland.persons", "finland.by_referrer_type"),
    ("finland.forms", "finland.by_form"),
    ("finland.by_form.forced_labour", "finland.forced_labour_by_sector"),
    ("finland.by_residence.residence_permit", "finland.by_permit_type"),
    ("reflection_periods.granted", "reflection_periods.granted_by"),
    ("stock.victims", "stock.by_gender"),
    ("stock.victims", "stock.by_nationality"),
)
# Other sums and equal figures the keys contain.
_SUMS = (
    Equation(
        "new_clients.victims",
        ("new_clients.exploited_in_finland", "new_clients.exploited_abroad_only"),
    ),
    Equation("new_clients.minors", ("new_clients.by_age_band.under_18",)),
    Equation("finland.persons", ("new_clients.exploited_in_finland",)),
    # A positive decision admits a victim or a witness that day. Witnesses are few: rather
    # than the number of new victims, the number of positive decisions is withheld.
    Equation(
        "decisions.positive",
        ("new_clients.victims", "new_clients.witnesses"),
        prefer=("decisions.positive",),
    ),
    Equation("stock.total", ("stock.victims", "stock.witnesses", "stock.children")),
)


def equations(values: Mapping[str, int]) -> list[Equation]:
    """Return the equations that tie the figures of VALUES (those that hold are used)."""
    result = [Equation(total, _family(values, family)) for total, family in _FAMILIES]
    forms = {key.rsplit(".", 1)[1] for key in _family(values, "exploitation.by_form")}
    result += [
        Equation(
            f"exploitation.by_form.{form}", _family(values, f"exploitation.by_form_gender.{form}")
        )
        for form in sorted(forms)
    ]
    return result + list(_SUMS)


def _folded(values: Mapping[str, int], threshold: int) -> dict[str, int]:
    """Return VALUES with each table's small nationalities folded into `other`."""
    result = dict(values)
    for table in NATIONALITY_TABLES:
        codes = _family(values, table)
        counts = {key.rsplit(".", 1)[1]: result.pop(key) for key in codes}
        result.update(_flat(table, fold_small(counts, threshold)))
    return result


def statistics_json(
    period: Period, *, internal: bool, threshold: int | None = None
) -> dict[str, Any]:
    """Return the statistics of PERIOD as the flat object of INTERCHANGE.md section 3.

    Published (INTERNAL false): disclosure control with THRESHOLD (default: the setting
    NAS_DISCLOSURE_THRESHOLD). Internal: every figure as counted, marked `"internal": true`.
    """
    values = figure_values(period)
    head: dict[str, Any] = {
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
    }
    if internal:
        return {**head, "internal": True, **values, "suppressed": []}
    k = settings.NAS_DISCLOSURE_THRESHOLD if threshold is None else threshold
    published, withheld = disclosed(values, k)
    body = {key: (None if key in withheld else n) for key, n in published.items()}
    return {**head, **body, "suppressed": sorted(withheld)}


def disclosure(values: Mapping[str, int], threshold: int) -> tuple[dict[str, int], Suppression]:
    """Return VALUES with small nationalities folded, the keys to withhold from them and
    those of them shown as "<THRESHOLD"."""
    published = _folded(values, threshold)
    result = suppression(published, equations(published), threshold, exempt=NOT_COUNTS + TIMELINESS)
    withheld = set(result.withheld)
    decided = values["decisions.positive"] + values["decisions.negative"]
    if 0 < decided < threshold:  # a median of a handful of decisions tells of each one
        withheld |= {key for key in TIMELINESS if key in published}
    return published, Suppression(frozenset(withheld), result.small)


def disclosed(values: Mapping[str, int], threshold: int) -> tuple[dict[str, int], set[str]]:
    """Return VALUES with small nationalities folded, and the keys to withhold from them."""
    published, result = disclosure(values, threshold)
    return published, set(result.withheld)
