"""Measurements run inside Django against one benchmark database; prints one JSON object.

Run by bench/run.py with DATABASE_URL, NAS_VAR_DIR and DJANGO_SETTINGS_MODULE set:

    python bench/measure.py counts
    python bench/measure.py statistics --year 2025 --runs 3
    python bench/measure.py pages --requests 200
    python bench/measure.py export-tables --out DIR
    python bench/measure.py load-setup --users 20 --out FILE

`load-setup` signs in USERS caseworkers of the Helsinki office server-side (a session with both
factors verified, as after the real sign-in) and writes their session keys and the pages to
request to FILE, for bench/locustfile.py.

`export-tables` writes the columns the DuckDB floor needs (no identifier: no name, contact,
address or identity code leaves the database) as CSV files, one per table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nas.config.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

# Table -> the columns exported for DuckDB (statistical fields only).
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "referrals_referral": ("id", "received", "withdrawn_on", "referrer_type_id", "person_id"),
    "referrals_admissiondecision": (
        "id",
        "date",
        "outcome",
        "client_type",
        "negative_reason_id",
        "referral_id",
    ),
    "casework_clientperiod": (
        "id",
        "client_type",
        "admitted",
        "ended_on",
        "end_reason_id",
        "person_id",
        "referral_id",
    ),
    "people_person": (
        "id",
        "date_of_birth",
        "birth_year",
        "age_assessment",
        "gender",
        "primary_nationality",
    ),
    "casework_exploitation": ("id", "client_id", "form_id", "place", "is_primary"),
}


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.95 -> p95)."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))
    return ordered[rank - 1]


def counts() -> dict[str, Any]:
    with connection.cursor() as cursor:
        result = {}
        for table in EXPORT_COLUMNS:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
            result[table] = cursor.fetchone()[0]
    return {"counts": result, "vendor": connection.vendor, "version": _db_version()}


def _db_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + cursor.fetchone()[0]


def statistics_run(year: int, runs: int) -> dict[str, Any]:
    from nas.common.dates import Period
    from nas.reporting.keys import figure_values, statistics_json

    period = Period.year(year)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = statistics_json(period, internal=True)
        times.append(time.perf_counter() - started)
    # Where the time goes: each figure family once, as the statistics run them (on
    # PostgreSQL with their parallel workers).
    from nas.common.database import parallel_queries
    from nas.reporting import figures

    parts: dict[str, float] = {}
    for name in (
        "referrals",
        "decisions",
        "timeliness",
        "assistance_ended",
        "new_clients",
        "exploited_where",
        "exploitation_forms",
        "exploitation_in_finland",
        "reflection_periods",
        "clients_on_last_day",
    ):
        started = time.perf_counter()
        with parallel_queries():
            getattr(figures, name)(period)
        parts[name] = time.perf_counter() - started
    values = figure_values(period)
    return {
        "year": year,
        "runs": times,
        "median": statistics.median(times),
        "keys": len(result) - 4,
        "parts": parts,
        "values": values,
    }


def pages(requests: int) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from nas.casework.models import ClientPeriod
    from nas.common import testing

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from nas.accounts.models import User
    from nas.accounts.services import ensure_roles

    # migrate's post_migrate hook does not give the roles their permissions on a fresh
    # database (see docs/benchmarks.md): do what it should have done.
    ensure_roles()

    user = User.objects.filter(username="bench.caseworker.helsinki").first()
    if user is None:
        user = testing.make_caseworker("helsinki", username="bench.caseworker.helsinki")
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()

    # Unrestricted clients of the caseworker's office, the ones with most records first.
    client_ids = list(
        ClientPeriod.objects.filter(office__code="helsinki", restricted=False)
        .order_by("-id")
        .values_list("id", flat=True)[:50]
    )
    # Family names of some of those clients, searched for as a caseworker types them.
    names = [
        period.person.family_name
        for period in ClientPeriod.objects.filter(pk__in=client_ids[:20]).select_related("person")
        if period.person.family_name
    ]
    search = reverse("client_search")
    targets: dict[str, list[str]] = {
        "dashboard (/)": [reverse("home")],
        "referral inbox (referrals/)": [reverse("referrals:inbox")],
        "client search by name (clients/?name=)": [f"{search}?name={n}" for n in names],
        "client file (clients/<id>/)": [reverse("client_detail", args=[cid]) for cid in client_ids],
    }
    result: dict[str, Any] = {"clients_sampled": len(client_ids)}
    for name, urls in targets.items():
        if not urls:
            result[name] = None
            continue
        for url in urls[:5]:  # warm-up
            client.get(url)
        result[name] = _timed(requests, lambda i, urls=urls: client.get(urls[i % len(urls)]))
    # Saving the intake form: each request records a new person and referral (received
    # today, so the annual statistics of a past year do not change).
    form = _intake_form()
    result["saving a referral form (POST referrals/new/)"] = _timed(
        requests, lambda i: client.post(reverse("referrals:new"), {**form, "family_name": f"B{i}"})
    )
    return result


def _sign_in(username: str) -> tuple[Any, str]:
    """Return a caseworker of Helsinki signed in with both factors, and its session key."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from nas.accounts.models import User
    from nas.common import testing

    user = User.objects.filter(username=username).first()
    if user is None:
        user = testing.make_caseworker("helsinki", username=username)
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return user, session.session_key or ""


