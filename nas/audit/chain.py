"""The hash chain of the audit log: how an entry's hash is computed.

Each entry's hash is the SHA-256 of a canonical JSON document holding its own recorded
fields and the hash of the entry before it (`prev_hash`). Changing, removing or moving an
entry therefore breaks the chain at that point, which `manage.py audit_verify` reports.

The hash is not keyed: someone able to write to the database could rewrite every later
hash as well. Recording the head of the chain outside the database (`audit_verify` prints
it) makes such a rewrite detectable too; see docs/operations.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

# The `prev_hash` of the first entry.
GENESIS_HASH = "0" * 64

# The version of the canonical form; part of every hash so the form can change later.
CHAIN_FORMAT = 1

# The recorded fields covered by the hash (the row id is not: it is assigned by the
# database after the hash is computed; `seq`, the gap-free position in the chain, is).
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "kind",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "changes",
    "reason",
    "prev_hash",
)


def _canonical_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical_json(fields: dict[str, Any]) -> bytes:
    """Return the canonical JSON of an entry's hashed FIELDS (keys of HASHED_FIELDS)."""
    document = {name: fields[name] for name in HASHED_FIELDS}
    document["occurred_at"] = _canonical_time(fields["occurred_at"])
    document["format"] = CHAIN_FORMAT
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )
    return text.encode("ascii")


def entry_hash(fields: dict[str, Any]) -> str:
    """Return the hex SHA-256 of the canonical JSON of FIELDS."""
    return hashlib.sha256(canonical_json(fields)).hexdigest()


def person_ids_of(person_id: int | None, changes: Any) -> set[int]:
    """Return the ids of the persons an entry concerns: its person and `changes["person_ids"]`.

    Reads that show several persons (a list, a search) record their ids in
    `changes["person_ids"]`; the auditor's "who has accessed this person" finds them too.
    """
    ids = {person_id} if person_id is not None else set()
    listed = changes.get("person_ids") if isinstance(changes, dict) else None
    if isinstance(listed, list):
        ids.update(item for item in listed if isinstance(item, int) and not isinstance(item, bool))
    return ids
