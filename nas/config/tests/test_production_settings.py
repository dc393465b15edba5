"""Production settings: refuse to start when unsafe; `check --deploy` finds nothing to warn of.

Each test loads the production settings in a fresh Python process, as a server would, with a
minimal environment of its own (never the developer's shell).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 20 + "-production-secret-key-for-the-test-0123456789"
ENCRYPTION_KEY = Fernet.generate_key().decode()
SEARCH_KEY = "search-key-for-the-production-settings-test-0123456789"
HOST = "nas.example.fi"


def run_production(tmp_path: Path, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python ARGS` in the repository with the production settings and ENV."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "nas.config.settings.production",
        "NAS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'never-created.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "NAS_ENCRYPTION_KEYS": ENCRYPTION_KEY,
        "NAS_SEARCH_KEY": SEARCH_KEY,
        "NAS_SITE_URL": f"https://{HOST}",
    } | env
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def load_production(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run_production(tmp_path, ["-c", "import nas.config.settings.production"], **env)


def test_it_starts_with_a_real_key_and_no_debug(tmp_path):
    result = load_production(tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG must be off in production"),
        ({"NAS_DEMO": "1"}, "NAS_DEMO must be off in production"),
        ({"DJANGO_SECRET_KEY": "short"}, "at least 50 characters"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS must name"),
        ({"NAS_ENCRYPTION_KEYS": ""}, "NAS_ENCRYPTION_KEYS must be set in production"),
        ({"NAS_ENCRYPTION_KEYS": "not-a-fernet-key"}, "NAS_ENCRYPTION_KEYS must be Fernet keys"),
        (
            {"NAS_ENCRYPTION_KEYS": f"{ENCRYPTION_KEY},short"},
            "NAS_ENCRYPTION_KEYS must be Fernet keys",
        ),
        ({"NAS_SEARCH_KEY": ""}, "NAS_SEARCH_KEY must be set in production"),
        # "<2" would publish every one as a 1.
        ({"NAS_DISCLOSURE_THRESHOLD": "2"}, "NAS_DISCLOSURE_THRESHOLD must be at least 3"),
        ({"NAS_SEARCH_KEY": "too short"}, "NAS_SEARCH_KEY must be set in production"),
        ({"NAS_SITE_URL": ""}, "NAS_SITE_URL must be the application's https:// address"),
        (
            {"NAS_SITE_URL": "http://127.0.0.1:8000"},
            "NAS_SITE_URL must be the application's https:// address",
        ),
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


# --- manage.py check --deploy ---------------------------------------------------------

CHECK_ID = re.compile(r"\(([\w.]+)\.([WE])\d+\)")


def test_check_deploy_finds_nothing_to_warn_of(tmp_path):
    result = run_production(tmp_path, ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"])
    output = result.stdout + result.stderr
    assert CHECK_ID.findall(output) == [], output
    assert "System check identified no issues" in result.stdout, output
    assert result.returncode == 0, output


def test_check_deploy_would_warn_of_a_weak_setting(tmp_path):
    """The test above can fail: switching HSTS off is reported."""
    result = run_production(
        tmp_path, ["manage.py", "check", "--deploy"], DJANGO_SECURE_HSTS_SECONDS="0"
    )
    assert "(security.W004)" in result.stdout + result.stderr


# --- what a browser receives in production --------------------------------------------

FETCH_SIGN_IN_PAGE = f"""
HOST = {HOST!r}
import json
import django
django.setup()
from django.test import Client
response = Client().get("/accounts/sign-in/", secure=True, headers={{"host": HOST}})
print(json.dumps({{
    "status": response.status_code,
    "headers": dict(response.headers),
    "cookies": {{name: dict(morsel) for name, morsel in response.cookies.items()}},
}}))
"""


@pytest.fixture(scope="module")
def production_sign_in_page(tmp_path_factory) -> dict:
    result = run_production(tmp_path_factory.mktemp("var"), ["-c", FETCH_SIGN_IN_PAGE])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_with_subdomains(production_sign_in_page):
    headers = production_sign_in_page["headers"]
    assert production_sign_in_page["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_sends_the_security_headers(production_sign_in_page):
    headers = production_sign_in_page["headers"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_production_cookies_are_secure_http_only_and_same_site(production_sign_in_page):
    csrf = production_sign_in_page["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"


def test_production_session_cookie_is_secure_http_only_and_same_site(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.SECURE_SSL_REDIRECT)"
    )
    result = run_production(tmp_path, ["-c", code])
    assert result.stdout.split() == ["True", "True", "Lax", "True"], result.stderr


def test_it_refuses_the_demo_encryption_key(tmp_path):
    demo_key = Fernet.generate_key().decode()
    (tmp_path / "demo_encryption_key").write_text(demo_key)
    result = load_production(tmp_path, NAS_ENCRYPTION_KEYS=f"{ENCRYPTION_KEY},{demo_key}")
    assert result.returncode != 0
    assert "NAS_ENCRYPTION_KEYS holds the demo key" in result.stderr


def test_it_accepts_several_encryption_keys_for_rotation(tmp_path):
    older = Fernet.generate_key().decode()
    result = load_production(tmp_path, NAS_ENCRYPTION_KEYS=f"{ENCRYPTION_KEY},{older}")
    assert result.returncode == 0, result.stderr
