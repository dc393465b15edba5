"""Roles: each persona is in the group of its role, with exactly that role's permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from nas.accounts.models import EmergencyAccess
from nas.accounts.roles import Role
from nas.accounts.services import (
    ROLE_CHANGE,
    ROLE_CHANGE_REFUSED,
    emergency_access_grant,
    ensure_roles,
    role_permissions,
    user_privileges,
    user_set_roles,
)
from nas.audit.models import AuditEvent
from nas.common import testing
from nas.common.errors import DomainError
from nas.common.testing import PERSONAS

pytestmark = pytest.mark.django_db

SIGNING = [
    "referrals.decide_admission",
    "casework.end_assistance",
    "casework.grant_reflection_period",
    "casework.identify_victim",
]
GROUP_OF = {
    "caseworker_helsinki": Role.CASEWORKER,
    "caseworker_tampere": Role.CASEWORKER,
    "decision_maker": Role.DECISION_MAKER,
    "statistician": Role.STATISTICIAN,
    "auditor": Role.AUDITOR,
    "administrator": Role.ADMINISTRATOR,
    "referrer": Role.REFERRER,
}


def test_every_role_has_a_group_with_exactly_its_permissions():
    ensure_roles()

    for role, names in role_permissions().items():
        group = Group.objects.get(name=role.value)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(names), role


def test_ensure_roles_can_run_again_without_change():
    ensure_roles()
    before = {g.name: g.permissions.count() for g in Group.objects.all()}

    ensure_roles()

    assert {g.name: g.permissions.count() for g in Group.objects.all()} == before


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_each_persona_is_in_the_group_of_its_role_only(persona):
    expected = [GROUP_OF[persona.username]] if persona.username in GROUP_OF else []

    assert list(persona.groups.values_list("name", flat=True)) == expected


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_only_the_decision_maker_signs_decisions(persona):
    signs = [persona.has_perm(name) for name in SIGNING]

    assert signs == [persona.username == "decision_maker"] * len(SIGNING)


def test_caseworkers_work_at_their_office(caseworker_helsinki, caseworker_tampere):
    assert caseworker_helsinki.office.code == "helsinki"
    assert caseworker_tampere.office.code == "tampere"
    assert caseworker_helsinki.has_perm("casework.change_clientperiod")


# --- roles change only through user_set_roles, never one's own --------------------------

OWN = "Nobody can change their own roles or privileges."
SUPERUSER_ONLY = (
    "Only a superuser can grant superuser status or individual permissions, "
    "or change the account of a superuser."
)
REASON = "The client phoned in danger and her caseworker is on leave today."


def _refused_and_audited(message, acting_user, user, **change):
    before = user_privileges(user)
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refusal:
        user_set_roles(acting_user=acting_user, user=user, **change)
    assert str(refusal.value) == message
    assert user_privileges(testing.reload(user)) == before
    assert AuditEvent.objects.count() == events + 1
    event = testing.assert_audited(ROLE_CHANGE_REFUSED, acting_user, user)
    assert event.kind == "update" and event.reason == message
    return event


def test_an_administrator_gives_a_role_and_it_is_audited_before_and_after(
    administrator, caseworker_helsinki
):
    user_set_roles(
        acting_user=administrator,
        user=caseworker_helsinki,
        roles=[Role.CASEWORKER, Role.DECISION_MAKER],
    )
    assert caseworker_helsinki.has_role(Role.DECISION_MAKER)
    event = testing.assert_audited(ROLE_CHANGE, administrator, caseworker_helsinki)
    assert event.kind == "update"
    assert event.changes == {"roles": [["caseworker"], ["caseworker", "decision_maker"]]}


@pytest.mark.parametrize(
    "change",
    [
        {"roles": [Role.ADMINISTRATOR, Role.AUDITOR]},
        {"roles": [Role.ADMINISTRATOR], "is_superuser": True},
        {"roles": [Role.ADMINISTRATOR], "permissions": ["audit.view_auditevent"]},
        {"roles": [Role.ADMINISTRATOR], "is_staff": False},
        {"roles": []},
    ],
)
def test_nobody_changes_their_own_privileges(administrator, change):
    _refused_and_audited(OWN, administrator, administrator, **change)


def test_not_even_a_superuser_changes_their_own(db):
    root = testing.make_user("root", is_superuser=True)
    _refused_and_audited(OWN, root, root, roles=[Role.AUDITOR])


def test_only_a_superuser_grants_superuser_status(administrator, caseworker_helsinki):
    _refused_and_audited(
        SUPERUSER_ONLY, administrator, caseworker_helsinki, roles=["caseworker"], is_superuser=True
    )
    root = testing.make_user("root", is_superuser=True)
    user_set_roles(acting_user=root, user=caseworker_helsinki, roles=[], is_superuser=True)
    assert testing.reload(caseworker_helsinki).is_superuser


def test_an_administrator_grants_no_individual_permission(administrator, caseworker_helsinki):
    _refused_and_audited(
        SUPERUSER_ONLY,
        administrator,
        caseworker_helsinki,
        roles=["caseworker"],
        permissions=["audit.view_auditevent"],
    )


def test_an_administrator_cannot_demote_a_superuser(administrator):
    root = testing.make_user("root", is_superuser=True)
    _refused_and_audited(SUPERUSER_ONLY, administrator, root, roles=[], is_superuser=False)


@pytest.mark.parametrize("persona", ["caseworker_helsinki", "auditor", "outsider"], indirect=True)
def test_roles_without_account_management_change_no_roles(persona, statistician):
    _refused_and_audited(
        "You may not change accounts.", persona, statistician, roles=[Role.ADMINISTRATOR]
    )


def test_an_unknown_role_is_refused(administrator, statistician):
    _refused_and_audited("Unknown role: root.", administrator, statistician, roles=["root"])


def test_no_change_writes_nothing(administrator):
    events = AuditEvent.objects.count()
    user_set_roles(acting_user=administrator, user=administrator, roles=[Role.ADMINISTRATOR])
    assert AuditEvent.objects.count() == events


# --- emergency access -------------------------------------------------------------------


@pytest.fixture
def tampere_client(db):
    return testing.make_client(office_code="tampere")


def test_breaking_the_glass_is_time_limited_and_audited_with_its_reason(
    caseworker_helsinki, tampere_client, settings
):
    settings.NAS_BREAK_GLASS_MINUTES = 15
    grant = emergency_access_grant(
        acting_user=caseworker_helsinki, client=tampere_client, reason=f"  {REASON}  "
    )
    assert grant.reason == REASON
    assert grant.expires_at - grant.granted_at == dt.timedelta(minutes=15)
    event = testing.assert_audited("break_glass", caseworker_helsinki, tampere_client)
    assert (event.kind, event.reason, event.person_id) == ("read", REASON, tampere_client.person_id)


def test_the_default_emergency_access_lasts_an_hour(caseworker_helsinki, tampere_client):
    grant = emergency_access_grant(
        acting_user=caseworker_helsinki, client=tampere_client, reason=REASON
    )
    assert grant.expires_at - grant.granted_at == dt.timedelta(minutes=60)
    assert grant.expires_at > timezone.now()


@pytest.mark.parametrize("reason", ["", "   ", "urgent", "x" * 19])
def test_breaking_the_glass_needs_a_written_reason(caseworker_helsinki, tampere_client, reason):
    with testing.refused("Explain why you need access, in at least 20 characters.", tampere_client):
        emergency_access_grant(
            acting_user=caseworker_helsinki, client=tampere_client, reason=reason
        )
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize(
    "persona", ["statistician", "auditor", "administrator", "referrer", "outsider"], indirect=True
)
def test_only_casework_staff_break_the_glass(persona, tampere_client):
    with testing.refused(
        "Only caseworkers and decision-makers can request emergency access.", tampere_client
    ):
        emergency_access_grant(acting_user=persona, client=tampere_client, reason=REASON)


def test_no_glass_to_break_for_a_client_one_already_sees(caseworker_tampere, tampere_client):
    with testing.refused("You can already see this client.", tampere_client):
        emergency_access_grant(acting_user=caseworker_tampere, client=tampere_client, reason=REASON)
