"""Malformed input to every form and POST endpoint: never a 500, never a partial write.

Every URL pattern found by the resolver is either a form endpoint below, fuzzed with Hypothesis
as a persona permitted to use it (random text, huge strings, unicode and NUL characters, numbers
as text, missing fields, unexpected fields, lists where one value is expected), or read-only:
then a garbage POST from every persona and anonymous is refused or answered like a GET,
without a server error, without showing form errors and writing nothing but the audit log's
record of a read (so a form left out of the endpoints fails). When a fuzzed answer is an
error (a 4xx, or the form shown again with errors) no table may have gained or lost a row,
except the few that record the refusal itself (the audit log, sign-in attempts). The API's
submission is fuzzed with JSON bodies and an organisation's token in the same way (its
schema is fuzzed by schemathesis in nas/api/tests/test_schema.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nas.api.tests.conftest import PERSON, SUBMISSION, make_organisation, make_token
from nas.common import testing
from nas.common.testing import sign_in_verified
from nas.common.tests import matrix
from nas.common.tests.test_access_matrix import (
    ADMIN_MODELS,
    APP_ENTRY_MODULES,
    MATRIX,
    make_objects,
    named,
    url_patterns,
)

pytestmark = pytest.mark.django_db

AUDIT = "audit.AuditEvent"
AUDIT_PERSONS = "audit.AuditEventPerson"  # the index of the persons an audit event names
SIGN_IN_RECORDS = (AUDIT, "axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog")
# Rows that come and go with any request, whatever its outcome.
NOT_DATA = {"sessions.Session"}


Endpoint = matrix.Endpoint


def _admin_fields(label: str) -> tuple[str, ...]:
    model = apps.get_model(label)
    fields = [f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many]
    return (*fields, "_save", "_continue", "action", "_selected_action", "post")


def _admin_endpoints() -> dict[str, Endpoint]:
    endpoints: dict[str, Endpoint] = {}
    for label, may in ADMIN_MODELS.items():
        app, model = label.split(".")
        prefix = f"admin:{app}_{model}"
        # The administrator where the role may write; a superuser elsewhere (the most power).
        persona = "administrator" if {"add", "change"} & may else "root"
        fields = _admin_fields(label)
        writes = (AUDIT,) if label == "accounts.user" else ()

        def obj(o: Any, label: str = label) -> Any:
            return o.admin_objects[label]

        for view, url in (
            ("add", named(f"{prefix}_add")),
            ("change", named(f"{prefix}_change", obj)),
            ("changelist", named(f"{prefix}_changelist")),
            ("delete", named(f"{prefix}_delete", obj)),
        ):
            endpoints[f"{prefix}_{view}"] = Endpoint(persona, url, fields, writes, examples=5)
    return endpoints


ENDPOINTS: dict[str, Endpoint] = {
    **_admin_endpoints(),
    "admin:auth_user_password_change": Endpoint(
        "administrator",
        named("admin:auth_user_password_change", lambda o: o.users["spare"].pk),
        ("password1", "password2", "usable_password"),
        examples=10,
    ),
    "admin:login": Endpoint(
        "anonymous",
        named("admin:login"),
        ("username", "password", "otp_device", "otp_token", "next"),
        SIGN_IN_RECORDS,
        examples=10,
    ),
    "admin:logout": Endpoint(
        "administrator", named("admin:logout"), (), examples=5, signs_out=True
    ),
    "admin:password_change": Endpoint(
        "administrator",
        named("admin:password_change"),
        ("old_password", "new_password1", "new_password2"),
        examples=10,
    ),
    "set_language": Endpoint("anonymous", named("set_language"), ("language", "next")),
    "accounts:sign_in": Endpoint(
        "anonymous",
        named("accounts:sign_in"),
        ("username", "password", "otp_token", "next"),
        SIGN_IN_RECORDS,
    ),
    "accounts:sign_out": Endpoint(
        "caseworker_helsinki", named("accounts:sign_out"), (), examples=5, signs_out=True
    ),
    "accounts:recovery_codes": Endpoint(
        "caseworker_helsinki", named("accounts:recovery_codes"), (), examples=5
    ),
    "accounts:two_factor_setup": Endpoint(
        "anonymous", named("accounts:two_factor_setup"), ("otp_token",), examples=5
    ),
    "client_break_glass": Endpoint(
        "caseworker_helsinki",
        named("client_break_glass", lambda o: o.tampere_client.pk),
        ("reason",),
    ),
    "audit:person_access_export": Endpoint(
        "auditor", named("audit:person_access_export"), ("person", "purpose", "format")
    ),
    "audit:user_activity_export": Endpoint(
        "auditor", named("audit:user_activity_export"), ("user", "purpose", "format")
    ),
    "audit:subject_access": Endpoint(
        "auditor", named("audit:subject_access"), ("person", "purpose", "format")
    ),
}
for _module in APP_ENTRY_MODULES:
    _forms = getattr(_module, "FORM_ENDPOINTS", {})
    _overlap = set(_forms) & set(ENDPOINTS)
    assert not _overlap, f"{_module.__name__} repeats endpoints: {sorted(_overlap)}"
    ENDPOINTS.update(_forms)

# Everything else reads: a POST is refused (405), redirected, or answered like a GET.
READ_ONLY = set(MATRIX) - set(ENDPOINTS)

# --- malformed values --------------------------------------------------------------------

ODD = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "true",
    "null",
    "[]",
    "{}",
    "2024-02-30",
    "31.12.99999",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "a\x00b",
    "💥" * 10,
    "\u202e\u0130\u017f",
    "../../etc/passwd",
]
# Any character a browser can send: lone surrogates cannot be encoded in UTF-8 at all.
CHARACTERS = st.characters(codec="utf-8")
VALUE = st.one_of(
    st.sampled_from(ODD),
    st.text(CHARACTERS, max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.builds(lambda char, size: char * size, CHARACTERS, st.integers(1000, 20_000)),
)
VALUES = st.one_of(VALUE, st.lists(VALUE, min_size=1, max_size=3))


def form_data(fields: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of FIELDS with malformed values, and perhaps fields nobody asked for."""
    known = st.fixed_dictionaries({}, optional=dict.fromkeys(fields, VALUES))
    unknown = st.dictionaries(st.text(CHARACTERS, min_size=1, max_size=12), VALUES, max_size=2)
    return st.builds(lambda a, b: {**b, **a}, known, unknown)


