"""Fixtures of the portal's tests: organisations and their referrers, signed in."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from nas.common import testing
from nas.portal.tests.factories import make_member, signed_in
from nas.referrals.models import Organisation


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limits count in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        name="Victim Support Test", referrer_type=testing.referrer_type("ngo")
    )


@pytest.fixture
def other_organisation(db):
    return Organisation.objects.create(
        name="Test Police Department", referrer_type=testing.referrer_type("police")
    )


@pytest.fixture
def member(organisation):
    return make_member(organisation, "member")


@pytest.fixture
def org_admin(organisation):
    return make_member(organisation, "org_admin", admin=True)


@pytest.fixture
def member_client(member):
    return signed_in(member)


@pytest.fixture
def admin_client(org_admin):
    return signed_in(org_admin)
