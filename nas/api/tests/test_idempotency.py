"""Idempotency-Key: the same key from the same organisation never makes a second referral."""

from __future__ import annotations

import copy
import threading
import time

import pytest
from django.db import connection, connections

from nas.api import idempotency, views
from nas.api.models import IdempotencyKey
from nas.api.tests.conftest import SUBMISSION, Api, make_organisation, make_token
from nas.audit.models import AuditEvent
from nas.referrals.models import Referral

URL = "/api/v1/referrals/"
KEY = "7d1c7f0e-5b7a-4c1e-9a51-0c2b6a1e9f10"


def _submit(api: Api, data=SUBMISSION, key: str = KEY):
    return api.post(URL, data, **{"Idempotency-Key": key, "Accept-Language": "en"})


def _assert_one_referral(first, second) -> None:
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Referral.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    assert AuditEvent.objects.filter(action="referral.receive").count() == 1
    assert sorted(r.get("Idempotent-Replayed", "") for r in (first, second)) == ["", "true"]


@pytest.mark.django_db
def test_the_same_key_sent_twice_returns_the_first_answer_and_makes_one_referral(api):
    first = _submit(api)
    second = _submit(api)

    _assert_one_referral(first, second)
    assert second["Location"] == first["Location"]


@pytest.mark.django_db
def test_the_replay_is_the_first_answer_even_after_the_status_changed(api):
    first = _submit(api).json()
    Referral.objects.update(status="under_assessment")
    assert _submit(api).json() == first


@pytest.mark.django_db
def test_the_same_key_from_another_organisation_is_another_submission(api):
    other = Api(make_token(make_organisation("Shelter for Victims", "shelter")))
    assert _submit(api).json()["ref"] != _submit(other).json()["ref"]
    assert Referral.objects.count() == 2


@pytest.mark.django_db
def test_a_key_reused_for_a_different_submission_is_refused_with_422(api):
    _submit(api)
    changed = copy.deepcopy(SUBMISSION)
    changed["urgency"] = "immediate_danger"

    response = _submit(api, changed)

    assert response.status_code == 422
    assert response.json() == {
        "message": "This Idempotency-Key was already used for a different submission. "
        "Use a new key for a new referral."
    }
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_submission_does_not_use_up_its_key(api):
    broken = copy.deepcopy(SUBMISSION)
    broken["person"]["date_of_birth"] = "2999-01-01"
    broken["person"]["birth_year"] = None
    assert _submit(api, broken).status_code == 400
    assert not IdempotencyKey.objects.exists()

    assert _submit(api).status_code == 201
    assert Referral.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "with space", "x" * 256, "ä"])
def test_a_malformed_key_is_refused(api, key):
    response = api.client.post(
        URL,
        SUBMISSION,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}", "Idempotency-Key": key},
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_a_request_that_loses_the_race_for_the_key_returns_the_winners_answer(api, monkeypatch):
    """The path of a concurrent duplicate, made deterministic: the winner committed between
    the loser's look-up and its insert, so the insert fails on the unique constraint."""
    first = _submit(api)
    real = idempotency._stored
    calls = []

    def stale_then_real(organisation, key):
        calls.append(key)
        return None if len(calls) == 1 else real(organisation, key)

    monkeypatch.setattr(idempotency, "_stored", stale_then_real)
    second = _submit(api)

    assert len(calls) == 2  # the stale look-up, then the one after the failed insert
    _assert_one_referral(first, second)


def _wait_until_another_session_waits_on_a_lock(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # The statistics views are a snapshot per transaction unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second request never waited for the first")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_key_sent_concurrently_creates_one_referral(monkeypatch):
    """On PostgreSQL two threads: the second request arrives while the first holds its key
    uncommitted, waits on it, and answers with the first's answer once that commits. SQLite
    serialises writers, so there the two requests are sent one after the other."""
    api = Api(make_token(make_organisation()))
    if connection.vendor != "postgresql":
        _assert_one_referral(_submit(api), _submit(api))
        return

    real_submit = views.referral_submit
    inside = threading.Event()

    def first_holds_its_key(**kwargs):
        referral = real_submit(**kwargs)
        if not inside.is_set():
            inside.set()
            _wait_until_another_session_waits_on_a_lock()
        return referral

    monkeypatch.setattr(views, "referral_submit", first_holds_its_key)
    responses = {}
    errors = []

    def send(name: str) -> None:
        try:
            responses[name] = _submit(Api(api.token))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=send, args=("second",))
    second.start()
    first.join(20)
    second.join(20)

    assert errors == []
    _assert_one_referral(responses["first"], responses["second"])
    assert responses["second"]["Idempotent-Replayed"] == "true"
