"""A bulk job's audit events are appended together, chained as if written one by one."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from nas.audit.models import AuditEvent, AuditEventPerson
from nas.audit.services import audit_batch, audit_batch_part, audit_log


def verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_batched_events_are_written_at_the_end_and_the_chain_holds(db):
    audit_log(actor="test", kind="read", action="before")
    with transaction.atomic(), audit_batch():
        for n in range(3):
            audit_log(actor="test", kind="read", action=f"batched.{n}", person_id=n + 1)
        assert AuditEvent.objects.count() == 1  # nothing written until the batch ends
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)) == [
        "before",
        "batched.0",
        "batched.1",
        "batched.2",
    ]
    assert AuditEventPerson.objects.count() == 3
    assert "intact" in verify()


def test_the_events_of_a_failed_part_are_dropped_with_it(db):
    with transaction.atomic(), audit_batch():
        audit_log(actor="test", kind="create", action="kept")
        with pytest.raises(ValueError), audit_batch_part(), transaction.atomic():
            audit_log(actor="test", kind="create", action="dropped")
            raise ValueError("this part fails")
        audit_log(actor="test", kind="create", action="kept.too")
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)) == [
        "kept",
        "kept.too",
    ]
    assert "intact" in verify()


def test_a_batch_whose_transaction_fails_leaves_nothing(db):
    with pytest.raises(RuntimeError), transaction.atomic(), audit_batch():
        audit_log(actor="test", kind="create", action="lost")
        raise RuntimeError("the job fails")
    assert not AuditEvent.objects.exists()
