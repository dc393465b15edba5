"""Write audit events; called by every service inside its own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from nas.audit import chain
from nas.audit.models import AuditChainHead, AuditEvent, AuditEventPerson

# The key of the PostgreSQL advisory lock that serialises appends ("NASAUDIT" in hex-ish).
_APPEND_LOCK_KEY = 0x4E415341554449

# Events of a bulk job waiting to be appended together (see audit_batch).
_pending: ContextVar[list[AuditEvent] | None] = ContextVar("nas_audit_pending", default=None)


def _plain(value: Any) -> Any:
    """Return VALUE as something JSON can hold."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return value


def _json_ready(changes: dict[str, Any] | None) -> dict[str, Any]:
    """Return CHANGES exactly as the database will give them back, so their hash holds."""
    plain = {key: _plain(value) for key, value in (changes or {}).items()}
    result: dict[str, Any] = json.loads(json.dumps(plain, cls=DjangoJSONEncoder, allow_nan=False))
    return result


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Return the concrete field values of INSTANCE as a JSON-ready dict."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names}


def _locked_head() -> AuditChainHead:
    """Return the chain head, locked until the end of the transaction, creating it if missing.

    The lock serialises appends so that two writers never chain onto the same entry. On
    PostgreSQL an advisory transaction lock covers the case of a missing head row too; on
    SQLite every write transaction is already serialised (`transaction_mode=IMMEDIATE`).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_APPEND_LOCK_KEY])
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # A new (or flushed) database: start the chain after the last entry, if any.
    last = AuditEvent.objects.order_by("-seq").first()
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(
                pk=1,
                seq=last.seq if last else 0,
                hash=last.hash if last else chain.GENESIS_HASH,
                event_id=last.pk if last else None,
            )
    except IntegrityError:  # created meanwhile by another writer (not on PostgreSQL)
        return AuditChainHead.objects.select_for_update().get(pk=1)


def audit_log(
    *,
    actor: Any,
    kind: str,
    action: str,
    target: models.Model | None = None,
    person_id: int | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the audit log, chained to the one before it.

    Runs in the caller's transaction (or its own when there is none), so the event is
    committed or rolled back with the action it records.
    """
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else str(actor or "system"))[:150],
        kind=kind,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        person_id=person_id,
        changes=_json_ready(changes),
        reason=reason,
    )
    pending = _pending.get()
    if pending is not None:
        pending.append(event)
        return event
    _append([event])
    return event


def _append(events: list[AuditEvent]) -> None:
    """Chain EVENTS after the head and insert them, in the caller's transaction."""
    if not events:
        return
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        seq, previous = head.seq, head.hash
        for event in events:
            seq += 1
            event.seq, event.prev_hash = seq, previous
            event.hash = chain.entry_hash(
                {name: getattr(event, name) for name in chain.HASHED_FIELDS}
            )
            previous = event.hash
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events, batch_size=500)
        AuditEventPerson.objects.bulk_create(
            (
                AuditEventPerson(event=event, person_id=pid)
                for event in events
                for pid in sorted(chain.person_ids_of(event.person_id, event.changes))
            ),
            batch_size=1000,
        )
        last = events[-1]
        head.seq, head.hash, head.event_id = last.seq, last.hash, last.pk
        head.save(update_fields=["seq", "hash", "event_id"])


@contextmanager
def audit_batch() -> Iterator[None]:
    """Collect the audit events of a bulk job (an import) and append them at its end.

    The events are chained exactly as if written one by one, in the caller's transaction:
    open the batch inside that transaction. Wrap each part that may be rolled back on its
    own in `audit_batch_part`, so that its events go with it.
    """
    if _pending.get() is not None:
        yield
        return
    token = _pending.set([])
    try:
        yield
        _append(_pending.get() or [])
    finally:
        _pending.reset(token)


@contextmanager
def audit_batch_part() -> Iterator[None]:
    """Drop the pending events of a block that fails (its savepoint rolls back too)."""
    pending = _pending.get()
    mark = len(pending) if pending is not None else 0
    try:
        yield
    except BaseException:
        if pending is not None:
            del pending[mark:]
        raise


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Return {field: [old, new]} for the fields that differ."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
