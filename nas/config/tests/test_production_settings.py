"""Production settings refuse to start with a demo secret key, DEBUG or demo mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 20 + "-production-secret-key-for-the-test-0123456789"


def load_production(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "NAS_VAR_DIR": str(tmp_path),
        "DJANGO_ALLOWED_HOSTS": "nas.example.fi",
        "DJANGO_SECRET_KEY": GOOD_KEY,
    } | env
    return subprocess.run(
        [sys.executable, "-c", "import nas.config.settings.production"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_starts_with_a_real_key_and_no_debug(tmp_path):
    assert load_production(tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG must be off in production"),
        ({"NAS_DEMO": "1"}, "NAS_DEMO must be off in production"),
        ({"DJANGO_SECRET_KEY": "short"}, "at least 50 characters"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS must name"),
    ],
)
def test_it_refuses_unsafe_settings(tmp_path, env, message):
    result = load_production(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_it_refuses_the_demo_secret_key(tmp_path):
    demo_key = "d" * 60
    (tmp_path / "demo_secret_key").write_text(demo_key)
    result = load_production(tmp_path, DJANGO_SECRET_KEY=demo_key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is the demo key" in result.stderr


def test_it_refuses_a_missing_secret_key(tmp_path):
    environment = {"DJANGO_SECRET_KEY": ""}
    result = load_production(tmp_path, **environment)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
