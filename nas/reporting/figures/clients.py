"""Clients: ended, new, exploited where, and all on the last day (items 3, 4, 8 and 9)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from nas.casework.choices import ClientType
from nas.casework.models import ClientPeriod
from nas.common.dates import Period
from nas.reporting.figures.ages import BANDS, COPIES, age_band_expression, minor_condition
from nas.reporting.figures.common import (
    UNKNOWN,
    distinct_nationalities,
    grouped_counts,
    grouped_rows,
    marginal,
)

FINNISH = "FI"


@dataclass(frozen=True)
class Ended:
    """Item 3: client periods of victims and witnesses ended in the period."""

    total: int
    by_reason: dict[str, int]


@dataclass(frozen=True)
class NewClients:
    """Item 4: client periods admitted in the period; the breakdowns are of victims."""

    victims: int
    witnesses: int
    children: int
    by_gender: dict[str, int]
    minors: int
    by_age_band: dict[str, int]
    nationalities: int
    by_nationality: dict[str, int]


@dataclass(frozen=True)
class ExploitedWhere:
    """Item 9: new victims exploited in Finland (at least one form there) and the rest."""

    in_finland: int
    abroad_only: int
    finns_in_finland: int
    finns_abroad_only: int


@dataclass(frozen=True)
class ClientsOnDay:
    """Item 8: client periods active on a day; the breakdowns are of victims."""

    on: dt.date
    total: int
    victims: int
    witnesses: int
    children: int
    minor_victims: int
    admitted_as_minors: int
    by_gender: dict[str, int]
    nationalities: int
    by_nationality: dict[str, int]
    by_form: dict[str, int]


def admitted_in(period: Period) -> QuerySet[ClientPeriod]:
    """Return the client periods admitted in PERIOD."""
    return ClientPeriod.objects.filter(admitted__range=(period.start, period.end))


def new_victims(period: Period) -> QuerySet[ClientPeriod]:
    """Return the victims admitted in PERIOD."""
    return admitted_in(period).filter(client_type=ClientType.VICTIM)


def exploited_in_finland() -> Q:
    """The client period has at least one form of exploitation in Finland (its copy of the
    number of its forms there, nas/casework/copies.py)."""
    return Q(forms_in_finland__gt=0)


def forms_of(clients: QuerySet[ClientPeriod], **conditions: Any) -> QuerySet[ClientPeriod]:
    """Return CLIENTS joined to their forms of exploitation (meeting CONDITIONS): one row per
    form, for grouping by `exploitations__*` and the clients' own columns.

    Read from the clients' side, SQLite walks the clients' covering index and looks up each
    one's forms in theirs; from the forms' side (forms whose client is IN the clients) it
    looked up each form's client row as well: the forms of the stock at 1,000,000 referrals
    took 0.70 s so, 0.56 s this way.
    """
    return clients.filter(exploitations__isnull=False, **conditions)


def active_on(day: dt.date) -> QuerySet[ClientPeriod]:
    """Return the client periods admitted on or before DAY and not ended on or before it."""
    return ClientPeriod.objects.filter(admitted__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def _by_type(queryset: QuerySet[ClientPeriod], **extra: Any) -> dict[str, int]:
    """Count QUERYSET by client type (and EXTRA conditional counts) in one query."""
    return queryset.aggregate(
        total=Count("pk"),
        victims=Count("pk", filter=Q(client_type=ClientType.VICTIM)),
        witnesses=Count("pk", filter=Q(client_type=ClientType.WITNESS)),
        children=Count("pk", filter=Q(client_type=ClientType.CHILD)),
        **extra,
    )


def assistance_ended(period: Period) -> Ended:
    """Return the victims' and witnesses' client periods ended in PERIOD (item 3)."""
    ended = ClientPeriod.objects.filter(
        ended_on__range=(period.start, period.end),
        client_type__in=(ClientType.VICTIM, ClientType.WITNESS),
    )
    by_reason = grouped_counts(ended, "end_reason_id")
    return Ended(total=sum(by_reason.values()), by_reason=by_reason)


def new_clients(period: Period) -> NewClients:
    """Return the clients admitted in PERIOD (item 4)."""
    counts = _by_type(admitted_in(period))
    victims = new_victims(period).annotate(band=age_band_expression(COPIES, "admitted"))
    # The three breakdowns of the victims from one GROUP BY (they were read once for each).
    rows = grouped_rows(victims, "person_gender", "person_primary_nationality", "band")
    bands = marginal(rows, 2)
    by_nationality = marginal(rows, 1)
    return NewClients(
        victims=counts["victims"],
        witnesses=counts["witnesses"],
        children=counts["children"],
        by_gender=marginal(rows, 0),
        minors=bands.get(BANDS[0], 0),
        by_age_band={band: bands.get(band, 0) for band in BANDS},
        nationalities=distinct_nationalities(by_nationality),
        by_nationality=by_nationality,
    )


def exploited_where(period: Period) -> ExploitedWhere:
    """Return the new victims of PERIOD exploited in Finland and only abroad (item 9)."""
    finn = Q(person_primary_nationality=FINNISH)
    counts = new_victims(period).aggregate(
        total=Count("pk"),
        in_finland=Count("pk", filter=Q(exploited_in_finland())),
        finns=Count("pk", filter=finn),
        finns_in_finland=Count("pk", filter=finn & Q(exploited_in_finland())),
    )
    return ExploitedWhere(
        in_finland=counts["in_finland"],
        abroad_only=counts["total"] - counts["in_finland"],
        finns_in_finland=counts["finns_in_finland"],
        finns_abroad_only=counts["finns"] - counts["finns_in_finland"],
    )


def clients_on_last_day(period: Period) -> ClientsOnDay:
    """Return the client periods active on PERIOD's last day (item 8).

    Every count but the forms comes from one GROUP BY over the active periods (by type,
    nationality and gender, with the minors counted conditionally), from their statistical
    copies of their persons' attributes and in the order of the index that holds them
    (`client_statistics_stock`): the stock is about half of all client periods, and joined
    to their persons it cost 1.9 s at 1,000,000 referrals on SQLite, 0.17 s so
    (docs/benchmarks.md).
    """
    day = period.end
    active = active_on(day)
    rows = (
        active.order_by()
        .values_list("client_type", "person_primary_nationality", "person_gender")
        .annotate(
            n=Count("pk"),
            minors=Count("pk", filter=minor_condition(COPIES, day)),
            admitted_as_minors=Count("pk", filter=minor_condition(COPIES, "admitted")),
        )
    )
    by_type: dict[str, int] = {}
    by_nationality: dict[str, int] = {}
    by_gender: dict[str, int] = {}
    minor_victims = admitted_as_minors = 0
    for client_type, nationality, gender, n, minors, as_minors in rows:
        by_type[client_type] = by_type.get(client_type, 0) + n
        if client_type != ClientType.VICTIM:
            continue
        minor_victims += minors
        admitted_as_minors += as_minors
        for counts, value in ((by_nationality, nationality), (by_gender, gender)):
            key = UNKNOWN if value is None or value == "" else str(value)
            counts[key] = counts.get(key, 0) + n
    by_nationality = dict(sorted(by_nationality.items()))
    forms = forms_of(active.filter(client_type=ClientType.VICTIM))
    return ClientsOnDay(
        on=day,
        total=sum(by_type.values()),
        victims=by_type.get(ClientType.VICTIM, 0),
        witnesses=by_type.get(ClientType.WITNESS, 0),
        children=by_type.get(ClientType.CHILD, 0),
        minor_victims=minor_victims,
        admitted_as_minors=admitted_as_minors,
        by_gender=dict(sorted(by_gender.items())),
        nationalities=distinct_nationalities(by_nationality),
        by_nationality=by_nationality,
        by_form=grouped_counts(forms, "exploitations__form_id"),
    )
