"""Eurostat's annual breakdown of registered victims of trafficking in human beings, as CSV.

Eurostat publishes the registered victims of each member state by citizenship (dataset
`crim_thb_vctz`, with sex and age group) and by form of exploitation (`crim_thb_vexp`). This
export gives the four together, one row per combination, in the long SDMX-CSV layout Eurostat
exchanges data in:

    freq,unit,geo,TIME_PERIOD,sex,age,citizen,exploit,OBS_VALUE,OBS_FLAG
    A,NR,FI,2025,F,Y_GE18,NEU27_2020_FOR,SEX,41,

- `freq` A (annual), `unit` NR (number), `geo` FI, `TIME_PERIOD` the year.
- `sex`: F, M, UNK (gender other or unknown), T (total).
- `age` at admission: Y_LT18 (child), Y_GE18 (adult, also an assessed adult of unknown age),
  UNK, TOTAL.
- `citizen` (primary nationality): NAT (the reporting country, Finland), EU27_2020_FOR (another
  EU member state), NEU27_2020_FOR (any other country, and stateless persons), UNK, TOTAL.
- `exploit` (the primary form; Eurostat's three forms): SEX (sexual exploitation), LAB (forced
  labour), OTH (every other form), UNK (none recorded), TOTAL. The dimension's name and these
  codes are ours: Eurostat's tables name the forms in words. Forced labour alone is LAB, so
  that each total of this file is a sum of the national publication's primary forms.
- `OBS_VALUE` the count; `OBS_FLAG` "c" (confidential) where the count is withheld.

A registered victim is a victim admitted to the assistance system in the year (a new client of
type victim; Eurostat: identified, or meeting the criteria of the Directive 2011/36/EU). Every
combination is listed, zeros included, with every total; withheld cells follow the disclosure
rule of the publications (`nas.reporting.disclosure`: counts under the threshold, and the cells
that would give them away through the totals). Cells are controlled within this file; the
internal file (unsuppressed) is for delivery to the statistics authority, which applies its
own confidentiality rules.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count

from nas.audit.exports import csv_text
from nas.common.database import with_parallel_queries
from nas.common.dates import Period
from nas.people.choices import UNKNOWN_NATIONALITY
from nas.reporting.disclosure import Equation, suppress
from nas.reporting.figures.ages import COPIES, UNDER_18, UNKNOWN, age_band_expression
from nas.reporting.figures.clients import new_victims
from nas.reporting.regions import EU27_2020

REPORTING_COUNTRY = "FI"
COLUMNS = (
    "freq",
    "unit",
    "geo",
    "TIME_PERIOD",
    "sex",
    "age",
    "citizen",
    "exploit",
    "OBS_VALUE",
    "OBS_FLAG",
)
# Each dimension: its categories, then its total.
DIMENSIONS: tuple[tuple[str, ...], ...] = (
    ("F", "M", "UNK", "T"),
    ("Y_LT18", "Y_GE18", "UNK", "TOTAL"),
    ("NAT", "EU27_2020_FOR", "NEU27_2020_FOR", "UNK", "TOTAL"),
    ("SEX", "LAB", "OTH", "UNK", "TOTAL"),
)
CONFIDENTIAL = "c"

Cell = tuple[str, ...]


def sex(gender: str | None) -> str:
    return {"female": "F", "male": "M"}.get(gender or "", "UNK")


def age(band: str | None) -> str:
    if band == UNDER_18:
        return "Y_LT18"
    if band in (None, UNKNOWN):
        return "UNK"
    return "Y_GE18"


def citizen(nationality: str | None) -> str:
    if nationality in (None, "", UNKNOWN_NATIONALITY):
        return "UNK"
    if nationality == REPORTING_COUNTRY:
        return "NAT"
    if nationality in EU27_2020:
        return "EU27_2020_FOR"
    return "NEU27_2020_FOR"  # any other country, and stateless persons


def exploit(form: str | None) -> str:
    """Eurostat's form of exploitation of a primary form (none recorded: "" or None)."""
    return {"sexual_exploitation": "SEX", "forced_labour": "LAB", "": "UNK"}.get(form or "", "OTH")


@with_parallel_queries
def counted(period: Period) -> dict[Cell, int]:
    """Return the registered victims of PERIOD per combination of categories (no totals),
    grouped in the database."""
    # The primary form is the client period's copy of it (nas/casework/copies.py).
    rows = (
        new_victims(period)
        .annotate(band=age_band_expression(COPIES, "admitted"))
        .order_by()
        .values_list("person_gender", "band", "person_primary_nationality", "primary_form")
        .annotate(n=Count("pk"))
    )
    counts: dict[Cell, int] = {}
    for gender, band, nationality, form, n in rows:
        cell = (sex(gender), age(band), citizen(nationality), exploit(form))
        counts[cell] = counts.get(cell, 0) + n
    return counts


def _key(cell: Iterable[str]) -> str:
    return ".".join(cell)


def cube(counts: dict[Cell, int]) -> dict[str, int]:
    """Return every combination, totals included, under the key "sex.age.citizen.exploit"."""
    result: dict[str, int] = {}
    for combination in itertools.product(*DIMENSIONS):
        wanted = [
            (value,) if value != dimension[-1] else dimension[:-1]
            for value, dimension in zip(combination, DIMENSIONS, strict=True)
        ]
        result[_key(combination)] = sum(counts.get(cell, 0) for cell in itertools.product(*wanted))
    return result


def equations() -> list[Equation]:
    """Each total equals the sum of its categories, along every dimension."""
    result = []
    for index, dimension in enumerate(DIMENSIONS):
        others = [d for i, d in enumerate(DIMENSIONS) if i != index]
        for rest in itertools.product(*others):

            def key(value: str, rest: tuple[str, ...] = rest, index: int = index) -> str:
                return _key((*rest[:index], value, *rest[index:]))

            result.append(Equation(key(dimension[-1]), tuple(key(v) for v in dimension[:-1])))
    return result


def eurostat_rows(
    period: Period, *, internal: bool, threshold: int | None = None
) -> list[tuple[object, ...]]:
    """Return the rows of the CSV of PERIOD's year: published (withheld cells flagged) or
    internal (as counted)."""
    values = cube(counted(period))
    withheld: set[str] = set()
    if not internal:
        k = settings.NAS_DISCLOSURE_THRESHOLD if threshold is None else threshold
        withheld = suppress(values, equations(), k)
    year = str(period.start.year)
    rows: list[tuple[object, ...]] = []
    for key, n in values.items():
        hidden = key in withheld
        rows.append(
            (
                "A",
                "NR",
                REPORTING_COUNTRY,
                year,
                *key.split("."),
                "" if hidden else n,
                CONFIDENTIAL if hidden else "",
            )
        )
    return rows


def eurostat_csv(period: Period, *, internal: bool, threshold: int | None = None) -> str:
    """Return the Eurostat CSV of PERIOD (a calendar year)."""
    return csv_text(COLUMNS, eurostat_rows(period, internal=internal, threshold=threshold))
