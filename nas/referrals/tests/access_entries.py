"""Access-matrix entries of the referral screens (see nas/common/tests/matrix.py).

Casework staff see their office's referrals (a 404 for another office's, the same as for a
missing one); only decision-makers open the decision form; the POST-only actions answer a GET
with 405 once the permission is checked.
"""

from __future__ import annotations

from typing import Any

from nas.common import testing
from nas.common.tests.matrix import (
    CASEWORK,
    CASEWORK_ONLY,
    Case,
    Endpoint,
    case,
    named,
    status,
)

MISSING = 10**9

HELSINKI_ONLY = status(
    403, anonymous=302, caseworker_helsinki=200, caseworker_tampere=404, decision_maker=200
)
TAMPERE_ONLY = status(
    403, anonymous=302, caseworker_helsinki=404, caseworker_tampere=200, decision_maker=404
)
NOBODY_SEES = status(403, anonymous=302, **dict.fromkeys(CASEWORK, 404))
POST_ONLY = status(403, anonymous=302, **dict.fromkeys(CASEWORK, 405))


def add_objects(objects: Any) -> None:
    """A Helsinki referral under assessment and a Tampere referral just received."""
    objects.helsinki_referral = testing.make_referral(office_code="helsinki", assess=True)
    objects.tampere_referral = testing.make_referral(office_code="tampere")


def _helsinki(o: Any) -> int:
    return int(o.helsinki_referral.pk)


def _tampere(o: Any) -> int:
    return int(o.tampere_referral.pk)


def _restricted(o: Any) -> int:
    return int(o.restricted_client.referral_id)


def _decided(o: Any) -> int:
    return int(o.helsinki_client.referral_id)


def _decided_tampere(o: Any) -> int:
    return int(o.tampere_client.referral_id)


def _referral_cases(name: str) -> list[Case]:
    """NAME on a Helsinki referral, another office's, a restricted client's, a missing one."""
    return [
        *case(named(name, _helsinki), HELSINKI_ONLY, "a Helsinki referral"),
        *case(named(name, _tampere), TAMPERE_ONLY, "another office's referral"),
        *case(named(name, _restricted), NOBODY_SEES, "a restricted client's referral"),
        *case(named(name, lambda o: MISSING), NOBODY_SEES, "a missing referral"),
    ]


def _letter_cases(name: str) -> list[Case]:
    return [
        *case(named(name, _decided), HELSINKI_ONLY, "a decided Helsinki referral"),
        *case(named(name, _decided_tampere), TAMPERE_ONLY, "a decided Tampere referral"),
        *case(named(name, _helsinki), NOBODY_SEES, "a referral not yet decided"),
        *case(named(name, lambda o: MISSING), NOBODY_SEES, "a missing referral"),
    ]


ENTRIES: dict[str, list[Case]] = {
    "referrals:inbox": case(named("referrals:inbox"), CASEWORK_ONLY),
    "referrals:new": case(named("referrals:new"), CASEWORK_ONLY),
    "referrals:detail": _referral_cases("referrals:detail"),
    "referrals:withdraw": _referral_cases("referrals:withdraw"),
    "referrals:start_assessment": case(named("referrals:start_assessment", _tampere), POST_ONLY),
    "referrals:assign": case(named("referrals:assign", _helsinki), POST_ONLY),
    "referrals:decide": [
        *case(
            named("referrals:decide", _helsinki),
            status(403, anonymous=302, decision_maker=200),
            "a Helsinki referral under assessment",
        ),
        *case(
            named("referrals:decide", _tampere),
            status(403, anonymous=302, decision_maker=404),
            "another office's referral",
        ),
    ],
    "referrals:letter": _letter_cases("referrals:letter"),
    "referrals:letter_pdf": _letter_cases("referrals:letter_pdf"),
}


# Malformed input (test_malformed_input): every referral form, posted by the decision-maker
# (who may use them all) on the Helsinki referral under assessment.
def _helsinki_referral(o: Any) -> Any:
    return o.helsinki_referral.pk


# A refused action shows the referral page again: a read of the person, audited.
READ_AGAIN = ("audit.AuditEvent", "audit.AuditEventPerson")


FORM_ENDPOINTS: dict[str, Endpoint] = {
    "referrals:new": Endpoint(
        "decision_maker",
        named("referrals:new"),
        (
            "given_names",
            "family_name",
            "date_of_birth",
            "birth_year",
            "age_assessment",
            "gender",
            "primary_nationality",
            "languages",
            "interpreter_needed",
            "received",
            "channel",
            "referrer_type",
            "organisation",
            "organisation_name",
            "office",
            "urgency",
            "safety_concerns",
            "account",
            "consent",
        ),
    ),
    "referrals:start_assessment": Endpoint(
        "decision_maker",
        named("referrals:start_assessment", _helsinki_referral),
        ("start-version",),
        READ_AGAIN,
    ),
    "referrals:assign": Endpoint(
        "decision_maker",
        named("referrals:assign", _helsinki_referral),
        ("assign-version", "assign-assigned_to"),
        READ_AGAIN,
    ),
    "referrals:withdraw": Endpoint(
        "decision_maker",
        named("referrals:withdraw", _helsinki_referral),
        ("version", "date", "reason"),
        READ_AGAIN,
    ),
    "referrals:decide": Endpoint(
        "decision_maker",
        named("referrals:decide", _helsinki_referral),
        (
            "version",
            "date",
            "outcome",
            "client_type",
            "consent_given",
            "trafficking_definition_met",
            "need_for_help",
            "negative_reason",
            "reason_text",
        ),
        READ_AGAIN,
    ),
}
