"""The hash chain: every entry chained to the one before, and nothing changes it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from nas.audit import chain
from nas.audit.models import AppendOnlyError, AuditChainHead, AuditEvent, AuditEventPerson
from nas.audit.services import audit_log
from nas.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _log(n: int, **fields) -> list[AuditEvent]:
    fields.setdefault("kind", AuditEvent.Kind.READ)
    return [audit_log(actor="system", action=f"test.{i}", **fields) for i in range(n)]


def _fields(event: AuditEvent) -> dict:
    stored = AuditEvent.objects.filter(pk=event.pk).values(*chain.HASHED_FIELDS).get()
    return stored


def test_each_entry_carries_the_hash_of_the_one_before(auditor):
    first, second, third = _log(3)
    assert (first.seq, second.seq, third.seq) == (
        first.seq,
        first.seq + 1,
        first.seq + 2,
    )
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert AuditChainHead.objects.get().hash == third.hash


def test_the_first_entry_of_a_new_log_starts_from_the_genesis_hash():
    (first,) = _log(1)
    assert first.seq == 1 and first.prev_hash == chain.GENESIS_HASH


def test_the_stored_row_hashes_to_its_hash(auditor):
    event = audit_log(
        actor=auditor,
        kind=AuditEvent.Kind.UPDATE,
        action="test.update",
        person_id=7,
        changes={
            "when": dt.date(2024, 3, 1),
            "nested": {"at": dt.datetime(2024, 3, 1, tzinfo=dt.UTC)},
        },
        reason="why",
    )
    assert chain.entry_hash(_fields(event)) == event.hash


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seq", 999),
        ("occurred_at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
        ("actor_id", 12345),
        ("actor_label", "someone else"),
        ("kind", "delete"),
        ("action", "other"),
        ("object_type", "people.person"),
        ("object_id", "2"),
        ("person_id", 8),
        ("changes", {"a": 2}),
        ("reason", "another"),
        ("prev_hash", "f" * 64),
    ],
)
def test_the_hash_covers_every_recorded_field(field, value):
    (event,) = _log(1, person_id=7, changes={"a": 1})
    fields = _fields(event)
    fields[field] = value
    assert chain.entry_hash(fields) != event.hash


def test_it_indexes_the_event_under_its_person_and_the_persons_it_lists():
    (event,) = _log(1, person_id=3, changes={"person_ids": [5, 3, 4]})
    assert sorted(event.person_links.values_list("person_id", flat=True)) == [3, 4, 5]


def test_an_entry_rolled_back_with_its_action_leaves_no_gap():
    (before,) = _log(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        _log(1)
        raise RuntimeError("the action failed")
    (after,) = _log(1)
    assert after.seq == before.seq + 1 and after.prev_hash == before.hash
    assert verify_chain()[1] is None


def test_it_starts_again_after_the_last_entry_when_the_head_is_missing():
    (last,) = _log(1)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The trigger keeps the head: switch it off for the delete, as the owner of the
            # database could (a flushed or restored database has no head either).
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM audit_auditchainhead")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    assert not AuditChainHead.objects.exists()
    (event,) = _log(1)
    assert event.seq == last.seq + 1 and event.prev_hash == last.hash


# --- append-only ----------------------------------------------------------------------


def test_the_model_refuses_to_save_an_existing_entry():
    (event,) = _log(1)
    event.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_the_model_refuses_to_delete_an_entry():
    (event,) = _log(1)
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.parametrize("model", [AuditEvent, AuditEventPerson])
def test_querysets_refuse_bulk_update_and_delete(model):
    _log(1, person_id=1)
    with pytest.raises(AppendOnlyError):
        model.objects.all().update(person_id=2)
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()
    assert model.objects.exists()


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@needs_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'rewritten'",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditeventperson SET person_id = 99",
        "DELETE FROM audit_auditeventperson",
        "DELETE FROM audit_auditchainhead",
    ],
)
def test_on_postgresql_the_database_refuses_to_change_entries(sql):
    _log(2, person_id=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)


# --- concurrency ----------------------------------------------------------------------


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_do_not_fork_the_chain():
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():
                    audit_log(actor="system", kind="read", action=f"thread.{i}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 41))
    assert verify_chain()[1] is None
