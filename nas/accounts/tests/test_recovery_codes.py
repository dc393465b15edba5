"""Recovery codes: made by a signed-in user, shown once, each good for one sign-in."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.accounts.models import User
from nas.accounts.two_factor import (
    RECOVERY_CODE_COUNT,
    recovery_codes_count,
    recovery_codes_generate,
)
from nas.audit.models import AuditEvent

PASSWORD = "correct horse battery staple"
URL = "accounts:recovery_codes"


@pytest.fixture
def user(db) -> User:
    user = User.objects.create_user(username="tester", password=PASSWORD)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def sign_in_verified(client, user) -> None:
    """Sign USER in as if they had given their password and a two-factor code."""
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def sign_in_with(client, otp_token: str):
    return client.post(
        reverse("accounts:sign_in"),
        {"username": "tester", "password": PASSWORD, "otp_token": otp_token},
    )


def test_it_makes_ten_different_codes_and_audits_it_without_the_codes(user):
    codes = recovery_codes_generate(acting_user=user)
    assert len(codes) == len(set(codes)) == RECOVERY_CODE_COUNT == 10
    assert not any(code.isdigit() for code in codes)
    assert recovery_codes_count(user) == 10
    event = AuditEvent.objects.get(action="account.recovery_codes_generate")
    assert event.actor == user
    assert not any(code in str(event.changes) for code in codes)


def test_new_codes_replace_the_old_ones(user):
    old = recovery_codes_generate(acting_user=user)
    new = recovery_codes_generate(acting_user=user)
    assert StaticDevice.objects.filter(user=user).count() == 1
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)


def test_a_recovery_code_signs_in_once(client, user):
    code = recovery_codes_generate(acting_user=user)[0]
    response = sign_in_with(client, code.upper()[:4] + " " + code[4:])
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert recovery_codes_count(user) == 9
    client.post(reverse("accounts:sign_out"))
    response = sign_in_with(client, code)
    assert "The username, password or code is not correct." in response.content.decode()


def test_another_users_recovery_code_does_not_work(client, user):
    other = User.objects.create_user(username="other", password=PASSWORD)
    code = recovery_codes_generate(acting_user=other)[0]
    response = sign_in_with(client, code)
    assert response.status_code == 200
    assert recovery_codes_count(other) == 10


def test_the_page_shows_new_codes_once(client, user):
    sign_in_verified(client, user)
    page = client.get(reverse(URL)).content.decode()
    assert "You have 0 unused recovery codes." in page
    response = client.post(reverse(URL))
    page = response.content.decode()
    codes = list(StaticToken.objects.values_list("token", flat=True))
    assert len(codes) == 10
    assert all(f"<code>{code}</code>" in page for code in codes)
    assert "no-store" in response["Cache-Control"]
    later = client.get(reverse(URL)).content.decode()
    assert "You have 10 unused recovery codes." in later
    assert not any(code in later for code in codes)


def test_the_page_is_only_for_a_user_signed_in_with_two_factors(client, user):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    client.force_login(user)  # password only
    assert client.post(reverse(URL)).status_code == 302
    assert not StaticToken.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_the_page_refuses_other_methods(client, user, method):
    sign_in_verified(client, user)
    assert getattr(client, method)(reverse(URL)).status_code == 405
