"""Demo accounts: one per role, each with a fresh password and a stable TOTP device."""

from __future__ import annotations

import secrets
from base64 import b32encode
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from nas.accounts.models import User
from nas.accounts.roles import Role
from nas.referrals.models import Organisation, ReferrerType

DEVICE_NAME = "demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    office: str | None
    first_name: str
    last_name: str
    is_staff: bool = False
    # A referrer administers the referral portal of this organisation (referrer type police).
    organisation: str | None = None


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("caseworker.helsinki", Role.CASEWORKER, "helsinki", "Helmi", "Demo"),
    DemoAccount("caseworker.tampere", Role.CASEWORKER, "tampere", "Taneli", "Demo"),
    DemoAccount("decisionmaker", Role.DECISION_MAKER, "helsinki", "Daniela", "Demo"),
    DemoAccount("statistician", Role.STATISTICIAN, None, "Stina", "Demo"),
    DemoAccount("auditor", Role.AUDITOR, None, "Aaro", "Demo"),
    DemoAccount("administrator", Role.ADMINISTRATOR, None, "Ada", "Demo", is_staff=True),
    DemoAccount(
        "referrer",
        Role.REFERRER,
        None,
        "Rafael",
        "Demo",
        organisation="Helsinki Police Department (demo)",
    ),
)


@dataclass(frozen=True)
class Credentials:
    role: str
    username: str
    password: str
    totp_secret: str


def ensure_groups() -> None:
    """Create the roles' groups, with their permissions when the accounts app defines them."""
    from nas.accounts import services

    ensure_roles = getattr(services, "ensure_roles", None)
    if ensure_roles is not None:
        ensure_roles()
    for role in Role:
        Group.objects.get_or_create(name=str(role))


def totp_secret(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps want it."""
    return b32encode(device.bin_key).decode("ascii")


@transaction.atomic
def set_up_demo_accounts() -> list[Credentials]:
    """Create or refresh the demo accounts; return their new credentials."""
    ensure_groups()
    result = []
    for spec in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(username=spec.username)
        user.first_name = spec.first_name
        user.last_name = spec.last_name
        user.office_id = spec.office
        user.is_staff = spec.is_staff
        user.is_active = True
        if spec.organisation:
            user.organisation = demo_organisation(spec.organisation)
            user.organisation_admin = True
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=str(spec.role)))
        device = TOTPDevice.objects.filter(user=user, name=DEVICE_NAME).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        elif not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        result.append(Credentials(str(spec.role), spec.username, password, totp_secret(device)))
    return result


def demo_organisation(name: str) -> Organisation:
    """Return the demo's referring organisation NAME (a police department), creating it."""
    organisation, _created = Organisation.objects.get_or_create(
        name=name, defaults={"referrer_type": ReferrerType.objects.get(code="police")}
    )
    return organisation


def demo_device(username: str) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user__username=username, name=DEVICE_NAME).first()