def load_setup(users: int, out: Path) -> dict[str, Any]:
    """Sessions of USERS caseworkers and the pages they cycle through, written to OUT."""
    from django.conf import settings
    from django.urls import reverse

    from nas.accounts.services import ensure_roles
    from nas.casework.models import ClientPeriod

    ensure_roles()  # see pages()
    sessions = [_sign_in(f"bench.load.helsinki.{i}")[1] for i in range(users)]
    client_ids = list(
        ClientPeriod.objects.filter(office__code="helsinki", restricted=False)
        .order_by("-id")
        .values_list("id", flat=True)[:50]
    )
    names = [
        period.person.family_name
        for period in ClientPeriod.objects.filter(pk__in=client_ids[:20]).select_related("person")
        if period.person.family_name
    ]
    plan = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "sessions": sessions,
        "dashboard": reverse("home"),
        "inbox": reverse("referrals:inbox"),
        "search": [f"{reverse('client_search')}?name={n}" for n in names],
        "client_file": [reverse("client_detail", args=[cid]) for cid in client_ids],
        "new_referral": reverse("referrals:new"),
        "intake_form": _intake_form(),
    }
    out.write_text(json.dumps(plan))
    return {"users": users, "clients": len(client_ids), "names": len(names)}


def _timed(requests: int, request: Any) -> dict[str, Any]:
    """Call REQUEST(i) REQUESTS times; return the median and p95 in ms and the statuses."""
    times = []
    statuses: dict[int, int] = {}
    for i in range(requests):
        started = time.perf_counter()
        response = request(i)
        times.append(time.perf_counter() - started)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return {
        "requests": requests,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": percentile(times, 0.95) * 1000,
        "statuses": statuses,
    }


def _intake_form() -> dict[str, str]:
    from nas.common.dates import today

    return {
        "given_names": "Bench",
        "family_name": "Example",
        "date_of_birth": "1995-04-02",
        "gender": "female",
        "primary_nationality": "UA",
        "languages": "uk, en",
        "received": today().isoformat(),
        "channel": "phone",
        "referrer_type": "police",
        "organisation_name": "Benchmark",
        "office": "helsinki",
        "urgency": "normal",
        "account": "A benchmark referral.",
        "consent": "given",
    }


def export_tables(out: Path) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows_written = {}
    with connection.cursor() as cursor:
        for table, columns in EXPORT_COLUMNS.items():
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608
            path = out / f"{table}.csv"
            n = 0
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                while batch := cursor.fetchmany(20_000):
                    writer.writerows(batch)
                    n += len(batch)
            rows_written[table] = n
    return {"seconds": time.perf_counter() - started, "rows": rows_written}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "what", choices=["counts", "statistics", "pages", "export-tables", "load-setup"]
    )
    parser.add_argument("--year", type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--users", type=int, default=20)
    args = parser.parse_args()
    if args.what == "counts":
        result = counts()
    elif args.what == "statistics":
        result = statistics_run(args.year, args.runs)
    elif args.what == "pages":
        result = pages(args.requests)
    elif args.what == "load-setup":
        result = load_setup(args.users, args.out)
    else:
        result = export_tables(args.out)
    print("BENCH-JSON " + json.dumps(result, default=str))


if __name__ == "__main__":
    main()
