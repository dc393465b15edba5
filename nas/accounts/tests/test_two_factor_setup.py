"""Setting up the authenticator app: only in a window an administrator opened, never alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.accounts.models import User
from nas.accounts.two_factor import two_factor_enrolment_open
from nas.audit.models import AuditEvent
from nas.common import testing
from nas.common.errors import DomainError

PASSWORD = "a long enough password for the tests"


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def newcomer(db, administrator) -> User:
    user = testing.make_user("newcomer", role="caseworker", office="helsinki")
    user.set_password(PASSWORD)
    user.save()
    two_factor_enrolment_open(acting_user=administrator, user=user)
    return user


def sign_in(client, username: str = "newcomer", code: str = ""):
    return client.post(
        reverse("accounts:sign_in"), {"username": username, "password": PASSWORD, "otp_token": code}
    )


def test_a_new_user_sets_up_the_app_and_is_signed_in_with_its_first_code(client, newcomer):
    response = sign_in(client)
    assert response.url == reverse("accounts:two_factor_setup")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet

    page = client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    assert "otpauth://" in page.content.decode()
    response = client.post(reverse("accounts:two_factor_setup"), {"otp_token": code_of(device)})

    assert response.url == reverse("accounts:recovery_codes")
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    newcomer.refresh_from_db()
    assert device.confirmed and newcomer.two_factor_enrol_until is None
    assert AuditEvent.objects.filter(actor=newcomer, action="account.two_factor_enrolled").exists()


def test_a_wrong_first_code_is_refused_and_sets_up_nothing(client, newcomer):
    sign_in(client)
    client.get(reverse("accounts:two_factor_setup"))
    response = client.post(reverse("accounts:two_factor_setup"), {"otp_token": "000000"})

    assert response.status_code == 200
    assert "The code is not correct." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()
    assert client.get(reverse("home")).status_code == 302


def test_without_an_open_window_a_user_without_the_app_cannot_sign_in(client, db):
    user = testing.make_user("nowindow", role="caseworker", office="helsinki")
    user.set_password(PASSWORD)
    user.save()
    response = sign_in(client, "nowindow")
    assert "Two-factor sign-in is not set up for this account" in response.content.decode()


def test_an_expired_window_is_closed(client, newcomer):
    User.objects.filter(pk=newcomer.pk).update(
        two_factor_enrol_until=timezone.now() - dt.timedelta(seconds=1)
    )
    response = sign_in(client)
    assert "Two-factor sign-in is not set up for this account" in response.content.decode()


def test_a_wrong_password_never_reaches_the_set_up(client, newcomer):
    response = client.post(
        reverse("accounts:sign_in"), {"username": "newcomer", "password": "wrong", "otp_token": ""}
    )
    assert "The username, password or code is not correct." in response.content.decode()
    assert client.get(reverse("accounts:two_factor_setup")).url == reverse("accounts:sign_in")


def test_a_user_who_has_the_app_must_give_a_code(client, newcomer):
    TOTPDevice.objects.create(user=newcomer, name="app", confirmed=True)
    response = sign_in(client)  # an empty code
    assert "The username, password or code is not correct." in response.content.decode()


def test_the_set_up_page_without_a_password_check_sends_to_sign_in(client, db):
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.url == reverse("accounts:sign_in")


def test_a_reset_removes_the_old_devices_and_is_audited(administrator, caseworker_helsinki):
    TOTPDevice.objects.create(user=caseworker_helsinki, name="old phone", confirmed=True)
    two_factor_enrolment_open(acting_user=administrator, user=caseworker_helsinki)
    assert not TOTPDevice.objects.filter(user=caseworker_helsinki).exists()
    assert caseworker_helsinki.two_factor_enrol_until > timezone.now()
    testing.assert_audited("account.two_factor_reset", administrator, caseworker_helsinki)


def test_nobody_resets_their_own_two_factor(administrator):
    with pytest.raises(DomainError, match="You cannot reset your own two-factor sign-in"):
        two_factor_enrolment_open(acting_user=administrator, user=administrator)


def test_only_an_administrator_resets_two_factor(caseworker_helsinki, caseworker_tampere):
    with pytest.raises(DomainError, match="Only an administrator can reset"):
        two_factor_enrolment_open(acting_user=caseworker_tampere, user=caseworker_helsinki)
