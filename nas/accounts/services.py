"""Write accounts and the permissions of each role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from nas.accounts.roles import Role

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
        ],
        Role.STATISTICIAN: [],
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