# --- the checks --------------------------------------------------------------------------


def _tables() -> dict[str, str]:
    return {
        model._meta.label: model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def row_counts() -> dict[str, int]:
    """Return the row count of every table, in one query."""
    tables = _tables()
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {index}, COUNT(*) FROM {quote(table)}"  # noqa: S608 (table names from models)
        for index, table in enumerate(tables.values())
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        by_index = dict(cursor.fetchall())
    return {label: by_index[index] for index, label in enumerate(tables)}


def is_error(response: Any) -> bool:
    """An error answer: a 4xx, or a form shown again with its errors."""
    if response.status_code >= 400:
        return True
    if response.status_code != 200 or response.context is None:
        return False
    contexts = response.context if isinstance(response.context, list) else [response.context]
    return any(
        getattr(value, "errors", None)
        for context in contexts
        for value in context.flatten().values()
    )


def test_every_url_is_a_fuzzed_form_or_declared_read_only():
    found = set(url_patterns())
    assert found - set(MATRIX) == set(), "see the access matrix"
    assert set(ENDPOINTS) <= found, "endpoints of URLs that no longer exist"


def test_the_admin_models_have_their_endpoints():
    assert {model._meta.label_lower for model in admin.site._registry} == set(ADMIN_MODELS)


@pytest.fixture
def objects(db):
    objects = make_objects()
    # A successful random edit or deletion must not break the personas of later endpoints.
    spare = testing.make_user("spare", role="caseworker", office="helsinki")
    objects.users["spare"] = spare
    objects.admin_objects.update(
        {
            "accounts.user": spare.pk,
            "auth.group": Group.objects.create(name="spare").pk,
            "otp_totp.totpdevice": TOTPDevice.objects.create(user=spare, name="spare").pk,
        }
    )
    return objects


def _check(objects: Any, key: str, endpoint: Endpoint, data: dict[str, Any]) -> None:
    client = objects.clients[endpoint.persona]
    url = endpoint.url(objects)
    before = row_counts()
    response = client.post(url, data)
    if endpoint.signs_out:
        sign_in_verified(client, objects.users[endpoint.persona])
    assert response.status_code < 500, f"{key}: {response.status_code} for {data!r}"
    if is_error(response):
        after = row_counts()
        changed = {
            label: (before[label], after[label])
            for label in before
            if before[label] != after[label]
            and label not in NOT_DATA
            and label not in endpoint.refusal_writes
        }
        assert changed == {}, f"{key}: refused ({response.status_code}) but wrote {changed}"


def test_malformed_posts_never_fail_and_never_half_write(objects):
    objects.clients["root"] = objects.clients.get("root") or _signed_in(objects, "root")
    failures = []
    for key, endpoint in ENDPOINTS.items():
        try:
            _fuzz(objects, key, endpoint)
        except Exception as error:  # report every endpoint that fails, not only the first
            failures.append(f"{key}: {type(error).__name__}: {str(error).splitlines()[0]}")
    assert failures == []


def _fuzz(objects: Any, key: str, endpoint: Endpoint) -> None:
    @settings(
        max_examples=endpoint.examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=form_data(endpoint.fields))
    def check(data: dict[str, Any]) -> None:
        _check(objects, key, endpoint, data)

    check()


def _signed_in(objects: Any, name: str) -> Any:
    client = Client()
    sign_in_verified(client, objects.users[name])
    return client


def test_a_post_to_a_read_only_url_is_never_a_server_error_and_writes_nothing(objects):
    """A URL not fuzzed above must really only read: a POST, by anyone, is refused (405)
    or answered like a GET, writing nothing but the audit log's record of the read. A new
    form left out of the endpoints fails here: it writes, or shows its errors."""
    garbage = {"x": "\x00" * 10, "id": ["1", "2"], "💥": "=1+1", "version": "1"}
    wrong = []
    for key in sorted(READ_ONLY):
        for item in MATRIX[key]:
            for who in matrix.WHO:
                before = row_counts()
                response = objects.clients[who].post(item.url(objects), garbage)
                after = row_counts()
                written = {
                    label
                    for label in before
                    if before[label] != after[label]
                    and label not in {*NOT_DATA, AUDIT, AUDIT_PERSONS}
                }
                shown_errors = response.status_code == 200 and is_error(response)
                if response.status_code >= 500 or written or shown_errors:
                    wrong.append(f"{key} {item.label} as {who}: {response.status_code} {written}")
    assert wrong == []


# --- the API: JSON bodies with an organisation's token ------------------------------------

JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), VALUE),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(CHARACTERS, max_size=12), inner)
    ),
    max_leaves=8,
)


