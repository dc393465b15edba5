"""Sign-in needs the password and a current code from the authenticator app."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.accounts.models import User
from nas.audit.models import AuditEvent

PASSWORD = "correct horse battery staple"


@pytest.fixture
def user_with_device(db) -> tuple[User, TOTPDevice]:
    user = User.objects.create_user(username="tester", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user, device


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_it_signs_in_with_password_and_code_and_audits_it(client, user_with_device):
    user, device = user_with_device
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "tester", "password": PASSWORD, "otp_token": current_code(device)},
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(actor=user, kind="sign_in").count() == 1


def test_it_refuses_a_wrong_code_without_saying_which_part_was_wrong(client, user_with_device):
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "tester", "password": PASSWORD, "otp_token": "000000"},
    )
    assert response.status_code == 200
    assert "The username, password or code is not correct." in response.content.decode()
    assert response.context["form"]["username"].value() == "tester"
    assert AuditEvent.objects.filter(kind="sign_in_failed").count() == 1
    assert client.get(reverse("home")).status_code == 302


def test_it_refuses_a_wrong_password(client, user_with_device):
    _user, device = user_with_device
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "tester", "password": "wrong", "otp_token": current_code(device)},
    )
    assert "The username, password or code is not correct." in response.content.decode()


def test_it_refuses_an_account_without_two_factor(client, db):
    User.objects.create_user(username="nodevice", password=PASSWORD)
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "nodevice", "password": PASSWORD, "otp_token": "123456"},
    )
    assert "Two-factor sign-in is not set up for this account" in response.content.decode()


def test_a_password_only_session_does_not_reach_the_home_page(client, user_with_device):
    user, _device = user_with_device
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_it_does_not_redirect_to_another_site_after_sign_in(client, user_with_device):
    _user, device = user_with_device
    response = client.post(
        reverse("accounts:sign_in") + "?next=https://evil.example/",
        {"username": "tester", "password": PASSWORD, "otp_token": current_code(device)},
    )
    assert response.url == reverse("home")


def test_signing_out_ends_the_session(client, user_with_device):
    _user, device = user_with_device
    client.post(
        reverse("accounts:sign_in"),
        {"username": "tester", "password": PASSWORD, "otp_token": current_code(device)},
    )
    client.post(reverse("accounts:sign_out"))
    assert client.get(reverse("home")).status_code == 302


def test_a_rejected_form_keeps_the_username_but_not_the_password_or_code(client, user_with_device):
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "tester", "password": PASSWORD, "otp_token": "123456"},
    )
    page = response.content.decode()
    assert 'value="tester"' in page
    assert PASSWORD not in page
    assert "123456" not in page


def test_the_fields_tell_the_browser_and_password_managers_what_they_are(client, db):
    page = client.get(reverse("accounts:sign_in")).content.decode()
    assert 'name="username"' in page and 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert 'autocomplete="one-time-code"' in page
    # The hint under the code field is announced with it.
    assert 'aria-describedby="id_otp_token_helptext"' in page
    assert 'id="id_otp_token_helptext"' in page


def test_a_rejected_form_points_each_field_to_its_error(client, db):
    response = client.post(reverse("accounts:sign_in"), {"username": "tester"})
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_password"' in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_password_error"' in page
    # The code may be left empty: a new user does so to set up the app (then checked in clean).
    assert response.context["form"].errors.keys() == {"password"}


@pytest.mark.parametrize("username", ["\x00", "a\x00b", "x" * 5000, "\u202e\x07name"])
def test_a_malformed_username_is_refused_and_audited_without_control_bytes(client, db, username):
    response = client.post(
        reverse("accounts:sign_in"), {"username": username, "password": "p", "otp_token": "1"}
    )
    assert response.status_code == 200
    label = AuditEvent.objects.get(kind="sign_in_failed").actor_label
    assert label.isprintable() and len(label) <= 150
