"""`manage.py audit_verify` catches entries edited, deleted or reordered in the database.

The rows are changed with raw SQL, as someone with access to the database could, bypassing
the model's refusal; on PostgreSQL the append-only trigger is switched off first for the test's
transaction, which is rolled back (`session_replication_role = replica`).
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from nas.audit import chain
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log

pytestmark = pytest.mark.django_db


def _log(n: int) -> list[AuditEvent]:
    return [
        audit_log(actor="system", kind="read", action=f"test.{i}", person_id=100 + i)
        for i in range(n)
    ]


def _sql(statement: str, params: list | None = None) -> None:
    """Run STATEMENT against the database directly, with the append-only trigger off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Triggers (and foreign key checks) off until the test's transaction ends.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(statement, params or [])


def _verify(*args: str) -> str:
    """Run audit_verify; return what it printed, or raise CommandError when broken."""
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def _broken(*args: str) -> str:
    with pytest.raises(CommandError) as excinfo:
        _verify(*args)
    return str(excinfo.value)


def _first_broken_id(message: str) -> int:
    match = re.search(r"broken at entry id (\d+)", message)
    assert match, message
    return int(match.group(1))


def test_an_intact_log_passes_and_prints_its_head():
    events = _log(5)
    output = _verify()
    assert "intact: 5 entries" in output
    assert events[-1].hash in output


def test_an_empty_log_passes():
    assert "intact: 0 entries" in _verify()


def test_it_catches_an_edited_entry_and_names_it():
    events = _log(5)
    _sql("UPDATE audit_auditevent SET action = 'nothing.to.see' WHERE id = %s", [events[2].pk])
    message = _broken()
    assert _first_broken_id(message) == events[2].pk
    assert "altered" in message


def test_it_catches_an_edited_time():
    events = _log(3)
    _sql(
        "UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s",
        [events[0].occurred_at.replace(year=2000), events[0].pk],
    )
    assert _first_broken_id(_broken()) == events[0].pk


def test_it_catches_an_entry_edited_and_rehashed_at_the_next_one():
    events = _log(4)
    fields = AuditEvent.objects.filter(pk=events[1].pk).values(*chain.HASHED_FIELDS).get()
    fields["action"] = "nothing.to.see"
    _sql(
        "UPDATE audit_auditevent SET action = %s, hash = %s WHERE id = %s",
        ["nothing.to.see", chain.entry_hash(fields), events[1].pk],
    )
    message = _broken()
    assert _first_broken_id(message) == events[2].pk
    assert f"entry id {events[1].pk} was altered" in message


def test_it_catches_a_deleted_entry_and_names_the_one_after_it():
    events = _log(5)
    _sql("DELETE FROM audit_auditeventperson WHERE event_id = %s", [events[2].pk])
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    message = _broken()
    assert _first_broken_id(message) == events[3].pk
    assert "1 entry before it" in message and "deleted" in message


def test_it_catches_entries_deleted_from_the_end():
    events = _log(5)
    for event in events[3:]:
        _sql("DELETE FROM audit_auditeventperson WHERE event_id = %s", [event.pk])
        _sql("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    message = _broken()
    assert _first_broken_id(message) == events[2].pk
    assert "2 entries at the end of the log" in message


def test_it_catches_the_first_entry_deleted():
    events = _log(3)
    _sql("DELETE FROM audit_auditeventperson WHERE event_id = %s", [events[0].pk])
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])
    assert _first_broken_id(_broken()) == events[1].pk


def _swap_ids(a: int, b: int) -> None:
    """Swap the ids of two entries (and of their person index rows)."""
    for table, column in (("audit_auditeventperson", "event_id"), ("audit_auditevent", "id")):
        _sql(f"UPDATE {table} SET {column} = %s WHERE {column} = %s", [-1, a])
        _sql(f"UPDATE {table} SET {column} = %s WHERE {column} = %s", [a, b])
        _sql(f"UPDATE {table} SET {column} = %s WHERE {column} = %s", [b, -1])


def test_it_catches_reordered_entries_and_names_the_first():
    events = _log(5)
    _swap_ids(events[1].pk, events[3].pk)
    message = _broken()
    assert _first_broken_id(message) == events[1].pk
    assert "out of order" in message and "reordered" in message


def test_it_catches_two_neighbours_swapped():
    events = _log(4)
    _swap_ids(events[2].pk, events[3].pk)
    message = _broken()
    assert _first_broken_id(message) == events[2].pk
    assert "reordered" in message


def test_it_catches_an_entry_removed_from_the_person_index():
    events = _log(3)
    _sql("DELETE FROM audit_auditeventperson WHERE event_id = %s", [events[1].pk])
    message = _broken()
    assert _first_broken_id(message) == events[1].pk
    assert "index of persons" in message


def test_it_reports_only_the_first_break():
    events = _log(6)
    _sql(
        "UPDATE audit_auditevent SET reason = 'x' WHERE id IN (%s, %s)",
        [events[1].pk, events[4].pk],
    )
    assert _first_broken_id(_broken()) == events[1].pk


def test_it_exits_with_a_non_zero_status_when_broken():
    events = _log(2)
    _sql("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [events[0].pk])
    with pytest.raises(CommandError) as excinfo:
        _verify()
    assert excinfo.value.returncode != 0


def test_it_reads_in_chunks_and_prints_progress():
    _log(12)
    output = _verify("--chunk-size", "5", "--progress-every", "5")
    assert "checked 5 of 12 entries" in output and "checked 10 of 12" in output
    assert "intact: 12 entries" in output


def test_it_checks_entries_appended_after_the_walk_began():
    _log(3)
    calls: list[AuditEvent] = []

    def append_once(checked: int, total: int) -> None:
        if not calls:
            calls.append(audit_log(actor="system", kind="read", action="late"))

    from nas.audit.verify import verify_chain

    state, broken = verify_chain(chunk_size=2, progress=append_once)
    assert broken is None and state.checked == 4


def test_a_rewritten_log_is_caught_by_a_head_kept_outside_the_database():
    events = _log(3)
    anchor = f"{events[1].seq}:{events[1].hash}"
    assert "intact" in _verify("--expect", anchor)
    # Rewrite entry 2 and re-hash it and every entry after it: the chain alone holds.
    previous = events[0].hash
    for event in events[1:]:
        fields = AuditEvent.objects.filter(pk=event.pk).values(*chain.HASHED_FIELDS).get()
        if event.pk != events[1].pk:
            fields["prev_hash"] = previous
        else:
            fields["action"] = "nothing.to.see"
        previous = chain.entry_hash(fields)
        _sql(
            "UPDATE audit_auditevent SET action = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [fields["action"], fields["prev_hash"], previous, event.pk],
        )
    _sql("UPDATE audit_auditchainhead SET hash = %s", [previous])
    assert "intact" in _verify()
    message = _broken("--expect", anchor)
    assert _first_broken_id(message) == events[1].pk and "rewritten" in message
