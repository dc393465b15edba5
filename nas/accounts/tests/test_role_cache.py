"""A user's roles are read once per loaded user, and a change of its groups is seen at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nas.accounts.roles import CASEWORK_ROLES, Role
from nas.common import testing

pytestmark = pytest.mark.django_db


def test_the_roles_are_read_once_for_a_loaded_user():
    user = testing.reload(testing.make_caseworker("helsinki"))
    with CaptureQueriesContext(connection) as queries:
        checks = [user.has_role(Role.CASEWORKER), user.has_any_role(CASEWORK_ROLES)]
        checks += [not user.has_role(Role.AUDITOR) for _ in range(5)]
    assert all(checks)
    assert len(queries) == 1


def test_adding_removing_and_setting_groups_is_seen_at_once():
    user = testing.reload(testing.make_caseworker("helsinki"))
    assert not user.has_role(Role.DECISION_MAKER)
    user.groups.add(testing.role_group(Role.DECISION_MAKER))
    assert user.has_role(Role.DECISION_MAKER)
    user.groups.remove(testing.role_group(Role.DECISION_MAKER))
    assert not user.has_role(Role.DECISION_MAKER)
    user.groups.set([testing.role_group(Role.AUDITOR)])
    assert user.has_role(Role.AUDITOR) and not user.has_any_role(CASEWORK_ROLES)
    user.groups.clear()
    assert user.role_names() == frozenset()
