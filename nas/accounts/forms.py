"""Forms of accounts: sign-in with a password and a second factor, and recovery codes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nas.accounts.two_factor import (
    enrolment_is_open,
    has_confirmed_device,
    second_factor_verify,
)


class OneTimeCodeInput(forms.TextInput):
    """A text input that never puts the code back into the page of a rejected form."""

    def format_value(self, value: Any) -> str | None:
        return None


class SignInForm(forms.Form):
    """Check the password and the two-factor code together, revealing nothing on failure."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    otp_token = forms.CharField(
        label=_("Code"),
        help_text=_(
            "The six digits from your authenticator app, or one of your recovery codes. "
            "Setting up two-factor sign-in for the first time? Leave it empty."
        ),
        max_length=32,
        required=False,
        widget=OneTimeCodeInput,
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
        # Set when the password is right and the user may now set up the authenticator app.
        self.enrol = False
        self.fields["username"].widget.attrs.update(
            {
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.fields["otp_token"].widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        # django-axes refuses a locked-out account here and counts a wrong password.
        user = authenticate(self.request, username=data["username"], password=data["password"])
        if user is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not has_confirmed_device(user):
            if enrolment_is_open(user):
                self.user, self.enrol = user, True
                return data
            self._second_factor_failed(data["username"])
            raise forms.ValidationError(self.error_messages["no_device"], code="no_device")
        device = second_factor_verify(user, data["otp_token"])
        if device is None:
            self._second_factor_failed(data["username"])
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        self.user, self.device = user, device
        return data

    def _second_factor_failed(self, username: str) -> None:
        """Count a right password without a right code as a failed sign-in (django-axes)."""
        user_login_failed.send(
            sender=__name__, credentials={"username": username}, request=self.request
        )


class EnrolForm(forms.Form):
    """The first code from a newly set up authenticator app."""

    otp_token = forms.CharField(
        label=_("Code from the app"),
        help_text=_("The six digits the app shows for this account now."),
        max_length=32,
        widget=OneTimeCodeInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
