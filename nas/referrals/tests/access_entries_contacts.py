"""Access-matrix entries for the helpline, consultation and training screens (see matrix.py).

Lists and forms are for the roles holding the models' permissions (caseworkers and
decision-makers). Consultations are scoped to an office: linking one of another office is a
404, as for a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nas.common import testing
from nas.common.tests.matrix import CASEWORK_ONLY, Case, Endpoint, case, named, status
from nas.referrals.services import anonymous_consultation_record

ENTRIES: dict[str, list[Case]] = {
    **{
        f"contacts:{name}": case(named(f"contacts:{name}"), CASEWORK_ONLY)
        for name in (
            "helpline",
            "helpline_add",
            "consultations",
            "consultation_add",
            "training",
            "training_add",
        )
    },
    "contacts:consultation_link": [
        *case(
            named("contacts:consultation_link", lambda o: o.helsinki_consultation.pk),
            status(
                403,
                anonymous=302,
                caseworker_helsinki=200,
                caseworker_tampere=404,
                decision_maker=200,
            ),
            "a Helsinki consultation",
        ),
        *case(
            named("contacts:consultation_link", lambda o: o.tampere_consultation.pk),
            status(
                403,
                anonymous=302,
                caseworker_helsinki=404,
                caseworker_tampere=200,
                decision_maker=404,
            ),
            "another office's consultation",
        ),
        *case(
            named("contacts:consultation_link", lambda o: 10**9),
            status(
                403,
                anonymous=302,
                caseworker_helsinki=404,
                caseworker_tampere=404,
                decision_maker=404,
            ),
            "a missing consultation",
        ),
    ],
}


def _consultation(office_code: str) -> Any:
    return anonymous_consultation_record(
        acting_user=testing.make_caseworker(office_code),
        date=dt.date(2024, 2, 1),
        office=testing.office(office_code),
        contact_type=testing.referrer_type("ngo"),
        channel="phone",
        topic="A worker whose passport the employer keeps.",
    )


def add_objects(objects: Any) -> None:
    """Add a consultation at Helsinki and one at Tampere."""
    objects.helsinki_consultation = _consultation("helsinki")
    objects.tampere_consultation = _consultation("tampere")


# Malformed input (test_malformed_input): every form, posted by a caseworker of Helsinki.
FORM_ENDPOINTS: dict[str, Endpoint] = {
    "contacts:helpline_add": Endpoint(
        "caseworker_helsinki",
        named("contacts:helpline_add"),
        ("date", "caller_type", "language", "topic", "outcome", "referral", "another"),
    ),
    "contacts:consultation_add": Endpoint(
        "caseworker_helsinki",
        named("contacts:consultation_add"),
        ("date", "office", "contact_type", "channel", "topic", "adult_declined_referral"),
    ),
    "contacts:consultation_link": Endpoint(
        "caseworker_helsinki",
        named("contacts:consultation_link", lambda o: o.helsinki_consultation.pk),
        ("referral", "linked"),
    ),
    "contacts:training_add": Endpoint(
        "caseworker_helsinki",
        named("contacts:training_add"),
        ("date", "title", "audience", "participants", "office"),
    ),
}
