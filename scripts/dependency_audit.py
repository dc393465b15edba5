#!/usr/bin/env python3
"""Check the pinned dependencies against the known-vulnerability database (pip-audit).

Usage: scripts/dependency_audit.py REQUIREMENTS... (run by `make lint`)

Exit status:
  0  no known vulnerability; or the advisory service could not be reached, which is
     reported loudly (set NAS_REQUIRE_DEPENDENCY_AUDIT=1 to make that a failure too)
  1  a dependency has a known vulnerability, or the audit could not run and
     NAS_REQUIRE_DEPENDENCY_AUDIT is set

pip-audit itself reports "No known vulnerabilities found" and succeeds when it could not look
a single package up (e.g. without access to PyPI's JSON API); this script tells the two apart.
`--report FILE` classifies a pip-audit JSON report already made (used by the tests).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
BANNER = "!" * 78


def vulnerable(report: dict[str, Any]) -> list[str]:
    """Return one line per known vulnerability in REPORT."""
    return [
        f"{dep['name']} {dep.get('version', '?')}: {vuln.get('id', '?')}"
        f" (fixed in {', '.join(vuln.get('fix_versions') or []) or 'no release yet'})"
        for dep in report.get("dependencies", [])
        for vuln in dep.get("vulns") or []
    ]


def unchecked(report: dict[str, Any]) -> list[str]:
    """Return the reason each dependency of REPORT could not be checked."""
    return [dep["skip_reason"] for dep in report.get("dependencies", []) if dep.get("skip_reason")]


def run_pip_audit(requirements: list[str]) -> tuple[dict[str, Any] | None, str]:
    """Run pip-audit on the hashed REQUIREMENTS; return its JSON report (None if none) and log."""
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "report.json"
        command = [str(PIP_AUDIT), "--require-hashes", "--disable-pip", "--progress-spinner=off"]
        command += [arg for name in requirements for arg in ("-r", name)]
        command += ["--format", "json", "--output", str(output)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        log = (result.stdout + result.stderr).strip()
        if not output.exists() or not output.read_text().strip():
            return None, log
        return json.loads(output.read_text()), log


def warn_unaudited(message: str) -> int:
    """Say loudly that nothing (or not everything) was audited; fail only if required."""
    required = os.environ.get("NAS_REQUIRE_DEPENDENCY_AUDIT", "").lower() in {"1", "true", "yes"}
    print(BANNER, file=sys.stderr)
    print(f"WARNING: {message}", file=sys.stderr)
    print("Known vulnerabilities of these dependencies were NOT checked.", file=sys.stderr)
    if required:
        print("NAS_REQUIRE_DEPENDENCY_AUDIT is set: this is a failure.", file=sys.stderr)
    print(BANNER, file=sys.stderr)
    return 1 if required else 0


def judge(report: dict[str, Any] | None, log: str = "") -> int:
    """Print the verdict on REPORT and return the exit status."""
    if report is None:
        tail = "\n".join(log.splitlines()[-3:])
        return warn_unaudited(f"pip-audit could not run (no network?):\n{tail}")
    found = vulnerable(report)
    if found:
        print("Known vulnerabilities in the pinned dependencies:", file=sys.stderr)
        print("\n".join(f"  {line}" for line in found), file=sys.stderr)
        return 1
    skipped = unchecked(report)
    total = len(report.get("dependencies", []))
    if skipped:
        return warn_unaudited(
            f"pip-audit could not check {len(skipped)} of {total} dependencies against the "
            f"advisory database, e.g.\n  {skipped[0]}"
        )
    print(f"pip-audit: no known vulnerability in {total} dependencies.")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--report"] and len(argv) == 2:
        return judge(json.loads(Path(argv[1]).read_text()))
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    return judge(*run_pip_audit(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
