"""Skipping nested savepoints inside a block that is undone as a whole."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from nas.common.database import nested_savepoints_skipped
from nas.common.models import Office


def _savepoints(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" in q["sql"].upper()]


@pytest.mark.django_db
def test_nested_blocks_open_no_savepoint_and_the_setting_comes_back() -> None:
    uses = connection.features.uses_savepoints
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        with nested_savepoints_skipped():
            with transaction.atomic():
                Office.objects.create(code="t-one", label_en="One", label_fi="Yksi", label_sv="Ett")
    # PostgreSQL: the enclosing block's SAVEPOINT and RELEASE only. SQLite's savepoints cost no
    # round trip and its backend does not consult the flag: the nested block keeps its own.
    expected = 2 if connection.vendor == "postgresql" else 4
    assert len(_savepoints(queries)) == expected
    assert connection.features.uses_savepoints is uses


@pytest.mark.django_db
def test_a_failure_inside_undoes_the_whole_enclosing_block() -> None:
    with pytest.raises(ValueError), transaction.atomic(), nested_savepoints_skipped():
        Office.objects.create(code="t-two", label_en="Two", label_fi="Kaksi", label_sv="Två")
        with transaction.atomic():
            Office.objects.create(code="t-three", label_en="3", label_fi="3", label_sv="3")
            raise ValueError("a rule broke")
    assert not Office.objects.filter(code__in=["t-two", "t-three"]).exists()
    assert connection.features.uses_savepoints  # and the connection works on
    assert Office.objects.filter(code="t-two").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_an_atomic_block_it_is_refused() -> None:
    with pytest.raises(RuntimeError, match="enclosing atomic block"):
        with nested_savepoints_skipped():
            pass  # pragma: no cover


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_the_application_s_postgresql_connections_compile_no_query_to_machine_code() -> None:
    # JIT compiling cost 45-50 ms a query on the pages of a large register (docs/benchmarks.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL maintenance")
def test_after_a_bulk_load_postgresql_is_vacuumed_as_well_as_analysed() -> None:
    from nas.common.database import analyze

    analyze()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL"
            " FROM pg_stat_user_tables WHERE relname = 'people_person'"
        )
        assert cursor.fetchone() == (True, True)


def _parallel_workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_pages_use_no_parallel_workers_and_the_statistics_do(settings) -> None:
    from nas.common.database import parallel_queries

    settings.NAS_POSTGRES_STATISTICS_PARALLEL_WORKERS = 2
    assert _parallel_workers() == "0"
    with parallel_queries():
        assert _parallel_workers() == "2"
    assert _parallel_workers() == "0"

    # An error inside: the setting is put back (here, by the failed block's rollback).
    with pytest.raises(ZeroDivisionError):
        with parallel_queries(), transaction.atomic():
            assert _parallel_workers() == "2"
            raise ZeroDivisionError
    assert _parallel_workers() == "0"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_the_statistics_are_computed_with_parallel_workers(monkeypatch, settings) -> None:
    from nas.common.dates import Period
    from nas.reporting import keys

    settings.NAS_POSTGRES_STATISTICS_PARALLEL_WORKERS = 2
    seen = []
    referrals = keys._referrals

    def recording(period: Period) -> dict[str, int]:
        seen.append(_parallel_workers())
        return referrals(period)

    monkeypatch.setattr(keys, "_referrals", recording)
    keys.figure_values(Period.year(2025))

    assert seen == ["2"]
    assert _parallel_workers() == "0"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_calls_run_side_by_side_on_connections_of_their_own(settings) -> None:
    import threading

    from nas.common.database import concurrently, is_in_memory_sqlite

    Office.objects.create(code="t-two", label_en="Two", label_fi="Kaksi", label_sv="Två")

    def seen() -> tuple[str, bool]:
        return threading.current_thread().name, Office.objects.filter(code="t-two").exists()

    settings.NAS_STATISTICS_CONNECTIONS = 2
    results = concurrently([seen, seen, seen])
    assert [found for _name, found in results] == [True, True, True]
    threads = {name for name, _found in results}
    if is_in_memory_sqlite():
        assert threads == {threading.current_thread().name}  # one after the other
    else:
        assert all(name.startswith("nas-statistics") for name in threads)
    settings.NAS_STATISTICS_CONNECTIONS = 1
    assert concurrently([seen]) == [(threading.current_thread().name, True)]
    with transaction.atomic():  # inside a transaction: on its connection
        settings.NAS_STATISTICS_CONNECTIONS = 2
        assert {name for name, _ in concurrently([seen, seen])} == {threading.current_thread().name}
