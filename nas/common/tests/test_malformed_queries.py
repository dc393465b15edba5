"""Malformed query strings to every page: never a 500, and a GET writes nothing.

test_malformed_input fuzzes every POST form; the forms read from the query string (the inbox
and contact filters, the client search, the auditor's queries and exports, the statistics and
their downloads, the letters' language, every page number, the admin's lists) are fuzzed here
with Hypothesis. The pages come from the access matrix, whose keys are checked against the URL
resolver, so a new page is fuzzed without an entry here; each case is requested by a persona
the matrix lets in (status 200). A GET may write only the record of the read (the audit log),
sessions and sign-in records.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nas.audit.forms import PersonAccessForm, UserActivityExportForm
from nas.casework.views_search import ClientSearchForm
from nas.common.tests import matrix
from nas.common.tests.test_access_matrix import MATRIX, make_objects, url_patterns
from nas.common.tests.test_malformed_input import NOT_DATA, SIGN_IN_RECORDS, VALUES, row_counts
from nas.referrals.forms import InboxFilterForm
from nas.referrals.forms_contacts import (
    ConsultationFilterForm,
    HelplineFilterForm,
    TrainingFilterForm,
)
from nas.reporting.forms import DownloadForm

pytestmark = pytest.mark.django_db

MAY_WRITE = {*NOT_DATA, *SIGN_IN_RECORDS, "audit.AuditEventPerson"}

# The pages whose forms read the query string: fuzzed harder.
QUERY_FORMS = {
    "referrals:inbox": InboxFilterForm,
    "client_search": ClientSearchForm,
    "audit:person_access": PersonAccessForm,
    "audit:person_access_export": PersonAccessForm,
    "audit:user_activity": UserActivityExportForm,
    "audit:user_activity_export": UserActivityExportForm,
    "reporting:statistics": DownloadForm,
    "reporting:download": DownloadForm,
    "contacts:helpline": HelplineFilterForm,
    "contacts:consultations": ConsultationFilterForm,
    "contacts:training": TrainingFilterForm,
}
# Read straight from request.GET, and the admin's own list parameters.
PLAIN = ("page", "lang", "next", "format", "q", "o", "p", "e", "all", "_to_field", "_popup")
FIELDS = tuple(sorted({*PLAIN, *(f for form in QUERY_FORMS.values() for f in form.base_fields)}))
# The API is not signed in with a session (401 before any parameter is read): schemathesis
# fuzzes it with a token (nas/api/tests/test_schema.py).
SKIP_PREFIX = "api:"


def _persona(expected: dict[str, int]) -> str | None:
    """A persona the matrix lets in, preferring those who see the most."""
    order = ("decision_maker", "auditor", "statistician", "administrator", *matrix.WHO)
    return next((who for who in order if expected.get(who) == 200), None)


def _real_values(objects: Any) -> list[str]:
    """Values a form accepts, so that the fuzzing also gets past validation."""
    person = objects.helsinki_client.person
    return [
        person.ref,
        objects.users["caseworker_helsinki"].username,
        "helsinki",
        "2024",
        "h1",
        "year",
        "half_year",
        "csv",
        "xlsx",
        "json",
        "pdf",
        "fi",
        "sv",
        "en",
        "any",
        "read",
        "2",
        "999999",
        "2024-01-01",
    ]


def _queries(objects: Any) -> st.SearchStrategy[dict[str, Any]]:
    value = st.one_of(VALUES, st.sampled_from(_real_values(objects)))
    known = st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, value))
    unknown = st.dictionaries(st.text(max_size=8), value, max_size=2)
    return st.builds(lambda a, b: {**b, **a}, known, unknown)


def test_every_page_of_the_resolver_is_in_the_matrix():
    assert set(url_patterns()) == set(MATRIX)


def test_malformed_query_strings_never_fail_and_a_get_writes_nothing(db):
    objects = make_objects()
    queries = _queries(objects)
    failures: list[str] = []
    fuzzed = set()
    answered: dict[str, set[int]] = {}
    for key, cases in sorted(MATRIX.items()):
        if key.startswith(SKIP_PREFIX):
            continue
        for item in cases:
            who = _persona(item.expected)
            if who is None:
                continue
            fuzzed.add(key)
            examples = 25 if key in QUERY_FORMS else 3
            try:
                statuses = answered.setdefault(key, set())
                _fuzz(objects, key, item.url(objects), who, queries, examples, statuses)
            except Exception as error:  # report every page that fails, not only the first
                failures.append(f"{key} {item.label}: {type(error).__name__}: {error}"[:600])
    assert set(QUERY_FORMS) <= fuzzed
    # The query forms' pages were really reached, not only refused.
    assert {key for key in QUERY_FORMS if 200 in answered[key]} == set(QUERY_FORMS), answered
    assert failures == []


def _fuzz(
    objects: Any, key: str, url: str, who: str, queries: Any, examples: int, statuses: set[int]
) -> None:
    client = objects.clients[who]

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(query=queries)
    def check(query: dict[str, Any]) -> None:
        before = row_counts()
        response = client.get(url, query)
        statuses.add(response.status_code)
        assert response.status_code < 500, f"{response.status_code} for {query!r}"
        after = row_counts()
        written = {
            label: (before[label], after[label])
            for label in before
            if before[label] != after[label] and label not in MAY_WRITE
        }
        assert written == {}, f"wrote {written} for {query!r}"

    check()
