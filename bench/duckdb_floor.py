"""The DuckDB floor: a comparable set of the annual figures from a Parquet export.

The figures use the definitions of nas/reporting/figures (the same keys as
`nas.reporting.keys.figure_values`), so that bench/run.py can check that DuckDB and the
application agree before comparing their times. Not every key is computed here: the residence,
reflection-period and timeliness families are left out (see docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from pathlib import Path
from typing import Any

import duckdb

TABLES = {
    "referral": "referrals_referral",
    "decision": "referrals_admissiondecision",
    "period": "casework_clientperiod",
    "person": "people_person",
    "exploitation": "casework_exploitation",
}
TYPES = {
    "referrals_referral": {
        "received": "DATE",
        "withdrawn_on": "DATE",
        "referrer_type_id": "VARCHAR",
    },
    "referrals_admissiondecision": {"date": "DATE", "negative_reason_id": "VARCHAR"},
    "casework_clientperiod": {"admitted": "DATE", "ended_on": "DATE", "end_reason_id": "VARCHAR"},
    "people_person": {
        "date_of_birth": "DATE",
        "birth_year": "INTEGER",
        "age_assessment": "VARCHAR",
        "gender": "VARCHAR",
        "primary_nationality": "VARCHAR",
    },
    "casework_exploitation": {"form_id": "VARCHAR", "place": "VARCHAR", "is_primary": "VARCHAR"},
}


def to_parquet(csv_dir: Path, parquet_dir: Path) -> float:
    """Convert the CSV export to Parquet; return the seconds it took."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with duckdb.connect() as con:
        for table in TABLES.values():
            source = csv_dir / f"{table}.csv"
            target = parquet_dir / f"{table}.parquet"
            con.execute(
                f"COPY (SELECT * FROM read_csv(?, header = true, types = {TYPES[table]!r}))"
                f" TO '{target}' (FORMAT parquet)",
                [str(source)],
            )
    return time.perf_counter() - started


def _age_band(on: str) -> str:
    """SQL for the age band on ON (a date expression), as nas/reporting/figures/ages.py."""
    birth_year = "coalesce(year(p.date_of_birth), p.birth_year)"
    birth_md = "coalesce(month(p.date_of_birth) * 100 + day(p.date_of_birth), 701)"
    on_md = f"(month({on}) * 100 + day({on}))"
    leap = f"(year({on}) % 4 = 0 AND (year({on}) % 100 <> 0 OR year({on}) % 400 = 0))"
    before = f"({on_md} < {birth_md} AND NOT ({birth_md} = 229 AND {on_md} = 228 AND NOT {leap}))"
    age = f"(year({on}) - {birth_year} - CASE WHEN {before} THEN 1 ELSE 0 END)"
    no_birth = "(p.date_of_birth IS NULL AND p.birth_year IS NULL)"
    return f"""CASE
        WHEN {no_birth} AND p.age_assessment = 'minor' THEN 'under_18'
        WHEN {no_birth} AND p.age_assessment = 'adult' THEN 'adult_unknown_age'
        WHEN {no_birth} THEN 'unknown'
        WHEN {age} < 18 THEN 'under_18'
        WHEN {age} < 30 THEN '18_29'
        WHEN {age} < 40 THEN '30_39'
        WHEN {age} < 50 THEN '40_49'
        WHEN {age} < 60 THEN '50_59'
        ELSE '60_plus' END"""


