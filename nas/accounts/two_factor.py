"""Two-factor sign-in: check a code against a user's devices, and make recovery codes.

The authenticator app (TOTP) is the everyday second factor; recovery codes (django-otp's
static device) stand in for it when the phone is lost, each code once.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from nas.accounts.models import User
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log

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
