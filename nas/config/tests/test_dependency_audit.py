"""`make lint`'s dependency audit tells "vulnerable" from "could not check" (no network)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "dependency_audit.py"

CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}], "fixes": []}
VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {
            "name": "sqlparse",
            "version": "0.4.3",
            "vulns": [{"id": "GHSA-rrm6-wvj7-cwh2", "fix_versions": ["0.4.4"]}],
        },
    ],
    "fixes": [],
}
UNREACHABLE = {
    "dependencies": [
        {
            "name": "django",
            "skip_reason": "Dependency not found on PyPI and could not be audited: django",
        },
    ],
    "fixes": [],
}


def judge(tmp_path: Path, report: dict, **env: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    environment = {"PATH": os.environ.get("PATH", "")} | env
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--report", str(path)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_clean_report_passes(tmp_path):
    result = judge(tmp_path, CLEAN)
    assert result.returncode == 0
    assert "no known vulnerability in 1 dependencies" in result.stdout


@pytest.mark.parametrize("required", ["", "1"])
def test_a_known_vulnerability_fails_and_is_named(tmp_path, required):
    result = judge(tmp_path, VULNERABLE, NAS_REQUIRE_DEPENDENCY_AUDIT=required)
    assert result.returncode == 1
    assert "sqlparse 0.4.3: GHSA-rrm6-wvj7-cwh2 (fixed in 0.4.4)" in result.stderr


def test_an_unreachable_advisory_service_is_a_loud_warning(tmp_path):
    result = judge(tmp_path, UNREACHABLE)
    assert result.returncode == 0
    assert "could not check 1 of 1 dependencies" in result.stderr
    assert "NOT checked" in result.stderr


def test_an_unreachable_advisory_service_fails_when_the_audit_is_required(tmp_path):
    result = judge(tmp_path, UNREACHABLE, NAS_REQUIRE_DEPENDENCY_AUDIT="1")
    assert result.returncode == 1
