"""Write accounts and the permissions of each role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nas.accounts.models import EmergencyAccess, User
from nas.accounts.roles import Role
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log, diff
from nas.common.validation import full_clean, refuse

_CASEWORK_MODELS = {
    "people": ["person"],
    "referrals": ["referral", "anonymousconsultation", "helplinecontact", "trainingevent"],
    "casework": [
        "clientperiod",
        "exploitation",
        "residencestatus",
        "reflectionperiod",
        "identification",
        "casenote",
        "task",
    ],
    "assistance": ["service"],
    "documents": ["document"],
}
_REFERENCE_MODELS = {
    "common": ["office"],
    "people": ["residencecategory", "permittype"],
    "referrals": ["referrertype", "organisation", "negativereason"],
    "casework": ["exploitationform", "laboursector", "meansofcontrol", "endreason"],
    "assistance": ["servicetype"],
}


def _model_permissions(models: dict[str, list[str]], actions: list[str]) -> list[str]:
    return [
        f"{app}.{action}_{model}"
        for app, names in models.items()
        for model in names
        for action in actions
    ]


def role_permissions() -> dict[Role, list[str]]:
    """Return the permissions (app_label.codename) that each role's group holds."""
    casework = _model_permissions(_CASEWORK_MODELS, ["view", "add", "change"])
    return {
        Role.CASEWORKER: casework,
        Role.DECISION_MAKER: casework
        + [
            "referrals.decide_admission",
            "casework.end_assistance",
            "casework.grant_reflection_period",
            "casework.identify_victim",
            "reporting.view_statistics",
        ],
        Role.STATISTICIAN: [
            "reporting.view_statistics",
            "reporting.view_internal_statistics",
            "reporting.publish_statistics",
        ],
        Role.AUDITOR: ["audit.view_auditevent"],
        Role.ADMINISTRATOR: _model_permissions(_REFERENCE_MODELS, ["view", "add", "change"])
        + ["accounts.view_user", "accounts.add_user", "accounts.change_user", "auth.view_group"],
        Role.REFERRER: [],
    }


def ensure_roles(**_kwargs: Any) -> None:
    """Create each role's group and give it exactly its permissions (run after migrate)."""
    for role, names in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=str(role))
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.append((app_label, codename))
        perms = [
            p
            for p in Permission.objects.select_related("content_type").filter(
                codename__in=[c for _a, c in wanted]
            )
            if (p.content_type.app_label, p.codename) in set(wanted)
        ]
        group.permissions.set(perms)


# ---------------------------------------------------------------------------------------
# Roles and privileges of an account
# ---------------------------------------------------------------------------------------

ROLE_CHANGE = "account.role_change"
ROLE_CHANGE_REFUSED = "account.role_change_refused"


def user_privileges(user: User) -> dict[str, Any]:
    """Return USER's roles, admin flags and individual permissions as stored now."""
    row = User.objects.filter(pk=user.pk).values_list("is_staff", "is_superuser").first()
    is_staff, is_superuser = row if row is not None else (False, False)
    return {
        "roles": sorted(user.groups.values_list("name", flat=True)) if user.pk else [],
        "is_staff": bool(is_staff),
        "is_superuser": bool(is_superuser),
        "permissions": sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
        if user.pk
        else [],
    }


def _wanted(
    current: dict[str, Any],
    roles: Iterable[str] | None,
    is_staff: bool | None,
    is_superuser: bool | None,
    permissions: Iterable[str] | None,
) -> dict[str, Any]:
    return {
        "roles": sorted({str(r) for r in roles}) if roles is not None else current["roles"],
        "is_staff": current["is_staff"] if is_staff is None else bool(is_staff),
        "is_superuser": current["is_superuser"] if is_superuser is None else bool(is_superuser),
        "permissions": sorted(set(permissions))
        if permissions is not None
        else current["permissions"],
    }


