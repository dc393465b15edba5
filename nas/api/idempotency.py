"""Submissions with an `Idempotency-Key`: one referral per key, however often it is sent.

The key is stored in the same transaction as the referral, under a unique constraint on
(organisation, key), and it is written first: a second request with the same key, even one
that arrives while the first is still running, waits on that row (PostgreSQL) or on the
write lock (SQLite) and, once the first commits, fails to insert it, rolls back everything
it did, and answers with the first request's stored answer. A key sent again with a
different body is refused (422): it names another submission.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nas.api.errors import IdempotencyKeyReused
from nas.api.models import IdempotencyKey
from nas.referrals.models import Organisation, Referral

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"  # visible ASCII, no spaces, at most 255 characters


@dataclass(frozen=True)
class Answer:
    """The answer to a submission: its status and body, and whether it is a replay."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def check_key(key: str) -> str:
    """Return KEY if it is a well-formed idempotency key; refuse it otherwise (400)."""
    if not re.fullmatch(KEY_PATTERN, key):
        raise serializers.ValidationError(
            {HEADER: [_("Give at most 255 visible ASCII characters, without spaces.")]}
        )
    return key


def fingerprint(data: dict[str, Any]) -> str:
    """Return a hash of the validated submission DATA, independent of key order."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _replay(stored: IdempotencyKey, print_: str) -> Answer:
    if stored.fingerprint != print_:
        raise IdempotencyKeyReused()
    if stored.response_status is None or stored.response_body is None:
        # Empty only inside the transaction that writes it, which no other request sees.
        raise RuntimeError(f"idempotency key {stored.pk} has no stored answer")
    return Answer(stored.response_status, stored.response_body, replayed=True)


def _stored(organisation: Organisation, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(organisation=organisation, key=key).first()


def submit_once(
    *,
    organisation: Organisation,
    key: str,
    data: dict[str, Any],
    submit: Callable[[], Referral],
    answer: Callable[[Referral], Answer],
) -> Answer:
    """Run SUBMIT once per (ORGANISATION, KEY) and return its ANSWER, or the stored one."""
    print_ = fingerprint(data)
    stored = _stored(organisation, key)
    if stored is not None:
        return _replay(stored, print_)
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                organisation=organisation, key=key, fingerprint=print_
            )
            referral = submit()
            result = answer(referral)
            record.referral = referral
            record.response_status = result.status
            record.response_body = result.body
            record.save(update_fields=["referral", "response_status", "response_body"])
    except IntegrityError:
        # Another request with this key committed first: everything above was rolled back.
        stored = _stored(organisation, key)
        if stored is None:
            raise
        return _replay(stored, print_)
    return result
