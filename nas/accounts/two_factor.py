"""Two-factor sign-in: check a code against a user's devices, and make recovery codes.

The authenticator app (TOTP) is the everyday second factor; recovery codes (django-otp's
static device) stand in for it when the phone is lost, each code once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.accounts.models import User
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common.validation import refuse

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
_SEPARATORS = re.compile(r"[\s-]+")


def normalise_code(code: str) -> str:
    """Return CODE as stored: without spaces or hyphens, in lower case."""
    return _SEPARATORS.sub("", code).lower()


def has_confirmed_device(user: User) -> bool:
    """Return whether USER can give a second factor at all."""
    return any(True for _device in devices_for_user(user, confirmed=True))


def second_factor_verify(user: User, code: str) -> Any:
    """Return the device of USER that accepts CODE (consuming a recovery code), or None.

    An app code is all digits and a recovery code never is, so a code is tried only on the
    devices of its kind: a recovery code does not count as a failure against the app.
    """
    code = normalise_code(code)
    if not code:
        return None
    wants_static = not code.isdigit()
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if isinstance(device, StaticDevice) is wants_static and device.verify_token(code):
                return device
    return None


def _new_code() -> str:
    """Return a random recovery code that is not all digits (those are app codes)."""
    while True:
        code: str = StaticToken.random_token()
        if not code.isdigit():
            return code


def recovery_codes_count(user: User) -> int:
    """Return how many unused recovery codes USER has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def recovery_codes_generate(*, acting_user: User) -> list[str]:
    """Replace ACTING_USER's recovery codes with new ones and return them (shown once)."""
    replaced = recovery_codes_count(acting_user)
    StaticDevice.objects.filter(user=acting_user).delete()
    device = StaticDevice.objects.create(
        user=acting_user, name=RECOVERY_DEVICE_NAME, confirmed=True
    )
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    # The codes themselves are secrets: the audit event records only how many.
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action="account.recovery_codes_generate",
        target=acting_user,
        changes={"recovery_codes": [replaced, len(codes)]},
    )
    return codes


# --- setting up the authenticator app ---------------------------------------------------

ENROLMENT_DAYS = 7
APP_DEVICE_NAME = "authenticator app"


def enrolment_is_open(user: User) -> bool:
    """Return whether USER may set up two-factor sign-in now, with their password alone."""
    until = user.two_factor_enrol_until
    return until is not None and until > timezone.now() and not has_confirmed_device(user)


@transaction.atomic
def two_factor_enrolment_open(*, acting_user: User, user: User) -> User:
    """Let USER set up a new authenticator app within a week; their old devices stop working.

    For a new account, or for a user who lost their phone. Nobody opens it for themselves:
    that would let a stolen password replace the second factor.
    """
    if user.pk == acting_user.pk:
        raise refuse(_("You cannot reset your own two-factor sign-in; ask another administrator."))
    if not acting_user.has_perm("accounts.change_user"):
        raise refuse(_("Only an administrator can reset two-factor sign-in."))
    removed = [d.persistent_id for d in devices_for_user(user, confirmed=None)]
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.two_factor_enrol_until = timezone.now() + dt.timedelta(days=ENROLMENT_DAYS)
    user.save(update_fields=["two_factor_enrol_until"])
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action="account.two_factor_reset",
        target=user,
        changes={"devices_removed": removed, "enrol_until": user.two_factor_enrol_until},
    )
    return user


def enrolment_device(user: User) -> TOTPDevice:
    """Return the unconfirmed authenticator device USER is setting up, creating it once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def two_factor_enrol(*, user: User, device: TOTPDevice, code: str) -> bool:
    """Confirm DEVICE with a first code from the app; return whether the code was right."""
    if not enrolment_is_open(user) or device.user_id != user.pk or device.confirmed:
        return False
    if not device.verify_token(normalise_code(code)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user.two_factor_enrol_until = None
    user.save(update_fields=["two_factor_enrol_until"])
    audit_log(
        actor=user,
        kind=AuditEvent.Kind.UPDATE,
        action="account.two_factor_enrolled",
        target=user,
        changes={"device": device.persistent_id},
    )
    return True
