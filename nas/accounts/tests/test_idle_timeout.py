"""A session ends after SESSION_COOKIE_AGE without activity; activity keeps it alive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.accounts.models import User

IDLE = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
SECOND = dt.timedelta(seconds=1)


@contextmanager
def later(delta: dt.timedelta) -> Iterator[None]:
    """Run the block as if DELTA had passed (the session store reads timezone.now)."""
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() + delta):
        yield


@pytest.fixture
def client_signed_in(client, db):
    user = User.objects.create_user(username="tester", password="irrelevant-password")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.get(reverse("home")).status_code == 200
    return client


def is_signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_the_default_idle_timeout_is_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.NAS_SESSION_RENEW_SECONDS == 60


def _expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_page_within_a_minute_of_the_last_renewal_writes_no_session(client_signed_in):
    before = _expiry(client_signed_in)
    with later(30 * SECOND), CaptureQueriesContext(connection) as queries:
        assert is_signed_in(client_signed_in)
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert _expiry(client_signed_in) == before


def test_a_page_a_minute_after_the_last_renewal_moves_the_expiry_on(client_signed_in):
    before = _expiry(client_signed_in)
    with later(61 * SECOND):
        assert is_signed_in(client_signed_in)
    assert _expiry(client_signed_in) - before >= 60 * SECOND


def test_signing_out_is_not_undone_by_the_renewal(client_signed_in):
    key = client_signed_in.session.session_key
    with later(5 * 60 * SECOND):
        client_signed_in.post(reverse("accounts:sign_out"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not is_signed_in(client_signed_in)


def test_the_session_ends_after_the_idle_timeout(client_signed_in):
    with later(IDLE + SECOND):
        assert not is_signed_in(client_signed_in)
        response = client_signed_in.get(reverse("home"))
        assert response.url.startswith(reverse("accounts:sign_in"))


def test_the_session_lasts_until_just_before_the_idle_timeout(client_signed_in):
    with later(IDLE - 5 * SECOND):
        assert is_signed_in(client_signed_in)


def test_activity_extends_the_session(client_signed_in):
    with later(IDLE * 2 / 3):
        assert is_signed_in(client_signed_in)
    # Longer than the timeout since signing in, but not since the last request.
    with later(IDLE * 4 / 3):
        assert is_signed_in(client_signed_in)
    with later(IDLE * 7 / 3 + SECOND):
        assert not is_signed_in(client_signed_in)


def test_the_stored_session_expires_at_the_idle_timeout(client_signed_in):
    session = Session.objects.get(session_key=client_signed_in.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert IDLE - 10 * SECOND < remaining <= IDLE
