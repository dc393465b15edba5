"""Sign in and sign out; recovery codes for two-factor sign-in."""

from __future__ import annotations

from typing import cast

from django.contrib.auth import login, logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from nas.accounts.decorators import verified_login_required
from nas.accounts.forms import SignInForm
from nas.accounts.models import User
from nas.accounts.two_factor import recovery_codes_count, recovery_codes_generate
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
