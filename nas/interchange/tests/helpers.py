"""Helpers of the interchange tests: run the commands, empty the database of records."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command

from nas.assistance.models import Service
from nas.casework.models import ClientPeriod, Task
from nas.people.models import Person
from nas.referrals.models import AdmissionDecision, Referral

DATA = Path(__file__).parent / "data"


def export(path: Path, purpose: str = "test of the dossier format") -> bytes:
    """Run export_dossiers to PATH and return the file's bytes."""
    call_command(
        "export_dossiers", str(path), purpose=purpose, no_progress=True, stdout=io.StringIO()
    )
    return path.read_bytes()


def import_file(path: Path, report: Path) -> dict[str, Any]:
    """Run import_dossiers on PATH and return its JSON report."""
    call_command(
        "import_dossiers",
        str(path),
        report=str(report),
        no_progress=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def wipe_records() -> None:
    """Delete every person and record about them (reference lists, users and audit stay)."""
    Service.objects.all().delete()
    ClientPeriod.objects.filter(parent__isnull=False).delete()
    ClientPeriod.objects.all().delete()
    Task.objects.all().delete()
    AdmissionDecision.objects.all().delete()
    Referral.objects.all().delete()
    Person.objects.all().delete()