def _queries(start: dt.date, end: dt.date) -> dict[str, str]:
    s, e = f"DATE '{start}'", f"DATE '{end}'"
    ps = f"DATE '{start.replace(year=start.year - 1)}'"
    pe = f"DATE '{end.replace(year=end.year - 1)}'"
    new_victims = (
        f"SELECT * FROM period WHERE admitted BETWEEN {s} AND {e} AND client_type = 'victim'"
    )
    active = f"SELECT * FROM period WHERE admitted <= {e} AND (ended_on IS NULL OR ended_on > {e})"
    return {
        "referrals.total": f"SELECT count(*) FROM referral WHERE received BETWEEN {s} AND {e}",
        "referrals.previous_period_total": (
            f"SELECT count(*) FROM referral WHERE received BETWEEN {ps} AND {pe}"
        ),
        "referrals.by_referrer_type": (
            f"SELECT referrer_type_id, count(*) FROM referral "
            f"WHERE received BETWEEN {s} AND {e} GROUP BY 1"
        ),
        "decisions": (
            f"SELECT outcome, count(*) FROM decision WHERE date BETWEEN {s} AND {e} GROUP BY 1"
        ),
        "decisions.negative_by_reason": (
            f"SELECT negative_reason_id, count(*) FROM decision "
            f"WHERE date BETWEEN {s} AND {e} AND outcome = 'negative' GROUP BY 1"
        ),
        "decisions.pending_at_end": (
            f"SELECT count(*) FROM referral r WHERE received <= {e} "
            f"AND NOT (withdrawn_on IS NOT NULL AND withdrawn_on <= {e}) "
            f"AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.referral_id = r.id "
            f"AND d.date <= {e})"
        ),
        "ended.by_reason": (
            f"SELECT end_reason_id, count(*) FROM period WHERE ended_on BETWEEN {s} AND {e} "
            f"AND client_type IN ('victim', 'witness') GROUP BY 1"
        ),
        "new_clients.by_type": (
            f"SELECT client_type, count(*) FROM period "
            f"WHERE admitted BETWEEN {s} AND {e} GROUP BY 1"
        ),
        "new_clients.by_gender": (
            f"SELECT p.gender, count(*) FROM ({new_victims}) c "
            f"JOIN person p ON p.id = c.person_id GROUP BY 1"
        ),
        "new_clients.by_nationality": (
            f"SELECT p.primary_nationality, count(*) FROM ({new_victims}) c "
            f"JOIN person p ON p.id = c.person_id GROUP BY 1"
        ),
        "new_clients.by_age_band": (
            f"SELECT {_age_band('c.admitted')}, count(*) FROM ({new_victims}) c "
            f"JOIN person p ON p.id = c.person_id GROUP BY 1"
        ),
        "new_clients.exploited_in_finland": (
            f"SELECT count(*) FROM ({new_victims}) c WHERE EXISTS (SELECT 1 FROM exploitation x "
            f"WHERE x.client_id = c.id AND x.place IN ('finland', 'finland_and_abroad'))"
        ),
        "exploitation.by_form": (
            f"SELECT x.form_id, count(*) FROM exploitation x "
            f"WHERE x.client_id IN (SELECT id FROM ({new_victims})) GROUP BY 1"
        ),
        "stock.by_type": f"SELECT client_type, count(*) FROM ({active}) GROUP BY 1",
        "stock.by_gender": (
            f"SELECT p.gender, count(*) FROM ({active}) c JOIN person p ON p.id = c.person_id "
            f"WHERE c.client_type = 'victim' GROUP BY 1"
        ),
        "stock.by_nationality": (
            f"SELECT p.primary_nationality, count(*) FROM ({active}) c "
            f"JOIN person p ON p.id = c.person_id WHERE c.client_type = 'victim' GROUP BY 1"
        ),
        "stock.by_form": (
            f"SELECT x.form_id, count(*) FROM exploitation x WHERE x.client_id IN "
            f"(SELECT id FROM ({active}) WHERE client_type = 'victim') GROUP BY 1"
        ),
    }


def _key(code: Any) -> str:
    return "unknown" if code is None or code == "" else str(code)


def _values(results: dict[str, list[tuple[Any, ...]]]) -> dict[str, int]:
    """Flatten the query results into figure keys (as nas.reporting.keys does)."""
    values: dict[str, int] = {}
    for name, rows in results.items():
        if name in ("decisions", "new_clients.by_type", "stock.by_type"):
            prefix = {"decisions": "decisions", "new_clients.by_type": "new_clients"}.get(
                name, "stock"
            )
            plural = {"victim": "victims", "witness": "witnesses", "child": "children"}
            for code, n in rows:
                values[f"{prefix}.{plural.get(code, code)}"] = n
            if prefix == "stock":
                values["stock.total"] = sum(n for _c, n in rows)
        elif len(rows) == 1 and len(rows[0]) == 1:
            values[name] = rows[0][0]
        else:
            for code, n in rows:
                if n:
                    key = f"{name}.{_key(code)}"
                    values[key] = values.get(key, 0) + n
    ended = sum(v for k, v in values.items() if k.startswith("ended.by_reason."))
    values["ended.total"] = ended
    return values


def run(parquet_dir: Path, start: dt.date, end: dt.date, runs: int) -> dict[str, Any]:
    """Compute the figures RUNS times from the Parquet files; return times and values."""
    times = []
    results: dict[str, list[tuple[Any, ...]]] = {}
    with duckdb.connect() as con:
        for alias, table in TABLES.items():
            path = parquet_dir / f"{table}.parquet"
            con.execute(f"CREATE VIEW {alias} AS SELECT * FROM read_parquet('{path}')")
        queries = _queries(start, end)
        for _ in range(runs):
            started = time.perf_counter()
            results = {name: con.execute(sql).fetchall() for name, sql in queries.items()}
            times.append(time.perf_counter() - started)
        threads = con.execute("SELECT current_setting('threads')").fetchone()
    return {
        "runs": times,
        "median": statistics.median(times),
        "values": _values(results),
        "version": duckdb.__version__,
        "threads": threads[0] if threads else None,
    }
