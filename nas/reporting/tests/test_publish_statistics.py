"""publish_statistics: the JSON and CSV of a period, audited; the publication formats made
by the command with progress (their content is tested in test_publication.py, freezing in
test_freeze.py)."""

from __future__ import annotations

import csv
import io
import json
import re
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook  # type: ignore[import-untyped]

from nas.audit.models import AuditEvent
from nas.common.dates import Period
from nas.reporting.keys import statistics_json


def publish(tmp_path, *args, name="out.json"):
    out = tmp_path / name
    stderr = io.StringIO()
    call_command("publish_statistics", *args, "--out", str(out), stderr=stderr)
    return out, stderr.getvalue()


def test_the_json_is_the_published_object_of_the_period(year_2025, tmp_path):
    out, progress = publish(tmp_path, "--year", "2025", "--format", "json", "--lang", "en")

    data = json.loads(out.read_text())
    assert data == statistics_json(Period.year(2025), internal=False)
    assert data["referrals.total"] == 6
    assert data["referrals.by_referrer_type.police"] is None
    assert "referrals.by_referrer_type.police" in data["suppressed"]
    assert "internal" not in data
    assert "Computing the statistics of 2025-01-01 - 2025-12-31" in progress
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_half_year_and_any_date_range(year_2025, tmp_path):
    first, _ = publish(tmp_path, "--year", "2025", "--half", "1", "--format", "json")
    assert json.loads(first.read_text())["period_end"] == "2025-06-30"
    second, _ = publish(tmp_path, "--year", "2025", "--half", "2", "--format", "json")
    assert json.loads(second.read_text())["referrals.total"] == 0
    ranged, _ = publish(tmp_path, "--from", "2025-03-02", "--to", "2025-03-31", "--format", "json")
    assert json.loads(ranged.read_text())["referrals.total"] == 5


def test_the_internal_output_is_unsuppressed_says_so_and_needs_a_purpose(year_2025, tmp_path):
    with pytest.raises(CommandError, match="purpose"):
        publish(tmp_path, "--year", "2025", "--format", "json", "--internal")
    assert not (tmp_path / "out.json").exists()

    out, _ = publish(
        tmp_path,
        "--year",
        "2025",
        "--format",
        "json",
        "--internal",
        "--purpose",
        "Quality check",
    )

    data = json.loads(out.read_text())
    assert data["internal"] is True
    assert data["referrals.by_referrer_type.police"] == 1
    assert data["suppressed"] == []
    event = AuditEvent.objects.get(action="statistics.export_internal")
    assert event.kind == AuditEvent.Kind.EXPORT
    assert event.reason == "Quality check"
    assert event.changes["internal"] is True
    assert event.changes["period_start"] == "2025-01-01"


def test_every_publication_is_audited_as_an_export(year_2025, tmp_path):
    publish(tmp_path, "--year", "2025", "--format", "csv", "--purpose", "Annual report")

    event = AuditEvent.objects.get(action="statistics.publish")
    assert event.kind == AuditEvent.Kind.EXPORT
    assert event.reason == "Annual report"
    assert event.changes["format"] == "csv"
    assert event.changes["internal"] is False


def test_the_csv_is_key_value_rows_safe_in_a_spreadsheet(year_2025, tmp_path):
    out, _ = publish(tmp_path, "--year", "2025", "--format", "csv", name="out.csv")

    rows = list(csv.reader(out.read_text().splitlines()))
    assert rows[0] == ["key", "value"]
    values = dict(rows[1:])
    assert values["referrals.total"] == "6"
    assert values["referrals.by_referrer_type.police"] == ""  # withheld
    assert "referrals.by_referrer_type.police" in values["suppressed"].split()
    assert values["period_start"] == "2025-01-01"


def test_a_cell_that_looks_like_a_formula_is_neutralised():
    from nas.reporting.services import statistics_text

    text = statistics_text({"period_start": "=HYPERLINK(1)", "x": -3, "suppressed": []}, "csv")

    assert "'=HYPERLINK(1)" in text
    assert "x,-3" in text


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "json"],
        ["--year", "2025", "--from", "2025-01-01", "--to", "2025-02-01", "--format", "json"],
        ["--from", "2025-02-01", "--to", "2025-01-01", "--format", "json"],
        ["--half", "1", "--format", "json"],
    ],
)
def test_the_period_must_be_given_once_and_make_sense(db, tmp_path, args):
    with pytest.raises(CommandError):
        publish(tmp_path, *args)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_publication_formats_in_each_language(year_2025, tmp_path, language):
    html, progress = publish(
        tmp_path, "--year", "2025", "--format", "html", "--lang", language, name="out.html"
    )
    pdf, pdf_progress = publish(
        tmp_path, "--year", "2025", "--format", "pdf", "--lang", language, name="out.pdf"
    )
    xlsx, _ = publish(
        tmp_path, "--year", "2025", "--format", "xlsx", "--lang", language, name="out.xlsx"
    )

    page = html.read_text()
    assert f'<html lang="{language}"' in page and page.count("<h1") == 1
    assert 'src="data:image/svg+xml;base64,' in page  # the charts
    assert pdf.read_bytes().startswith(b"%PDF-")
    workbook = load_workbook(xlsx, read_only=True)
    assert len(workbook.sheetnames) > 5  # one sheet per table
    assert "Computing the statistics of 2025-01-01 - 2025-12-31" in progress
    # The progress bar reaches its last step (tables, charts, layout: steps("pdf") in all).
    assert re.search(r"statistics: 100%.* (\d+)/\1 ", pdf_progress), pdf_progress
    for out in (html, pdf, xlsx):
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    published = AuditEvent.objects.filter(action="statistics.publish")
    assert published.count() == 3
