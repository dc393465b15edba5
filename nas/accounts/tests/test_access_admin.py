"""The account admin: an administrator manages others' roles, never their own (pen-test finding)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from nas.accounts.models import User
from nas.accounts.roles import Role
from nas.accounts.services import ROLE_CHANGE, ROLE_CHANGE_REFUSED
from nas.audit.models import AuditEvent
from nas.common import testing
from nas.common.testing import sign_in_verified


@pytest.fixture
def admin_client(client, administrator):
    User.objects.filter(pk=administrator.pk).update(is_staff=True)
    administrator.refresh_from_db()
    sign_in_verified(client, administrator)
    return client


def _form(user: User, **extra) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "office": user.office_id or "",
    }
    data.update(extra)
    return data


def _groups(*roles: str) -> list[int]:
    return list(Group.objects.filter(name__in=roles).values_list("pk", flat=True))


def _change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_an_administrator_gives_another_user_a_role_through_the_audited_service(
    admin_client, administrator, caseworker_helsinki
):
    data = _form(caseworker_helsinki, groups=_groups(Role.CASEWORKER, Role.DECISION_MAKER))
    response = admin_client.post(_change_url(caseworker_helsinki), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert caseworker_helsinki.has_role(Role.DECISION_MAKER)
    event = testing.assert_audited(ROLE_CHANGE, administrator, caseworker_helsinki)
    assert event.changes["roles"] == [["caseworker"], ["caseworker", "decision_maker"]]


def test_an_administrators_own_privileges_are_read_only(admin_client, administrator):
    page = admin_client.get(_change_url(administrator)).content.decode()
    assert 'name="groups"' not in page
    assert 'name="is_superuser"' not in page


def test_a_forged_request_to_raise_ones_own_role_is_refused_and_audited(
    admin_client, administrator
):
    data = _form(administrator, groups=_groups(Role.ADMINISTRATOR, Role.AUDITOR), is_superuser="on")
    response = admin_client.post(_change_url(administrator), data)
    assert response.status_code == 200
    assert "Nobody can change their own roles or privileges." in response.content.decode()
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert list(administrator.groups.values_list("name", flat=True)) == [Role.ADMINISTRATOR]
    event = testing.assert_audited(ROLE_CHANGE_REFUSED, administrator, administrator)
    assert event.changes["is_superuser"] == [False, True]


def test_an_administrator_cannot_make_anyone_a_superuser(
    admin_client, administrator, caseworker_helsinki
):
    assert (
        'name="is_superuser"'
        not in admin_client.get(_change_url(caseworker_helsinki)).content.decode()
    )
    data = _form(caseworker_helsinki, groups=_groups(Role.CASEWORKER), is_superuser="on")
    response = admin_client.post(_change_url(caseworker_helsinki), data)
    assert response.status_code == 200
    assert not testing.reload(caseworker_helsinki).is_superuser
    testing.assert_audited(ROLE_CHANGE_REFUSED, administrator, caseworker_helsinki)
    assert not AuditEvent.objects.filter(action=ROLE_CHANGE).exists()


def test_a_superuser_grants_superuser_status_and_it_is_audited(client, caseworker_helsinki):
    root = testing.make_user("root", is_superuser=True, is_staff=True)
    sign_in_verified(client, root)
    data = _form(caseworker_helsinki, groups=_groups(Role.CASEWORKER), is_superuser="on")
    assert client.post(_change_url(caseworker_helsinki), data).status_code == 302
    assert testing.reload(caseworker_helsinki).is_superuser
    event = testing.assert_audited(ROLE_CHANGE, root, caseworker_helsinki)
    assert event.changes == {"is_superuser": [False, True]}


def test_an_administrator_puts_a_referrer_in_an_organisation_and_it_is_audited(
    admin_client, administrator, referrer
):
    from nas.referrals.models import Organisation

    police = Organisation.objects.create(
        name="Helsinki police", referrer_type=testing.referrer_type("police")
    )
    data = _form(
        referrer,
        groups=_groups(Role.REFERRER),
        organisation=police.pk,
        organisation_admin="on",
    )
    response = admin_client.post(_change_url(referrer), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    referrer.refresh_from_db()
    assert (referrer.organisation, referrer.organisation_admin) == (police, True)
    event = testing.assert_audited("account.scope_change", administrator, referrer)
    assert event.changes == {
        "organisation_id": [None, police.pk],
        "organisation_admin": [False, True],
    }
