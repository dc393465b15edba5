"""The sign-in form: password and a code from an authenticator app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token


class SignInForm(forms.Form):
    """Check the password and the two-factor code together, revealing nothing on failure."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        "invalid": _("The username, password or code is not correct."),
        "no_device": _("Two-factor sign-in is not set up for this account. Ask an administrator."),
    }

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: Any = None
        self.device: Any = None
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        user = authenticate(self.request, username=data["username"], password=data["password"])
        if user is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not any(True for _device in devices_for_user(user, confirmed=True)):
            raise forms.ValidationError(self.error_messages["no_device"], code="no_device")
        device = match_token(user, data["otp_token"].strip())
        if device is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        self.user, self.device = user, device
        return data
