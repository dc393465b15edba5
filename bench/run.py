"""`make bench`: build (or reuse) benchmark databases and measure the system on them.

    python bench/run.py [--referrals N] [--databases sqlite,postgresql] [--quick]

For each database a synthetic register of about N referrals is built with `manage.py migrate`
and `manage.py generate_demo_data --seed 1 --years 2020-<this year> --scale X` (X calibrated
so that the referrals reach N) under .bench/ (git-ignored), keyed by its parameters and reused
by later runs. PostgreSQL: a database on the server of BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/), or, when none answers, on a cluster started under
.bench/pgcluster as scripts/test.sh does. Then it measures and prints:

1. data generation, referrals/s (measured when the database was built);
2. the full annual statistics of the last complete year (median of --stats-runs runs);
3. DuckDB computing a comparable set of those figures from a Parquet export of the same
   tables (the floor), the ratio, and whether the two agree on every shared figure;
4. server-side time of the pages that exist (Django's test client, a caseworker of Helsinki);
5. the load test: --users simulated caseworkers (locust, headless) for --load-seconds against
   the app served by gunicorn: requests/s, p95 latency and errors;
6. the import rate: --import-dossiers dossiers exported with export_dossiers and imported
   into an empty database, dossiers/s.

The results are printed as a Markdown table and kept in .bench/results-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench"
VAR = BENCH / "var"  # demo secret and encryption keys shared by every benchmark database
PY = sys.executable
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/"

sys.path.insert(0, str(ROOT / "bench"))


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def django_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="nas.config.settings.base",
        DATABASE_URL=database_url,
        NAS_VAR_DIR=str(VAR),
        NAS_DEMO="1",
        DJANGO_DEBUG="0",
        NAS_LOG_LEVEL="WARNING",
    )
    return env


def manage(database_url: str, *args: str) -> str:
    """Run manage.py ARGS on DATABASE_URL; return its standard output."""
    result = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=django_env(database_url),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode})")
    return result.stdout


def measure(database_url: str, *args: str) -> Any:
    """Run bench/measure.py ARGS on DATABASE_URL; return its JSON result."""
    result = subprocess.run(
        [PY, str(ROOT / "bench" / "measure.py"), *args],
        cwd=ROOT,
        env=django_env(database_url),
        capture_output=True,
        text=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line.removeprefix("BENCH-JSON "))
    sys.stderr.write(result.stdout + result.stderr)
    raise SystemExit(f"bench/measure.py {' '.join(args)} failed ({result.returncode})")


# --------------------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------------------


class Postgres:
    """A PostgreSQL server: the one of BENCH_POSTGRES_URL, or a cluster under .bench/."""

    def __init__(self) -> None:
        self.url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES).rstrip("/") + "/"
        self.cluster: Path | None = None
        if not self._answers(self.url):
            self.url = self._start_cluster()

    @staticmethod
    def _answers(url: str) -> bool:
        import psycopg

        try:
            with psycopg.connect(url + "postgres", connect_timeout=3):
                return True
        except psycopg.Error:
            return False

    def _pg_bin(self) -> Path:
        if os.environ.get("PG_BIN"):
            return Path(os.environ["PG_BIN"])
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parts)
        preferred = Path("/usr/lib/postgresql/15/bin")
        return preferred if preferred.exists() else candidates[-1]

    def _start_cluster(self) -> str:
        """Start (initialising once) a cluster under .bench/pgcluster, as scripts/test.sh."""
        pg_bin = self._pg_bin()
        self.cluster = BENCH / "pgcluster"
        as_postgres: list[str] = []
        if os.getuid() == 0:  # initdb refuses root: the cluster belongs to the postgres user
            as_postgres = ["runuser", "-u", "postgres", "--"]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        data = self.cluster / "data"
        if not data.exists():
            self.cluster.mkdir(parents=True, exist_ok=True)
            if as_postgres:
                shutil.chown(self.cluster, "postgres", "postgres")
            subprocess.run(
                [
                    *as_postgres,
                    str(pg_bin / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "nas",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-locale",
                    "--no-sync",
                    "--no-instructions",
                ],
                check=True,
                capture_output=True,
            )
        settings = (
            f"-c listen_addresses=127.0.0.1 -c port={port} "
            f"-c unix_socket_directories={self.cluster} -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off"
        )
        log(f"starting a PostgreSQL cluster in {self.cluster} on port {port}")
        subprocess.run(
            [
                *as_postgres,
                str(pg_bin / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                settings,
                "-l",
                str(self.cluster / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        self._stop = [*as_postgres, str(pg_bin / "pg_ctl"), "-D", str(data), "-w", "stop"]
        return f"postgres://nas@127.0.0.1:{port}/"

    def stop(self) -> None:
        if self.cluster is not None:
            subprocess.run(self._stop, check=False, capture_output=True)

    def recreate(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url + "postgres", autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url + name

    def analyze(self, name: str) -> float:
        """Run VACUUM (ANALYZE) on database NAME; return the seconds it took."""
        import psycopg

        started = time.perf_counter()
        with psycopg.connect(self.url + name, autocommit=True) as con:
            con.execute("VACUUM (ANALYZE)")
        return time.perf_counter() - started

    def exists(self, name: str) -> bool:
        import psycopg

        with psycopg.connect(self.url + "postgres") as con:
            row = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        return row is not None


def fresh_database(vendor: str, name: str, postgres: Postgres | None) -> str:
    """Return the URL of a new, empty database NAME (an existing one is dropped)."""
    if vendor == "sqlite":
        path = BENCH / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    assert postgres is not None
    return postgres.recreate(name)


def database_url(vendor: str, name: str, postgres: Postgres | None) -> str:
    if vendor == "sqlite":
        return f"sqlite:///{BENCH / name}.sqlite3"
    assert postgres is not None
    return postgres.url + name


GENERATED = re.compile(r"Generated (\d+) referrals in ([\d.]+) s")


def generate(url: str, *, seed: int, years: str, scale: float) -> dict[str, Any]:
    manage(url, "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    out = manage(
        url,
        "generate_demo_data",
        "--seed",
        str(seed),
        "--years",
        years,
        "--scale",
        f"{scale:g}",
        "--no-progress",
    )
    wall = time.perf_counter() - started
    match = GENERATED.search(out)
    referrals, seconds = (int(match[1]), float(match[2])) if match else (0, wall)
    return {"referrals": referrals, "seconds": seconds, "wall_seconds": wall}


def calibrate(seed: int, years: str) -> float:
    """Return the referrals generated per unit of --scale (cached under .bench/)."""
    cache = BENCH / f"calibration-{seed}-{years}.json"
    if cache.exists():
        return float(json.loads(cache.read_text())["per_scale"])
    log("calibrating --scale (a small SQLite run at scale 0.5)")
    url = fresh_database("sqlite", "calibration", None)
    made = generate(url, seed=seed, years=years, scale=0.5)
    per_scale = made["referrals"] / 0.5
    cache.write_text(json.dumps({"per_scale": per_scale}))
    return per_scale


def build(
    vendor: str, *, seed: int, years: str, scale: float, postgres: Postgres | None
) -> tuple[str, dict[str, Any]]:
    """Return the URL of the benchmark database with these parameters, building it if need be."""
    key = f"{seed}-{years}-{scale:g}"
    name = "bench_" + hashlib.sha256(key.encode()).hexdigest()[:10]
    marker = BENCH / f"{vendor}-{name}.json"
    url = database_url(vendor, name, postgres)
    if marker.exists() and (vendor == "sqlite" or (postgres and postgres.exists(name))):
        built = json.loads(marker.read_text())
        log(f"{vendor}: reusing {name} (seed {seed}, years {years}, scale {scale:g})")
        # The schema of the code measured: migrations added since the build (an index, say)
        # are applied, so a reused database is measured as a new one would be.
        manage(url, "migrate", "--noinput", "-v", "0")
        return url, {**built, "reused": True}
    log(
        f"{vendor}: building {name}: generate_demo_data --seed {seed} --years {years} "
        f"--scale {scale:g}"
    )
    url = fresh_database(vendor, name, postgres)
    built = generate(url, seed=seed, years=years, scale=scale)
    built.update(built_on=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), key=key)
    marker.write_text(json.dumps(built))
    return url, {**built, "reused": False}


# --------------------------------------------------------------------------------------
# Load test
# --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_free(port: int) -> bool:
    """True when nothing listens on PORT (connections left in TIME_WAIT do not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_for_http(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode} (see {GUNICORN_LOG})")
        try:
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            con.request("GET", "/accounts/sign-in/")
            con.getresponse().read()
            con.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


GUNICORN_LOG = BENCH / "gunicorn.log"


def load_test(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Serve URL's database with gunicorn; run locust headless; return its aggregate figures."""
    import csv

    plan = BENCH / "load-plan.json"
    setup = measure(url, "load-setup", "--users", str(args.users), "--out", str(plan))
    port = free_port()
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    env = django_env(url)
    # Production-like: DEBUG off (django_env), connections kept between requests as
    # docs/operations.md recommends, the access log off (the proxy logs requests).
    env["DATABASE_CONN_MAX_AGE"] = "60"
    command = [
        str(Path(PY).parent / "gunicorn"),
        "nas.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    prefix = BENCH / "locust"
    for old in BENCH.glob("locust_*.csv"):
        old.unlink()
    log(f"load: gunicorn ({workers} sync workers) on 127.0.0.1:{port}, {args.users} users")
    with GUNICORN_LOG.open("wb") as gunicorn_log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=gunicorn_log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_http(port, server)
            locust = subprocess.run(
                [
                    str(Path(PY).parent / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.users),
                    "--run-time",
                    f"{args.load_seconds}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--exit-code-on-error",
                    "0",
                ],
                cwd=ROOT,
                env={**os.environ, "NAS_LOAD_PLAN": str(plan)},
                capture_output=True,
                text=True,
            )
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    stats_file = Path(f"{prefix}_stats.csv")
    if locust.returncode or not stats_file.exists():
        sys.stderr.write(locust.stdout + locust.stderr)
        raise SystemExit(f"locust failed ({locust.returncode})")
    if not port_free(port):
        log(f"load: WARNING port {port} still in use after gunicorn stopped")
    rows = {row["Name"]: row for row in csv.DictReader(stats_file.open(encoding="utf-8"))}

    def figures(row: dict[str, str]) -> dict[str, Any]:
        return {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "median_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
        }

    failures_file = Path(f"{prefix}_failures.csv")
    failures = (
        [
            f"{r['Name']}: {r['Error']} x{r['Occurrences']}"
            for r in csv.DictReader(failures_file.open(encoding="utf-8"))
        ]
        if failures_file.exists()
        else []
    )
    return {
        **figures(rows["Aggregated"]),
        "pages": {name: figures(row) for name, row in rows.items() if name != "Aggregated"},
        "failures": failures,
        "users": args.users,
        "seconds": args.load_seconds,
        "workers": workers,
        "worker_class": "sync",
        "setup": setup,
    }


# --------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------


IMPORTED = re.compile(r"(\d+) dossiers in ([\d.]+) s .*?(\d+) loaded")


def dossier_file(count: int, per_scale: float, seed: int, years: str) -> tuple[Path, int]:
    """Return a dossier file of about COUNT dossiers (exported once from a small database)."""
    path = BENCH / f"dossiers-{seed}-{years}-{count}.jsonl"
    if not path.exists():
        scale = count / per_scale
        log(f"import: exporting a dossier file (generate at scale {scale:.3g} on SQLite)")
        url = fresh_database("sqlite", "import_source", None)
        generate(url, seed=seed, years=years, scale=scale)
        manage(url, "export_dossiers", str(path), "--purpose", "benchmark", "--no-progress")
    with path.open("rb") as lines:
        return path, sum(1 for _line in lines)


def import_rate(vendor: str, path: Path, postgres: Postgres | None) -> dict[str, Any]:
    url = fresh_database(vendor, "bench_import", postgres)
    manage(url, "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    out = manage(url, "import_dossiers", str(path), "--no-progress")
    wall = time.perf_counter() - started
    match = IMPORTED.search(out)
    if not match:
        raise SystemExit(f"import_dossiers: unexpected output {out!r}")
    lines, seconds, loaded = int(match[1]), float(match[2]), int(match[3])
    return {
        "dossiers": lines,
        "loaded": loaded,
        "seconds": seconds,
        "wall_seconds": wall,
        "rate": lines / seconds,
    }


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def compare(app: dict[str, int], floor: dict[str, int]) -> list[str]:
    """Return the keys DuckDB computed on which it disagrees with the application."""
    return sorted(k for k, v in floor.items() if app.get(k, 0) != v)


def run_database(
    vendor: str,
    args: argparse.Namespace,
    scale: float,
    postgres: Postgres | None,
    dossiers: tuple[Path, int] | None,
) -> dict[str, Any]:
    from duckdb_floor import run as duckdb_run
    from duckdb_floor import to_parquet

    url, built = build(vendor, seed=args.seed, years=args.years, scale=scale, postgres=postgres)
    result: dict[str, Any] = {"build": built}
    result["counts"] = measure(url, "counts")
    if vendor == "postgresql" and postgres is not None:
        name = url.rsplit("/", 1)[1]
        if args.before_analyze and not built["reused"]:
            # Right after a bulk load the tables have no planner statistics until autovacuum
            # gets to them; the statistics then choose quadratic plans. Measured once, as is.
            log(f"{vendor}: annual statistics once before ANALYZE")
            result["statistics_before_analyze"] = measure(
                url, "statistics", "--year", str(args.stats_year), "--runs", "1"
            )["median"]
        result["analyze_seconds"] = postgres.analyze(name)
    year = args.stats_year
    log(f"{vendor}: annual statistics {year} x {args.stats_runs}")
    result["statistics"] = measure(
        url, "statistics", "--year", str(year), "--runs", str(args.stats_runs)
    )
    log(f"{vendor}: DuckDB floor (export to CSV, Parquet, queries)")
    export_dir = BENCH / f"export-{vendor}"
    shutil.rmtree(export_dir, ignore_errors=True)
    exported = measure(url, "export-tables", "--out", str(export_dir / "csv"))
    parquet_seconds = to_parquet(export_dir / "csv", export_dir / "parquet")
    floor = duckdb_run(
        export_dir / "parquet", dt.date(year, 1, 1), dt.date(year, 12, 31), args.stats_runs
    )
    shutil.rmtree(export_dir / "csv", ignore_errors=True)  # keep only the Parquet files
    floor["export_seconds"] = exported["seconds"]
    floor["parquet_seconds"] = parquet_seconds
    floor["figures"] = len(floor["values"])
    floor["disagreements"] = compare(result["statistics"]["values"], floor["values"])
    result["duckdb"] = floor
    log(f"{vendor}: pages x {args.requests}")
    result["pages"] = measure(url, "pages", "--requests", str(args.requests))
    if args.load_seconds:
        log(f"{vendor}: load test, {args.users} users for {args.load_seconds} s")
        result["load"] = load_test(url, args)
    if dossiers is not None:
        log(f"{vendor}: import of {dossiers[1]} dossiers into an empty database")
        result["import"] = import_rate(vendor, dossiers[0], postgres)
    return result


def agreement(disagreements: list[str]) -> str:
    return "DISAGREE: " + ", ".join(disagreements[:5]) if disagreements else "all agree"


def table(results: dict[str, Any], info: dict[str, Any]) -> str:
    vendors = list(results)
    head = (
        "| measure | "
        + " | ".join(f"{v} ({results[v]['counts']['version']})" for v in vendors)
        + " |"
    )
    rows = [head, "|---|" + "---|" * len(vendors)]

    def row(label: str, cell: Any) -> None:
        rows.append(f"| {label} | " + " | ".join(cell(results[v]) for v in vendors) + " |")

    row("referrals in the database", lambda r: f"{r['counts']['counts']['referrals_referral']:,}")
    row(
        "persons / client periods",
        lambda r: (
            f"{r['counts']['counts']['people_person']:,} / "
            f"{r['counts']['counts']['casework_clientperiod']:,}"
        ),
    )

    def built(r: dict[str, Any]) -> str:
        when = f", built {r['build']['built_on']}" if r["build"]["reused"] else ""
        return f"({r['build']['seconds']:.0f} s{when})"

    row(
        "generation, referrals/s (target 20,000)",
        lambda r: f"{r['build']['referrals'] / r['build']['seconds']:,.0f} {built(r)}",
    )
    row(
        f"annual statistics {info['year']}, median of {info['stats_runs']} (target 2 s)",
        lambda r: f"{r['statistics']['median']:.3f} s ({r['statistics']['keys']} keys)",
    )
    if any("statistics_before_analyze" in r for r in results.values()):
        row(
            "annual statistics right after the bulk load, before ANALYZE",
            lambda r: (
                f"{r['statistics_before_analyze']:.3f} s"
                if "statistics_before_analyze" in r
                else "n/a"
            ),
        )
    row(
        "DuckDB floor, same tables from Parquet",
        lambda r: (
            f"{r['duckdb']['median']:.3f} s ({r['duckdb']['figures']} figures, "
            f"{agreement(r['duckdb']['disagreements'])})"
        ),
    )
    row(
        "ratio statistics / DuckDB",
        lambda r: f"{r['statistics']['median'] / r['duckdb']['median']:.1f} x",
    )
    row(
        "export for DuckDB (SQL to CSV, CSV to Parquet)",
        lambda r: f"{r['duckdb']['export_seconds']:.1f} s + {r['duckdb']['parquet_seconds']:.1f} s",
    )
    pages = [p for r in results.values() for p in r["pages"] if isinstance(r["pages"][p], dict)]
    for page in dict.fromkeys(pages):
        row(
            f"{page} median / p95 (target p95 50 ms)",
            lambda r, p=page: (
                "n/a"
                if not r["pages"].get(p)
                else f"{r['pages'][p]['median_ms']:.1f} / {r['pages'][p]['p95_ms']:.1f} ms "
                f"({r['pages'][p]['requests']} req, "
                f"status {','.join(map(str, r['pages'][p]['statuses']))})"
            ),
        )
    if all("load" in results[v] for v in vendors):
        load = results[vendors[0]]["load"]
        row(
            f"load: {load['users']} users, {load['seconds']} s, gunicorn {load['workers']} "
            "sync workers: requests/s (target 200), p95, errors (target 0)",
            lambda r: (
                f"{r['load']['rps']:.1f} req/s, p95 {r['load']['p95_ms']:.0f} ms, "
                f"{r['load']['errors']} errors ({r['load']['requests']:,} requests)"
            ),
        )
    if all("import" in results[v] for v in vendors):
        row(
            "import into an empty database, dossiers/s",
            lambda r: (
                f"{r['import']['rate']:,.0f} ({r['import']['dossiers']:,} in "
                f"{r['import']['seconds']:.1f} s, {r['import']['loaded']:,} loaded)"
            ),
        )
    return "\n".join(rows)


def main() -> None:
    this_year = dt.datetime.now(dt.UTC).year
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small run: 8,000 referrals, 50 requests a page, 10 s of load, 300 dossiers",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", default=f"2020-{this_year}")
    parser.add_argument(
        "--stats-year",
        type=int,
        default=this_year - 1,
        help="the year of the annual statistics (default: last complete year)",
    )
    parser.add_argument("--stats-runs", type=int, default=3)
    parser.add_argument(
        "--before-analyze",
        action="store_true",
        help="PostgreSQL: also time the statistics once on a new database before ANALYZE "
        "(quadratic plans: 37 s at 40,000 referrals, hours at 1,000,000)",
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--users", type=int, default=20, help="simulated caseworkers (load)")
    parser.add_argument(
        "--load-seconds", type=int, default=60, help="duration of the load test (0: skip)"
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (default 2 x cores + 1)"
    )
    parser.add_argument(
        "--import-dossiers", type=int, default=2000, help="dossiers for the import rate (0: skip)"
    )
    args = parser.parse_args()
    if args.quick:
        args.referrals, args.requests, args.import_dossiers = 8000, 50, 300
        args.load_seconds = min(args.load_seconds, 10)
    vendors = [v.strip() for v in args.databases.split(",") if v.strip()]
    unknown = set(vendors) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown databases: {', '.join(sorted(unknown))}")
    BENCH.mkdir(exist_ok=True)
    VAR.mkdir(exist_ok=True)

    per_scale = calibrate(args.seed, args.years)
    scale = round(args.referrals / per_scale, 4)
    log(
        f"{per_scale:,.0f} referrals per unit of scale: --scale {scale:g} "
        f"for {args.referrals:,} referrals"
    )
    dossiers = (
        dossier_file(args.import_dossiers, per_scale, args.seed, args.years)
        if args.import_dossiers
        else None
    )
    postgres = Postgres() if "postgresql" in vendors else None
    started = time.perf_counter()
    results: dict[str, Any] = {}
    try:
        for vendor in vendors:
            results[vendor] = run_database(vendor, args, scale, postgres, dossiers)
    finally:
        if postgres is not None:
            postgres.stop()
    info = {
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "year": args.stats_year,
        "stats_runs": args.stats_runs,
        "scale": scale,
        "referrals_asked": args.referrals,
        "seconds": time.perf_counter() - started,
        "duckdb": results[vendors[0]]["duckdb"]["version"] if vendors else None,
    }
    out = BENCH / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"info": info, "results": results}, indent=1, default=str))
    m = info["machine"]
    print()
    print(f"{info['command']}  ({info['date']})")
    print(
        f"machine: {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, "
        f"Python {m['python']}, DuckDB {info['duckdb']}"
    )
    print(f"database: --scale {scale:g} (asked {args.referrals:,} referrals)")
    print()
    print(table(results, info))
    for vendor in vendors:
        parts = results[vendor]["statistics"]["parts"]
        slowest = sorted(parts.items(), key=lambda kv: -kv[1])[:4]
        print(
            f"\n{vendor}: slowest figure families: "
            + ", ".join(f"{name} {sec:.3f} s" for name, sec in slowest)
        )
        load = results[vendor].get("load")
        if load:
            print(
                f"{vendor}: load per page (median / p95 ms, errors): "
                + ", ".join(
                    f"{name} {p['median_ms']:.0f} / {p['p95_ms']:.0f} ({p['errors']})"
                    for name, p in load["pages"].items()
                )
            )
            for failure in load["failures"][:5]:
                print(f"{vendor}: load failure: {failure}")
    print(f"\nresults kept in {out.relative_to(ROOT)}; total {info['seconds']:.0f} s")


if __name__ == "__main__":
    main()
