"""The commands: export needs a purpose and is audited; the import acts as nas-import."""

from __future__ import annotations

import io
import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nas.accounts.roles import Role
from nas.audit.models import AuditEvent
from nas.common import testing
from nas.interchange.services import IMPORT_USERNAME, import_account
from nas.interchange.tests.helpers import DATA, export, import_file, wipe_records
from nas.people.models import Person
from nas.referrals.models import Referral


def test_an_export_needs_a_purpose(db, tmp_path):
    with pytest.raises(CommandError, match="--purpose"):
        call_command("export_dossiers", str(tmp_path / "x.jsonl"), no_progress=True)
    with pytest.raises(CommandError, match="purpose"):
        call_command("export_dossiers", str(tmp_path / "x.jsonl"), purpose=" ", no_progress=True)
    assert not (tmp_path / "x.jsonl").exists()


def test_an_export_is_audited_with_its_purpose_and_every_person_in_it(db, tmp_path):
    first = testing.make_client()
    second = testing.make_referral()

    export(tmp_path / "out.jsonl", purpose="Access request of the data subject")

    event = AuditEvent.objects.get(action="dossiers.export")
    assert event.kind == AuditEvent.Kind.EXPORT
    assert event.reason == "Access request of the data subject"
    assert sorted(event.changes["person_ids"]) == sorted([first.person_id, second.person_id])
    assert event.changes["file"] == "out.jsonl"


def test_the_exported_file_is_readable_by_its_owner_only_and_ordered_by_ref(db, tmp_path):
    for _ in range(3):
        testing.make_referral()

    text = export(tmp_path / "out.jsonl").decode("utf-8")

    mode = stat.S_IMODE((tmp_path / "out.jsonl").stat().st_mode)
    assert mode == 0o600
    refs = [json.loads(line)["ref"] for line in text.splitlines()]
    assert refs == sorted(Person.objects.values_list("ref", flat=True))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary left"


def test_the_import_account_cannot_sign_in_and_signs_as_a_decision_maker(db):
    user = import_account()

    assert user.username == IMPORT_USERNAME
    assert not user.has_usable_password()
    assert not user.is_superuser and not user.is_staff
    assert user.has_role(Role.DECISION_MAKER)
    assert user.has_perm("referrals.decide_admission")
    assert import_account().pk == user.pk  # created once


def test_imported_records_are_audited_as_the_import_account(db, tmp_path):
    report = import_file(DATA / "bad_lines.jsonl", tmp_path / "report.json")

    actors = set(
        AuditEvent.objects.filter(action="person.create").values_list("actor_label", flat=True)
    )
    assert actors == {IMPORT_USERNAME}
    summary = AuditEvent.objects.get(action="dossiers.import")
    assert summary.kind == AuditEvent.Kind.IMPORT
    assert summary.changes["loaded"] == report["loaded"]
    assert summary.changes["source"] == "bad_lines.jsonl"


def test_the_import_reports_each_rejected_line_on_stderr(db, tmp_path):
    stderr, stdout = io.StringIO(), io.StringIO()

    call_command(
        "import_dossiers",
        str(DATA / "bad_lines.jsonl"),
        no_progress=True,
        stdout=stdout,
        stderr=stderr,
    )

    assert "line 6 (P-BAD-01): referrals[0].referrer_type: unknown code: fax_machine" in (
        stderr.getvalue()
    )
    assert "5 loaded, 1 unchanged, 29 rejected, 1 conflicts" in stdout.getvalue()


def test_history_of_a_closed_office_is_imported(db, tmp_path):
    first_line = (DATA / "bad_lines.jsonl").read_text(encoding="utf-8").splitlines()[0]
    dossier = json.loads(first_line)
    dossier["ref"], dossier["referrals"][0]["ref"] = "P-OULU-1", "R-OULU-1"
    dossier["referrals"][0]["office"] = "oulu"
    for period in dossier["client_periods"]:
        period["referral_ref"], period["office"] = "R-OULU-1", "oulu"
        for child in period["children"]:
            child["ref"] = "C-OULU-1"
    source = tmp_path / "oulu.jsonl"
    source.write_text(json.dumps(dossier) + "\n", encoding="utf-8")

    report = import_file(source, tmp_path / "report.json")

    assert report["problems"] == []
    assert Referral.objects.get(ref="R-OULU-1").office_id == "oulu"


PLANNER_STATISTICS = {
    # SQLite keeps ANALYZE's results in sqlite_stat1 (absent until the first ANALYZE).
    "sqlite": "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'referrals_referral'",
    # last_analyze is set by a manual ANALYZE only (autovacuum sets last_autoanalyze).
    "postgresql": "SELECT count(*) FROM pg_stat_user_tables "
    "WHERE relname = 'referrals_referral' AND last_analyze IS NOT NULL",
}


def forget_planner_statistics() -> None:
    """Drop what an earlier ANALYZE left (other tests may have run one)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone()[0]:
                cursor.execute("DELETE FROM sqlite_stat1")
        else:
            cursor.execute("SELECT pg_stat_reset()")


def planner_statistics_of_referrals() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return False
        cursor.execute(PLANNER_STATISTICS[connection.vendor])
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_that_loads_records_refreshes_the_planner_statistics(tmp_path):
    for _ in range(3):
        testing.make_client()
    dossiers = export(tmp_path / "out.jsonl")
    wipe_records()
    (tmp_path / "in.jsonl").write_bytes(dossiers)
    forget_planner_statistics()
    assert not planner_statistics_of_referrals()

    report = import_file(tmp_path / "in.jsonl", tmp_path / "report.json")

    assert report["loaded"] == 3
    assert planner_statistics_of_referrals()
