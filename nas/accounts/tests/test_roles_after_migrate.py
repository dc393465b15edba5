"""A fresh database gets its role groups with their permissions from migrate alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_migrate_alone_gives_the_roles_their_permissions(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "NAS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "nas.config.settings.test",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    script = (
        "import json\n"
        "from django.contrib.auth.models import Group\n"
        "print(json.dumps({g.name: g.permissions.count() for g in Group.objects.all()}))"
    )
    result = subprocess.run(
        [*manage, "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["caseworker"] > 0
    assert counts["decision_maker"] > counts["caseworker"]
    assert counts["auditor"] > 0
