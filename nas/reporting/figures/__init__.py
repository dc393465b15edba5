"""The figures of the statistics publications, one function per table (DOMAIN.md items 1-10).

Each function takes a `nas.common.dates.Period` and returns plain data (a frozen dataclass of
integers and {code: count} dicts), computed by aggregation in the database with a fixed
number of queries, whatever the number of records. Definitions: INTERCHANGE.md section 3.
"""

from __future__ import annotations

from nas.reporting.figures.clients import (
    ClientsOnDay,
    Ended,
    ExploitedWhere,
    NewClients,
    assistance_ended,
    clients_on_last_day,
    exploited_where,
    new_clients,
)
from nas.reporting.figures.exploitation import (
    Forms,
    InFinland,
    Reflection,
    exploitation_forms,
    exploitation_in_finland,
    multiple_forms_by_gender,
    reflection_periods,
)
from nas.reporting.figures.referrals import (
    Decisions,
    Referrals,
    Timeliness,
    decisions,
    referrals,
    referrals_by_year,
    timeliness,
)

__all__ = [
    "ClientsOnDay",
    "Decisions",
    "Ended",
    "ExploitedWhere",
    "Forms",
    "InFinland",
    "NewClients",
    "Referrals",
    "Reflection",
    "Timeliness",
    "assistance_ended",
    "clients_on_last_day",
    "decisions",
    "exploitation_forms",
    "exploitation_in_finland",
    "multiple_forms_by_gender",
    "exploited_where",
    "new_clients",
    "reflection_periods",
    "referrals",
    "referrals_by_year",
    "timeliness",
]
