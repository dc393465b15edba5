"""Repeated failed sign-ins lock the account (django-axes), wrong two-factor codes included."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.accounts.models import User
from nas.audit.models import AuditEvent

PASSWORD = "correct horse battery staple"
LOCKED = "Signing in is locked"


@pytest.fixture
def device(db) -> TOTPDevice:
    user = User.objects.create_user(username="tester", password=PASSWORD)
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def attempt(client, password: str, otp_token: str):
    return client.post(
        reverse("accounts:sign_in"),
        {"username": "tester", "password": password, "otp_token": otp_token},
    )


def fail(client, times: int, *, password: str = "wrong password", otp_token: str = "000000"):
    return [attempt(client, password, otp_token) for _ in range(times)]


def test_the_limit_is_five_failures():
    assert settings.AXES_FAILURE_LIMIT == 5


def test_four_failures_do_not_lock(client, device):
    responses = fail(client, 4)
    assert {r.status_code for r in responses} == {200}
    response = attempt(client, PASSWORD, code(device))
    assert response.status_code == 302


def test_five_wrong_passwords_lock_the_account_and_show_the_locked_out_page(client, device):
    *_earlier, fifth = fail(client, 5)
    assert fifth.status_code == 429  # Too Many Requests
    assert LOCKED in fifth.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED).count() == 5


def test_a_right_password_with_a_wrong_code_counts_as_a_failure(client, device):
    *_earlier, fifth = fail(client, 5, password=PASSWORD, otp_token="000000")
    assert LOCKED in fifth.content.decode()
    assert AccessAttempt.objects.get(username="tester").failures_since_start == 5


def test_a_right_password_without_any_device_counts_as_a_failure(client, device):
    device.delete()
    *_earlier, fifth = fail(client, 5, password=PASSWORD)
    assert LOCKED in fifth.content.decode()


def test_a_correct_sign_in_is_refused_while_locked_out(client, device):
    fail(client, 5)
    response = attempt(client, PASSWORD, code(device))
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN).exists()


def test_signing_in_works_again_after_the_cool_off(client, device):
    fail(client, 5)
    cool_off = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    # Let the cool-off pass: the failures are now older than it.
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - dt.timedelta(seconds=1))
    response = attempt(client, PASSWORD, code(device))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_successful_sign_in_clears_the_earlier_failures(client, device):
    fail(client, 4)
    attempt(client, PASSWORD, code(device))
    client.post(reverse("accounts:sign_out"))
    responses = fail(client, 4)
    assert all(LOCKED not in r.content.decode() for r in responses)


def test_the_lockout_is_per_account(client, device):
    fail(client, 5)
    User.objects.create_user(username="colleague", password=PASSWORD)
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "colleague", "password": "wrong", "otp_token": "000000"},
    )
    assert LOCKED not in response.content.decode()


def test_the_admin_has_no_sign_in_of_its_own_and_sends_everyone_to_ours(client, db):
    """One way in: the admin's sign-in page redirects, so it never checks a password."""
    response = client.post(reverse("admin:login"), {"username": "0" * 1000, "password": " "})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))
    assert not AccessAttempt.objects.exists()


def test_a_huge_username_on_our_sign_in_is_refused_before_any_lookup(client, db):
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "0" * 1000, "password": " ", "otp_token": "123456"},
    )
    assert response.status_code == 200
    assert not AccessAttempt.objects.exists()
