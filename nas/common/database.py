"""Database housekeeping shared by the bulk commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


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
