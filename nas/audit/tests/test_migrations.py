"""Entries written before the hash chain existed are chained by migration 0003, in id order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.audit.verify import verify_chain

BEFORE = [("audit", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes("audit")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_entries_are_chained_and_indexed():
    old_apps = _migrate(BEFORE)
    OldEvent = old_apps.get_model("audit", "AuditEvent")
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    OldEvent.objects.create(occurred_at=at, kind="read", action="a", person_id=3)
    OldEvent.objects.create(occurred_at=at, kind="read", action="b", changes={"person_ids": [4, 5]})
    _migrate(_latest())
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.seq for e in events] == [1, 2]
    assert events[1].prev_hash == events[0].hash
    assert sorted(events[1].person_links.values_list("person_id", flat=True)) == [4, 5]
    assert verify_chain()[1] is None
    assert audit_log(actor="system", kind="read", action="c").seq == 3
    assert verify_chain()[1] is None
