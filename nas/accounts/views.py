"""Sign in and sign out; recovery codes for two-factor sign-in."""

from __future__ import annotations

import base64
import time
from typing import cast

from django.contrib import messages
from django.contrib.auth import login, logout, user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from nas.accounts.decorators import verified_login_required
from nas.accounts.forms import EnrolForm, SignInForm
from nas.accounts.models import User
from nas.accounts.two_factor import (
    enrolment_device,
    enrolment_is_open,
    recovery_codes_count,
    recovery_codes_generate,
    two_factor_enrol,
)
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in with a password and a two-factor code."""
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        with transaction.atomic():
            if form.is_valid() and form.enrol:
                return _start_enrolment(request, form.user)
            if form.is_valid():
                login(request, form.user)
                otp_login(request, form.device)
                audit_log(actor=form.user, kind=AuditEvent.Kind.SIGN_IN, action="account.sign_in")
                target = request.POST.get("next") or request.GET.get("next") or ""
                if not url_has_allowed_host_and_scheme(
                    target, {request.get_host()}, request.is_secure()
                ):
                    target = "home"
                return redirect(target)
            audit_log(
                actor=f"anonymous ({_attempted_username(request)})",
                kind=AuditEvent.Kind.SIGN_IN_FAILED,
                action="account.sign_in_failed",
            )
    return render(
        request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")}
    )


def _attempted_username(request: HttpRequest) -> str:
    """Return the username a failed sign-in gave, fit for the audit log (no control bytes)."""
    given = request.POST.get("username", "")[:100]
    return "".join(char for char in given if char.isprintable())


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out."""
    if request.user.is_authenticated:
        audit_log(actor=request.user, kind=AuditEvent.Kind.SIGN_OUT, action="account.sign_out")
    logout(request)
    return redirect("accounts:sign_in")


@never_cache
@require_http_methods(["GET", "POST"])
@verified_login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show how many recovery codes are left; on POST, replace them and show the new ones once."""
    user = cast(User, request.user)  # verified_login_required let only a signed-in user in
    codes = recovery_codes_generate(acting_user=user) if request.method == "POST" else None
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "remaining": recovery_codes_count(user)},
    )


# A password checked for setting up the app is good for this long on the set-up page.
ENROLMENT_SESSION_SECONDS = 10 * 60
_ENROLMENT_KEY = "nas_two_factor_enrolment"


def _start_enrolment(request: HttpRequest, user: User) -> HttpResponse:
    """Remember, for a few minutes and without signing in, who is setting up the app."""
    request.session.cycle_key()
    request.session[_ENROLMENT_KEY] = {"user": user.pk, "at": time.time()}
    audit_log(actor=user, kind=AuditEvent.Kind.SIGN_IN, action="account.two_factor_setup_started")
    return redirect("accounts:two_factor_setup")


def _enrolling_user(request: HttpRequest) -> User | None:
    pending = request.session.get(_ENROLMENT_KEY) or {}
    if time.time() - float(pending.get("at", 0)) > ENROLMENT_SESSION_SECONDS:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return user if user is not None and enrolment_is_open(user) else None


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app after a password check, then sign in with its code."""
    user = _enrolling_user(request)
    if user is None:
        request.session.pop(_ENROLMENT_KEY, None)
        messages.info(request, _("Sign in with your password to set up two-factor sign-in."))
        return redirect("accounts:sign_in")
    device = enrolment_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor_enrol(user=user, device=device, code=form.cleaned_data["otp_token"]):
            request.session.pop(_ENROLMENT_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            audit_log(actor=user, kind=AuditEvent.Kind.SIGN_IN, action="account.sign_in")
            messages.success(request, _("Two-factor sign-in is set up. Keep your phone safe."))
            return redirect("accounts:recovery_codes")
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        form.add_error(
            "otp_token",
            _(
                "The code is not correct. Check that the phone's clock is right "
                "and try the newest code."
            ),
        )
    secret = base64.b32encode(bytes(device.bin_key)).decode("ascii")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "config_url": device.config_url,
        },
    )
