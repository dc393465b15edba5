"""Spam protection of the public forms, without a third-party CAPTCHA.

Two checks that cost a person nothing:

- a honeypot: a text field hidden by the stylesheet (nas/portal/static/portal/portal.css),
  which people never see and so leave empty, and form-filling programs fill in;
- a signed timestamp of when the form was shown: a form sent back within MIN_SECONDS was
  not filled in by a person, and one older than MAX_SECONDS is stale (a replayed page).
  The signature (Django's signing, under SECRET_KEY) keeps a program from making its own.

A refused form stores nothing and says politely what to do; the public form also offers
the helpline. The rate limit of the view is the third line of defence.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
MIN_SECONDS = 3
MAX_SECONDS = 24 * 60 * 60
SPAM = "spam"  # the code of a refusal by these checks
_SALT = "nas.portal.spam.started"


# The polite refusals.
NOT_ACCEPTED = _("The form could not be sent. Please send it again, or call the helpline.")
TOO_FAST = _(
    "The form was sent faster than a person can fill it in. "
    "Please check your answers and send it again."
)
TOO_OLD = _("The form was open for a very long time. Please check your answers and send it again.")


def started_token(at: float | None = None) -> str:
    """Return the signed time (now unless AT, in seconds since the epoch) a form was shown."""
    return signing.dumps(time.time() if at is None else at, salt=_SALT)


def started_age(token: str) -> float | None:
    """Return how many seconds ago the form of TOKEN was shown, or None for a forged token."""
    try:
        started = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(started, int | float):
        return None
    return time.time() - float(started)


class SpamProtectedForm(forms.Form):
    """A form with the honeypot and the signed timestamp; clean() refuses what fails them."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[STARTED_FIELD].initial = started_token()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        message = self._refusal(data)
        if message is not None:
            if message != TOO_FAST:
                self._renew_started()
            raise forms.ValidationError(message, code=SPAM)
        return data

    def _renew_started(self) -> None:
        """Give a stale or forged form a fresh time, so that sending it again works."""
        key, token = self.add_prefix(STARTED_FIELD), started_token()
        if isinstance(self.data, QueryDict):
            data = self.data.copy()
            data[key] = token
            self.data = data
        else:
            self.data = {**self.data, key: token}

    def _refusal(self, data: dict[str, Any]) -> Any:
        if data.get(HONEYPOT_FIELD):
            return NOT_ACCEPTED
        age = started_age(data.get(STARTED_FIELD) or "")
        if age is None:
            return NOT_ACCEPTED
        if age < MIN_SECONDS:
            return TOO_FAST
        if age > MAX_SECONDS:
            return TOO_OLD
        return None

    def is_spam(self) -> bool:
        """Return whether clean() refused the form as spam (call is_valid() first)."""
        return self.has_error(NON_FIELD_ERRORS, code=SPAM)

    def visible_fields(self) -> list[forms.BoundField]:
        """The fields a person fills in: not the honeypot (the template renders it apart)."""
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]
