"""Access-matrix entries of the referral portal and the public self-referral form.

The persona "referrer" is made a referrer of an organisation here, and its administrator:
the portal lets in only an active organisation's referrers (403 for every other role),
shows a referral or a member of another organisation as not found (404), and manages users
only for the organisation's administrator. Accepting an invitation and the self-referral
form need no account; an invalid invitation link is a 404, and the receipt without a
referral just sent leads back to the form (302).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from nas.accounts.models import User
from nas.common import testing
from nas.common.tests.matrix import EVERYONE, Case, Endpoint, case, named, status
from nas.portal.services import invitation_send
from nas.portal.tests.factories import make_member, submit_for
from nas.referrals.models import Organisation

REFERRER_ONLY = status(403, anonymous=302, referrer=200)
NOT_FOUND_TO_REFERRER = status(403, anonymous=302, referrer=404)
MISSING = 10**9


def add_objects(objects: Any) -> None:
    """The referrer's organisation (kept if another app gave it one), another organisation,
    a referral and a member of each, and an open invitation."""
    referrer = objects.users["referrer"]
    organisation = referrer.organisation or Organisation.objects.create(
        name="Portal test organisation", referrer_type=testing.referrer_type("ngo")
    )
    User.objects.filter(pk=referrer.pk).update(organisation=organisation, organisation_admin=True)
    referrer.refresh_from_db()
    other = Organisation.objects.create(
        name="Another portal organisation", referrer_type=testing.referrer_type("police")
    )
    other_member = make_member(other, "portal_other_member")
    objects.portal_referral = submit_for(organisation, referrer)
    objects.portal_other_referral = submit_for(other, other_member)
    objects.portal_member = make_member(organisation, "portal_member")
    objects.portal_other_member = other_member
    _invitation, objects.portal_token = invitation_send(
        acting_user=referrer, email="invited@example.org"
    )


def _pk(name: str) -> Any:
    return lambda o: getattr(o, name).pk


def _in_and_out(url_name: str, own: str, others: str) -> list[Case]:
    """URL_NAME on an object of the referrer's organisation, another's, and a missing one."""
    return [
        *case(named(url_name, _pk(own)), REFERRER_ONLY, "of the referrer's organisation"),
        *case(named(url_name, _pk(others)), NOT_FOUND_TO_REFERRER, "of another organisation"),
        *case(named(url_name, lambda o: MISSING), NOT_FOUND_TO_REFERRER, "missing"),
    ]


ENTRIES: dict[str, list[Case]] = {
    "portal:home": case(named("portal:home"), REFERRER_ONLY),
    "portal:referral_new": case(named("portal:referral_new"), REFERRER_ONLY),
    "portal:referral": _in_and_out("portal:referral", "portal_referral", "portal_other_referral"),
    "portal:members": case(named("portal:members"), REFERRER_ONLY),
    "portal:invite": case(named("portal:invite"), REFERRER_ONLY),
    "portal:deactivate": _in_and_out("portal:deactivate", "portal_member", "portal_other_member"),
    "portal:accept": [
        *case(
            lambda o: reverse("portal:accept", args=[o.portal_token]),
            EVERYONE,
            "an open invitation",
        ),
        *case(
            lambda o: reverse("portal:accept", args=["no-such-token"]),
            status(404),
            "an unknown link",
        ),
    ],
    "self_referral:form": case(named("self_referral:form"), EVERYONE),
    "self_referral:receipt": case(named("self_referral:receipt"), status(302)),
}


# Malformed input (test_malformed_input): the portal's forms posted by the organisation's
# administrator, the invitation and the self-referral form by an anonymous visitor.
FORM_ENDPOINTS: dict[str, Endpoint] = {
    "portal:referral_new": Endpoint(
        "referrer",
        named("portal:referral_new"),
        (
            "given_names",
            "family_name",
            "date_of_birth",
            "birth_year",
            "age_guess",
            "gender",
            "primary_nationality",
            "languages",
            "interpreter_needed",
            "phone",
            "email",
            "account",
            "urgency",
            "safe_to_contact",
            "safety_concerns",
            "consent",
            "office",
        ),
    ),
    "portal:invite": Endpoint("referrer", named("portal:invite"), ("email",)),
    # A confirmation without fields: anything posted deactivates the member (once).
    "portal:deactivate": Endpoint(
        "referrer", named("portal:deactivate", _pk("portal_member")), ("confirm",), examples=5
    ),
    "portal:accept": Endpoint(
        "anonymous",
        lambda o: reverse("portal:accept", args=[o.portal_token]),
        ("first_name", "last_name", "username", "password", "password_again"),
        examples=10,
    ),
    "self_referral:form": Endpoint(
        "anonymous",
        named("self_referral:form"),
        (
            "name",
            "phone",
            "email",
            "language",
            "account",
            "safe_to_contact",
            "in_danger",
            "website",
            "form_started",
        ),
    ),
}