def api_bodies() -> st.SearchStrategy[Any]:
    """A submission with any of its fields (and the person's) malformed or missing; any JSON
    value; or text that is not JSON at all."""
    person = st.fixed_dictionaries(
        {}, optional=dict.fromkeys([*PERSON, "date_of_birth"], JSON_VALUE)
    )
    person_or_other = st.one_of(person, st.builds(lambda p: {**PERSON, **p}, person), JSON_VALUE)
    submission = st.fixed_dictionaries(
        {},
        optional={
            **dict.fromkeys([*SUBMISSION, "office"], JSON_VALUE),
            "person": person_or_other,
        },
    )
    complete = st.builds(lambda s: {**SUBMISSION, **s}, submission)
    return st.one_of(complete, submission, JSON_VALUE, st.text(CHARACTERS, max_size=40))


def test_malformed_api_submissions_never_fail_and_never_half_write(db):
    rates = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    generous = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(rates, "100000/minute"),
    }
    with override_settings(REST_FRAMEWORK=generous):
        _fuzz_api()


def _fuzz_api() -> None:
    testing.make_caseworker()  # the intake office has someone to tell
    headers = {"Authorization": f"Bearer {make_token(make_organisation())}"}
    http = Client()
    statuses: list[int] = []

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(body=api_bodies(), key=st.one_of(st.none(), st.sampled_from(["k1", "", "💥" * 300])))
    def check(body: Any, key: str | None) -> None:
        text = body if isinstance(body, str) else json.dumps(body)
        extra = {} if key is None else {"Idempotency-Key": key}
        before = row_counts()
        response = http.post(
            "/api/v1/referrals/", text, content_type="application/json", headers=headers | extra
        )
        statuses.append(response.status_code)
        assert response.status_code < 500, (response.status_code, body)
        assert response["Content-Type"].startswith("application/json")
        if response.status_code >= 400:
            after = row_counts()
            changed = {label for label in before if before[label] != after[label]}
            assert changed <= NOT_DATA, (response.status_code, changed, body)

    check()
    assert {400, 201} <= set(statuses), sorted(set(statuses))
