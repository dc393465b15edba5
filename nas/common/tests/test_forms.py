"""A key too large for the database is an invalid choice, not a server error."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from nas.common import testing
from nas.common.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from nas.common.testing import sign_in_verified

HUGE = "9" * 25


def test_the_fields_refuse_a_key_too_large_for_the_database(db):
    with pytest.raises(ValidationError):
        BoundedModelChoiceField(Group.objects.all()).clean(HUGE)
    with pytest.raises(ValidationError):
        BoundedModelMultipleChoiceField(Group.objects.all()).clean([HUGE])


def test_the_fields_still_accept_a_real_key(db):
    group = Group.objects.create(name="x")
    assert BoundedModelChoiceField(Group.objects.all()).clean(str(group.pk)) == group
    assert list(BoundedModelMultipleChoiceField(Group.objects.all()).clean([group.pk])) == [group]


@pytest.mark.parametrize("field", ["office", "groups", "user_permissions"])
def test_the_admin_user_form_answers_a_huge_key_with_a_form_error(client, db, field):
    root = testing.make_user("root", is_superuser=True, is_staff=True)
    other = testing.make_user("spare", role="caseworker", office="helsinki")
    sign_in_verified(client, root)
    url = reverse("admin:accounts_user_change", args=[other.pk])
    response = client.post(url, {"username": "spare", field: HUGE})
    assert response.status_code == 200
