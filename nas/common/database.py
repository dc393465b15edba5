"""Database housekeeping shared by the bulk commands."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, connection

P = ParamSpec("P")
R = TypeVar("R")


def analyze() -> None:
    """Refresh the query planner's statistics after a bulk load (ANALYZE).

    Without them PostgreSQL plans as if the freshly loaded tables were empty and picks nested
    loops over whole tables: measured at 40,000 referrals, the annual statistics took 37 s
    instead of 0.6 s (docs/benchmarks.md). SQLite keeps its statistics in sqlite_stat1.
    PostgreSQL outside a transaction also VACUUMs: it marks the loaded pages all-visible, so
    that index-only scans (of the persons' statistical attributes) need not visit the rows,
    as they would until autovacuum came by.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")


@contextmanager
def nested_savepoints_skipped() -> Iterator[None]:
    """Inside an atomic block, let the atomic blocks nested in it open no savepoint of their own.

    For a bulk job whose enclosing block (with its own savepoint) is undone as a whole when
    anything in it fails, as a line of an import is: the services it calls each open an atomic
    block, and on PostgreSQL each of their savepoints costs two round trips (SAVEPOINT and
    RELEASE), measured at almost half the statements of an import. (SQLite's savepoints cost no
    round trip, and its backend does not consult the flag this sets.) A failure inside still
    rolls back the enclosing block; only a nested block that fails *and is carried on after*
    would need its own savepoint, and Django then refuses every further query of the
    enclosing block rather than letting it continue half-done.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("nested_savepoints_skipped() needs an enclosing atomic block")
    features = connection.features
    before = features.uses_savepoints
    features.uses_savepoints = False  # this connection only (an attribute of its instance)
    try:
        yield
    finally:
        features.uses_savepoints = before


_PARALLEL_WORKERS = "max_parallel_workers_per_gather"


@contextmanager
def parallel_queries() -> Iterator[None]:
    """On PostgreSQL, let the queries inside use `NAS_POSTGRES_STATISTICS_PARALLEL_WORKERS`
    parallel workers each; the application's connections otherwise use
    `NAS_POSTGRES_PARALLEL_WORKERS` (none by default).

    For a page, parallel workers cost more than they give: a page's query that stops at 50
    rows had its workers run ahead over 228,000 rows (the client search 83 -> 424 ms at
    1,000,000 referrals), and two cores are shared by every request. The statistics, which
    aggregate whole years, are faster with them (3.7 against 5.1 s at that size).
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [_PARALLEL_WORKERS])
        before = cursor.fetchone()[0]
        workers = str(settings.NAS_POSTGRES_STATISTICS_PARALLEL_WORKERS)
        cursor.execute("SELECT set_config(%s, %s, false)", [_PARALLEL_WORKERS, workers])
    try:
        yield
    except BaseException:
        # Inside a transaction that failed, its rollback undoes the setting; otherwise it is
        # set back, and a failure to do so does not hide the error being raised.
        if not connection.needs_rollback:
            with suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, false)", [_PARALLEL_WORKERS, before])
        raise
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [_PARALLEL_WORKERS, before])


def with_parallel_queries(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate FUNCTION to run inside `parallel_queries()`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with parallel_queries():
            return function(*args, **kwargs)

    return wrapper


T = TypeVar("T")


def is_in_memory_sqlite() -> bool:
    """Return whether the database is an in-memory SQLite database (as the tests' is)."""
    name = str(connection.settings_dict["NAME"])
    return connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name)


def concurrently(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Return the results of CALLS, in order, run side by side on database connections of
    their own: `NAS_STATISTICS_CONNECTIONS` at a time (each in a thread, which opens its own
    connection and closes it when done).

    For the statistics, whose figure families are independent queries that each keep one
    core busy: on two cores, two at a time take about half as long (the database does the
    work, outside Python's lock, on both databases). Inside a transaction the calls run one
    after the other on its connection instead: another connection would not see what the
    transaction wrote, nor share its snapshot. (Outside one, each query sees the database as
    it is when it runs, as it did before.) An in-memory SQLite database (the tests') is not
    shared between connections safely: one after the other too.
    """
    workers = min(settings.NAS_STATISTICS_CONNECTIONS, len(calls))
    if workers < 2 or connection.in_atomic_block or is_in_memory_sqlite():
        return [call() for call in calls]

    def run(call: Callable[[], T]) -> T:
        try:
            with parallel_queries():
                return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nas-statistics") as pool:
        return list(pool.map(run, calls))
