"""Helpers of the portal's tests: members of an organisation, its referrals, form times."""

from __future__ import annotations

import time

from django.test import Client

from nas.accounts.roles import Role
from nas.common import testing
from nas.portal import spam
from nas.referrals.choices import Channel
from nas.referrals.external import referral_submit


def make_member(organisation, username=None, *, admin=False):
    """A referrer of ORGANISATION (its administrator when ADMIN)."""
    return testing.make_user(
        username, role=Role.REFERRER, organisation=organisation, organisation_admin=admin
    )


def signed_in(user):
    client = Client()
    testing.sign_in_verified(client, user)
    return client


PERSON = {
    "given_names": "Amina",
    "family_name": "Haddad",
    "birth_year": 1994,
    "gender": "female",
    "nationalities": ["SO"],
    "primary_nationality": "SO",
    "phone": "+358 40 123 4567",
}
ACCOUNT = "Worked on a berry farm; her passport was taken."


def submit_for(organisation, actor, **overrides):
    """Submit a referral of ORGANISATION through the portal's channel, as ACTOR."""
    fields = {
        "actor": actor,
        "channel": Channel.PORTAL,
        "referrer_type": organisation.referrer_type,
        "organisation": organisation,
        "person": dict(PERSON),
        "account": ACCOUNT,
        "safety_concerns": "Her employer reads her messages.",
    }
    return referral_submit(**(fields | overrides))


def old_enough_token():
    """The signed time of a form shown a minute ago (sent back at a human pace)."""
    return spam.started_token(time.time() - 60)
