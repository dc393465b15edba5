"""Roles: each persona is in the group of its role, with exactly that role's permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from nas.accounts.roles import Role
from nas.accounts.services import ensure_roles, role_permissions
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
