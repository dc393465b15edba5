"""Access-matrix entries for the actions of the client file (see nas/common/tests/matrix.py).

Every action is for casework staff who may see the client: a Helsinki client is a 404 for the
Tampere caseworker, a client restricted to someone else is a 404 for all. The decisions
(reflection period, identification, end of assistance, re-admission) are the
decision-maker's: a caseworker gets 403 there.
"""

from __future__ import annotations

from typing import Any

from nas.casework.services import assistance_end, task_create
from nas.common import testing
from nas.common.tests.matrix import Case, Endpoint, case, named, status

OFFICE_STAFF = status(
    403, anonymous=302, caseworker_helsinki=200, caseworker_tampere=404, decision_maker=200
)
DECISION_MAKER = status(403, anonymous=302, decision_maker=200)
NOBODY = status(
    403, anonymous=302, caseworker_helsinki=404, caseworker_tampere=404, decision_maker=404
)


def _client(o: Any) -> Any:
    return o.helsinki_client.pk


def _on_client(name: str, expected: dict[str, int]) -> list[Case]:
    return case(named(name, _client), expected, "a Helsinki client")


ENTRIES: dict[str, list[Case]] = {
    **{
        name: _on_client(name, OFFICE_STAFF)
        for name in (
            "client_exploitation_add",
            "client_residence_add",
            "client_service_add",
            "client_task_add",
            "client_assign",
            "client_restrict",
            "client_child_add",
        )
    },
    "client_note_add": [
        *_on_client("client_note_add", OFFICE_STAFF),
        *case(
            named("client_note_add", lambda o: o.restricted_client.pk),
            NOBODY,
            "a restricted client assigned to someone else",
        ),
    ],
    **{
        name: _on_client(name, DECISION_MAKER)
        for name in ("client_reflection_add", "client_identify", "client_end")
    },
    "client_readmit": case(
        named("client_readmit", lambda o: o.casework_ended_client.pk),
        DECISION_MAKER,
        "a client whose assistance ended",
    ),
    "client_exploitation_primary": case(
        named("client_exploitation_primary", _client, lambda o: o.casework_exploitation.pk),
        OFFICE_STAFF,
    ),
    "client_exploitation_remove": case(
        named("client_exploitation_remove", _client, lambda o: o.casework_exploitation.pk),
        OFFICE_STAFF,
    ),
    "client_service_end": case(
        named("client_service_end", _client, lambda o: o.casework_service.pk),
        OFFICE_STAFF,
    ),
    "client_task_complete": case(
        named("client_task_complete", _client, lambda o: o.casework_task.pk),
        OFFICE_STAFF,
    ),
}


def add_objects(objects: Any) -> None:
    """Give the Helsinki client a form of exploitation, a service and a task; end a client."""
    client = objects.helsinki_client
    actor = objects.users["decision_maker"]
    objects.casework_exploitation = testing.add_exploitation(client, acting_user=actor)
    objects.casework_service = testing.add_service(client, acting_user=actor)
    objects.casework_task = task_create(
        acting_user=actor, client=client, title="Review the need", due=client.admitted
    )
    ended = testing.make_client(office_code="helsinki")
    objects.casework_ended_client = assistance_end(
        acting_user=actor, client=ended, date=ended.admitted, reason=testing.end_reason()
    )


# Malformed input (test_malformed_input): every action form, posted by the decision-maker
# (who may use them all) on the Helsinki client.
def _form(name: str, fields: tuple[str, ...], *extra: Any) -> Endpoint:
    return Endpoint("decision_maker", named(name, _client, *extra), fields, examples=15)


_DATES = ("start", "end")
FORM_ENDPOINTS: dict[str, Endpoint] = {
    "client_exploitation_add": _form(
        "client_exploitation_add",
        (
            "form",
            "is_primary",
            "place",
            "country",
            "sector",
            "means_of_control",
            "exploiter_relation",
            "exploiter_safety_risk",
            "minor_when_exploited",
            *_DATES,
        ),
    ),
    "client_exploitation_primary": _form(
        "client_exploitation_primary", (), lambda o: o.casework_exploitation.pk
    ),
    "client_exploitation_remove": _form(
        "client_exploitation_remove", (), lambda o: o.casework_exploitation.pk
    ),
    "client_residence_add": _form(
        "client_residence_add", ("valid_from", "category", "permit_type")
    ),
    "client_service_add": _form(
        "client_service_add", ("service_type", "provider", "provider_name", *_DATES)
    ),
    "client_service_end": _form("client_service_end", ("end",), lambda o: o.casework_service.pk),
    "client_reflection_add": _form("client_reflection_add", ("granted_by", "granted", *_DATES)),
    "client_identify": _form("client_identify", ("date", "ground", "justification")),
    "client_note_add": _form("client_note_add", ("date", "text")),
    "client_task_add": _form("client_task_add", ("title", "kind", "due", "assigned_to")),
    "client_task_complete": _form("client_task_complete", ("date",), lambda o: o.casework_task.pk),
    "client_assign": _form("client_assign", ("caseworker", "version")),
    "client_restrict": _form("client_restrict", ("restricted", "version")),
    "client_child_add": _form(
        "client_child_add",
        (
            "given_names",
            "family_name",
            "date_of_birth",
            "birth_year",
            "gender",
            "primary_nationality",
            "admitted",
        ),
    ),
    "client_end": _form("client_end", ("date", "reason", "details", "version")),
    "client_readmit": Endpoint(
        "decision_maker",
        named("client_readmit", lambda o: o.casework_ended_client.pk),
        (
            "received",
            "channel",
            "referrer_type",
            "account",
            "date",
            "client_type",
            "consent_given",
            "trafficking_definition_met",
            "need_for_help",
        ),
        examples=15,
    ),
}
