"""Every page carries the security headers; signed-in pages are never cached."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.accounts.models import User

PASSWORD = "correct horse battery staple"


@pytest.fixture
def signed_in(client, db):
    """A client signed in through the sign-in page, with password and code."""
    user = User.objects.create_user(username="tester", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "tester", "password": PASSWORD, "otp_token": code},
    )
    assert response.status_code == 302
    return client, response


def assert_security_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in csp.split(";") if part.strip()
    )
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_the_sign_in_page_carries_the_security_headers(client, db):
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]


def test_the_home_page_carries_the_security_headers_and_is_not_cached(signed_in):
    client, _response = signed_in
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_session_and_csrf_cookies_are_http_only_and_same_site(signed_in):
    _client, response = signed_in
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    # Ends with the browser; the server ends it sooner when idle (test_idle_timeout).
    assert session["max-age"] == ""
    csrf = response.cookies["csrftoken"]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
