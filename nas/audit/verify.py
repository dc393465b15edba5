"""Check the audit log's hash chain, entry by entry in id order, without loading it whole."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nas.audit import chain
from nas.audit.models import AuditChainHead, AuditEvent, AuditEventPerson

CHUNK_SIZE = 2000

_COLUMNS = ("id", "hash", *chain.HASHED_FIELDS)


@dataclass(frozen=True)
class ChainBreak:
    """The first place where the chain is broken: the entry and what is wrong with it."""

    event_id: int | None
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry id {self.event_id}" if self.event_id is not None else "the log"
        position = f" (chain position {self.seq})" if self.seq is not None else ""
        return f"{where}{position}: {self.problem}"


@dataclass(frozen=True)
class ChainState:
    """How far the walk got: entries checked, and the last one's position and hash."""

    checked: int = 0
    seq: int = 0
    hash: str = chain.GENESIS_HASH
    event_id: int | None = None


Progress = Callable[[int, int], None]


def verify_chain(
    *, chunk_size: int = CHUNK_SIZE, progress: Progress | None = None
) -> tuple[ChainState, ChainBreak | None]:
    """Walk the log in id order; return how far it got and the first break, if any.

    The head is read first: entries appended while the walk runs are checked too, and the
    entry at the head's position must carry the head's hash.
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    total = AuditEvent.objects.count()
    state = ChainState()
    while rows := _chunk(after_id=state.event_id, size=chunk_size):
        links = _person_links([row["id"] for row in rows])
        for row in rows:
            broken = _check(row, state, links.get(row["id"], set())) or _check_at_head(row, head)
            if broken is not None:
                return state, broken
            state = ChainState(state.checked + 1, row["seq"], row["hash"], row["id"])
        if progress is not None:
            progress(state.checked, max(total, state.checked))
    return state, _check_end(state, head)


def _chunk(*, after_id: int | None, size: int) -> list[dict[str, Any]]:
    """Return the next SIZE entries after AFTER_ID, in id order (keyset pagination)."""
    entries = AuditEvent.objects.order_by("id")
    if after_id is not None:
        entries = entries.filter(id__gt=after_id)
    return list(entries.values(*_COLUMNS)[:size])


def _person_links(event_ids: list[int]) -> dict[int, set[int]]:
    links: dict[int, set[int]] = defaultdict(set)
    pairs = AuditEventPerson.objects.filter(event_id__in=event_ids).values_list(
        "event_id", "person_id"
    )
    for event_id, person_id in pairs:
        links[event_id].add(person_id)
    return links


def _check(row: dict[str, Any], state: ChainState, links: set[int]) -> ChainBreak | None:
    """Return what is wrong with ROW, coming after STATE, or None."""
    if chain.entry_hash(row) != row["hash"]:
        return ChainBreak(row["id"], row["seq"], "altered: its content does not match its hash")
    expected = state.seq + 1
    if row["seq"] != expected:
        return _misplaced(row, expected)
    if row["prev_hash"] != state.hash:
        previous = f"entry id {state.event_id}" if state.event_id else "the start of the log"
        return ChainBreak(
            row["id"],
            row["seq"],
            f"its link to the previous entry is broken: {previous} was altered and re-hashed",
        )
    if links != chain.person_ids_of(row["person_id"], row["changes"]):
        return ChainBreak(
            row["id"], row["seq"], "its index of persons was altered (rows added or removed)"
        )
    return None


def _misplaced(row: dict[str, Any], expected: int) -> ChainBreak:
    """Explain an entry found where chain position EXPECTED should be."""
    elsewhere = AuditEvent.objects.filter(seq=expected).values_list("id", flat=True).first()
    if elsewhere is not None:
        problem = (
            f"out of order: it is chain position {row['seq']} but position {expected} "
            f"was expected here; that entry is stored as id {elsewhere} (reordered)"
        )
    elif row["seq"] > expected:
        missing = row["seq"] - expected
        problem = (
            f"{missing} entr{'y' if missing == 1 else 'ies'} before it "
            f"(chain positions {expected} to {row['seq'] - 1}) were deleted"
        )
    else:
        problem = f"out of order: chain position {row['seq']} appears again after {expected - 1}"
    return ChainBreak(row["id"], row["seq"], problem)


def _check_at_head(row: dict[str, Any], head: AuditChainHead | None) -> ChainBreak | None:
    if head is None or row["seq"] != head.seq or row["hash"] == head.hash:
        return None
    return ChainBreak(
        row["id"], row["seq"], f"it does not match the head of the chain (hash {head.hash})"
    )


def _check_end(state: ChainState, head: AuditChainHead | None) -> ChainBreak | None:
    """Find entries deleted from the end of the log: the head records more than were found."""
    if head is None:
        if state.checked == 0:
            return None
        return ChainBreak(state.event_id, state.seq, "the head of the chain is missing")
    if state.seq >= head.seq:
        return None
    missing = head.seq - state.seq
    where = f"after entry id {state.event_id}" if state.event_id else "every entry"
    return ChainBreak(
        state.event_id,
        state.seq,
        f"{missing} entr{'y' if missing == 1 else 'ies'} at the end of the log ({where}) "
        f"were deleted: the head of the chain records {head.seq}",
    )


def check_anchor(*, seq: int, expected_hash: str) -> ChainBreak | None:
    """Check that the entry at chain position SEQ still has the hash recorded for it earlier."""
    found = AuditEvent.objects.filter(seq=seq).values_list("id", "hash").first()
    if found is None:
        return ChainBreak(None, seq, "the recorded entry is missing")
    if found[1] != expected_hash.strip().lower():
        return ChainBreak(
            found[0], seq, "its hash differs from the one recorded earlier: the log was rewritten"
        )
    return None