def _refusal(acting_user: Any, user: User, changes: dict[str, Any]) -> str | None:
    """Return why ACTING_USER may not make CHANGES to USER's privileges, or None."""
    if not changes:
        return None
    if not (acting_user.is_active and acting_user.has_perm("accounts.change_user")):
        return _("You may not change accounts.")
    if acting_user.pk == user.pk:
        return _("Nobody can change their own roles or privileges.")
    superuser_only = {"is_superuser", "permissions"} & set(changes) or user.is_superuser
    if superuser_only and not acting_user.is_superuser:
        return _(
            "Only a superuser can grant superuser status or individual permissions, "
            "or change the account of a superuser."
        )
    unknown = set(changes.get("roles", [[], []])[1]) - set(Role.values)
    if unknown:
        return _("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))}
    return None


def user_check_role_change(
    *,
    acting_user: Any,
    user: User,
    roles: Iterable[str] | None = None,
    is_staff: bool | None = None,
    is_superuser: bool | None = None,
    permissions: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Refuse (and audit the refusal) a change of USER's privileges ACTING_USER may not make.

    Return the changes as {field: [before, after]}. The refusal's audit event is written in
    the caller's transaction: a caller that turns the refusal into a form error keeps it.
    """
    current = user_privileges(user)
    changes = diff(current, _wanted(current, roles, is_staff, is_superuser, permissions))
    message = _refusal(acting_user, user, changes)
    if message is not None:
        with transaction.atomic():
            audit_log(
                actor=acting_user,
                kind=AuditEvent.Kind.UPDATE,
                action=ROLE_CHANGE_REFUSED,
                target=user,
                changes=changes,
                reason=message,
            )
        raise refuse(message)
    return changes


def user_set_roles(
    *,
    acting_user: Any,
    user: User,
    roles: Iterable[str],
    is_staff: bool | None = None,
    is_superuser: bool | None = None,
    permissions: Iterable[str] | None = None,
) -> User:
    """Give USER exactly ROLES (and the admin flags or permissions given), audited.

    Nobody changes their own privileges; only a superuser grants superuser status or
    individual permissions. A refusal is audited and changes nothing else.
    """
    changes = user_check_role_change(
        acting_user=acting_user,
        user=user,
        roles=roles,
        is_staff=is_staff,
        is_superuser=is_superuser,
        permissions=permissions,
    )
    if changes:
        _apply_privileges(acting_user, user, changes)
    return user


@transaction.atomic
def _apply_privileges(acting_user: Any, user: User, changes: dict[str, Any]) -> None:
    if "roles" in changes:
        user.groups.set(Group.objects.filter(name__in=changes["roles"][1]))
    if "permissions" in changes:
        user.user_permissions.set(_permissions_named(changes["permissions"][1]))
    flags = [name for name in ("is_staff", "is_superuser") if name in changes]
    for name in flags:
        setattr(user, name, changes[name][1])
    if flags:
        user.save(update_fields=flags)
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.UPDATE,
        action=ROLE_CHANGE,
        target=user,
        changes=changes,
    )


def _permissions_named(names: Iterable[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = [
        p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[codename for _app, codename in wanted]
        )
        if (p.content_type.app_label, p.codename) in wanted
    ]
    if len(found) != len(wanted):
        raise refuse(_("Unknown permission."))
    return found


# ---------------------------------------------------------------------------------------
# Emergency access ("break the glass")
# ---------------------------------------------------------------------------------------

BREAK_GLASS = "break_glass"


def break_glass_minutes() -> int:
    """Return how long an emergency access lasts (setting NAS_BREAK_GLASS_MINUTES)."""
    return int(settings.NAS_BREAK_GLASS_MINUTES)


def break_glass_reason_min_length() -> int:
    """Return the shortest reason accepted (setting NAS_BREAK_GLASS_REASON_MIN_LENGTH)."""
    return int(settings.NAS_BREAK_GLASS_REASON_MIN_LENGTH)


@transaction.atomic
def emergency_access_grant(*, acting_user: Any, client: Any, reason: str) -> EmergencyAccess:
    """Let a caseworker or decision-maker see CLIENT for a limited time, for a stated reason."""
    from nas.casework.selectors import clients_visible_to, works_on_cases

    if not works_on_cases(acting_user):
        raise refuse(_("Only caseworkers and decision-makers can request emergency access."))
    reason = (reason or "").strip()
    minimum = break_glass_reason_min_length()
    if len(reason) < minimum:
        raise refuse(
            _("Explain why you need access, in at least %(count)d characters.")
            % {"count": minimum},
            field="reason",
        )
    if clients_visible_to(user=acting_user).filter(pk=client.pk).exists():
        raise refuse(_("You can already see this client."))
    now = timezone.now()
    grant = EmergencyAccess(
        user=acting_user,
        client=client,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(minutes=break_glass_minutes()),
    )
    full_clean(grant)
    grant.save()
    audit_log(
        actor=acting_user,
        kind=AuditEvent.Kind.READ,
        action=BREAK_GLASS,
        target=client,
        person_id=client.person_id,
        changes={"expires_at": grant.expires_at, "grant_id": grant.pk},
        reason=reason,
    )
    return grant
