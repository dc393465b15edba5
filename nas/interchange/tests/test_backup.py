"""Backup and restore: every record comes back; encrypted backups need a configured key.

The round trip runs the real commands in fresh processes against a database of its own (a
file for SQLite, a new database for PostgreSQL), on the database the suite runs on: the
suite's own test database is in memory (SQLite) or shared by every test.
"""

from __future__ import annotations

import io
import os
import secrets
import sqlite3
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from nas.interchange import backup
from nas.interchange.backup import (
    MAGIC,
    BackupError,
    decrypt_stream,
    encrypt_stream,
    pg_connection,
    pg_tool,
    sqlite_backup,
)

ROOT = Path(__file__).resolve().parents[3]
KEY = Fernet.generate_key().decode()
OTHER_KEY = Fernet.generate_key().decode()


def encrypted(data: bytes, chunk_size: int = 16) -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, chunk_size=chunk_size)
    return out.getvalue()


def decrypted(data: bytes) -> bytes:
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(data), out)
    return out.getvalue()


def parts(data: bytes) -> list[bytes]:
    """Split an encrypted backup into its framed parts (length prefix included)."""
    found, position = [], len(MAGIC)
    while position < len(data):
        size = int.from_bytes(data[position : position + 4], "big")
        found.append(data[position : position + 4 + size])
        position += 4 + size
    return found


# --------------------------------------------------------------------------- the format


@override_settings(NAS_ENCRYPTION_KEYS=[KEY])
@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 48, 1000])
def test_an_encrypted_backup_decrypts_to_the_same_bytes_at_every_part_boundary(size):
    data = secrets.token_bytes(size)

    sealed = encrypted(data)

    assert sealed.startswith(MAGIC)
    assert data == decrypted(sealed)
    assert len(parts(sealed)) == max(1, -(-size // 16))


@override_settings(NAS_ENCRYPTION_KEYS=[KEY])
def test_an_encrypted_backup_holds_nothing_in_clear():
    data = b"SQLite format 3\x00" + b"Zarathustra Renamedfamily " * 100

    sealed = encrypted(data, chunk_size=64)

    assert b"Zarathustra" not in sealed and b"SQLite" not in sealed


@override_settings(NAS_ENCRYPTION_KEYS=[KEY])
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p[:-1], "truncated"),  # the last part lost
        (lambda p: [p[1], p[0], *p[2:]], "missing, repeated or from another"),
        (lambda p: [p[0], *p[2:]], "missing, repeated or from another"),
        (lambda p: [*p, p[-1]], "after its last part"),
        (lambda p: [p[0], p[1][:-5] + b"xxxxx", *p[2:]], "part 1 fails its check"),
        (lambda p: [p[0], p[1][:-5]], "truncated"),
    ],
)
def test_a_damaged_encrypted_backup_is_refused(damage, message):
    sealed = encrypted(secrets.token_bytes(100))

    with pytest.raises(BackupError, match=message):
        decrypted(MAGIC + b"".join(damage(parts(sealed))))


@override_settings(NAS_ENCRYPTION_KEYS=[KEY])
def test_parts_of_another_backup_are_refused():
    first, second = parts(encrypted(b"a" * 40)), parts(encrypted(b"b" * 40))

    with pytest.raises(BackupError, match="from another file"):
        decrypted(MAGIC + first[0] + second[1] + first[2])


def test_a_backup_survives_a_key_rotation_while_its_key_is_still_configured():
    with override_settings(NAS_ENCRYPTION_KEYS=[KEY]):
        sealed = encrypted(b"the data" * 10)

    with override_settings(NAS_ENCRYPTION_KEYS=[OTHER_KEY, KEY]):
        assert decrypted(sealed) == b"the data" * 10
    with override_settings(NAS_ENCRYPTION_KEYS=[OTHER_KEY]):
        with pytest.raises(BackupError, match="cannot be decrypted with any key"):
            decrypted(sealed)


def test_a_plain_file_is_not_taken_for_an_encrypted_backup():
    with pytest.raises(BackupError, match="not an encrypted NAS backup"):
        decrypted(b"SQLite format 3\x00")


# --------------------------------------------------------------------------- the parts


def test_pg_dump_gets_the_password_from_the_environment_never_the_command_line():
    arguments, environment = pg_connection(
        {
            "NAME": "nas",
            "USER": "nas_owner",
            "PASSWORD": "s3cret-pass",
            "HOST": "db.internal",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "verify-full"},
        }
    )

    assert arguments == [
        "--no-password",
        "--host=db.internal",
        "--port=5433",
        "--username=nas_owner",
        "--dbname=nas",
    ]
    assert not any("s3cret" in argument for argument in arguments)
    assert environment["PGPASSWORD"] == "s3cret-pass"
    assert environment["PGSSLMODE"] == "verify-full"


def make_program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_pg_tool_prefers_the_version_of_the_server(tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "PG_LIB_DIR", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    make_program(tmp_path / "14" / "bin" / "pg_dump")
    make_program(tmp_path / "16" / "bin" / "pg_dump")

    assert pg_tool("pg_dump", server_major=14) == str(tmp_path / "14" / "bin" / "pg_dump")
    assert pg_tool("pg_dump", server_major=15) == str(tmp_path / "16" / "bin" / "pg_dump")
    with pytest.raises(BackupError, match="postgresql-client-15"):
        pg_tool("pg_restore", server_major=15)


def test_the_sqlite_backup_is_consistent_while_another_connection_writes(tmp_path):
    database = tmp_path / "live.sqlite3"
    live = sqlite3.connect(database, isolation_level=None)
    live.execute("PRAGMA journal_mode=WAL")
    for table in ("django_migrations", "audit_auditevent", "people_person"):
        live.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
    live.execute("INSERT INTO people_person VALUES (1)")
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO people_person VALUES (2)")  # not committed yet

    sqlite_backup(database, tmp_path / "copy.sqlite3")

    writer.execute("COMMIT")
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("SELECT id FROM people_person").fetchall() == [(1,)]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    for db in (copy, writer, live):
        db.close()


def test_restore_refuses_without_yes(tmp_path, monkeypatch):
    monkeypatch.setenv("NAS_ALLOW_RESTORE", "1")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "any.backup"))


def test_restore_refuses_outside_development_unless_allowed(tmp_path, monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.delenv("NAS_ALLOW_RESTORE", raising=False)

    with pytest.raises(CommandError, match="NAS_ALLOW_RESTORE=1"):
        call_command("restore", str(tmp_path / "any.backup"), yes=True)


# --------------------------------------------------------------------------- the round trip


class Installation:
    """The NAS run as separate processes on a database of its own, as an operator runs it."""

    def __init__(self, tmp_path: Path, database_url: str) -> None:
        self.dir = tmp_path
        self.environment = {
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "nas.config.settings.test",
            "NAS_VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": database_url,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "NAS_ENCRYPTION_KEYS": KEY,
        }

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args, *self.skip_checks(args[0])],
            cwd=ROOT,
            env=self.environment | env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    @staticmethod
    def skip_checks(command: str) -> list[str]:
        # The system checks import every view: seconds per process, and nothing to test here.
        return [] if command == "shell" else ["--skip-checks"]

    def ok(self, *args: str, **env: str) -> str:
        result = self.run(*args, **env)
        assert result.returncode == 0, f"{args}: {result.stderr}"
        return result.stdout

    def export(self, name: str) -> bytes:
        self.ok("export_dossiers", str(self.dir / name), "--purpose", "test", "--no-progress")
        return (self.dir / name).read_bytes()


@pytest.fixture
def sqlite_installation(tmp_path: Path) -> Iterator[tuple[Installation, object]]:
    database = tmp_path / "nas.sqlite3"

    def destroy() -> None:
        for file in tmp_path.glob("nas.sqlite3*"):
            file.unlink()

    yield Installation(tmp_path, f"sqlite:///{database}"), destroy


@pytest.fixture
def postgresql_installation(tmp_path: Path) -> Iterator[tuple[Installation, object]]:
    """A new, uniquely named PostgreSQL database on the suite's server, dropped at the end."""
    config = connection.settings_dict
    name = f"nas_backup_test_{uuid.uuid4().hex[:12]}"
    server: dict[str, Any] = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
    }

    def sql(*statements: str) -> None:
        with psycopg.connect(**server, autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)  # a generated name, no input

    def destroy() -> None:
        sql(f'DROP DATABASE "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')

    sql(f'CREATE DATABASE "{name}"')
    user = quote(config.get("USER") or "", safe="")
    password = f":{quote(config['PASSWORD'], safe='')}" if config.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = config.get("HOST") or "localhost"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    try:
        yield Installation(tmp_path, f"postgres://{credentials}{host}{port}/{name}"), destroy
    finally:
        sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def installation(request):
    """The installation on the database the suite runs on."""
    if connection.vendor == "postgresql":
        return request.getfixturevalue("postgresql_installation")
    return request.getfixturevalue("sqlite_installation")


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_it_backs_up_destroys_the_database_restores_and_finds_every_record_again(installation):
    nas, destroy = installation
    nas.ok("migrate", "--no-input", "-v0")
    nas.ok(
        "generate_demo_data",
        *("--seed", "2", "--years", "2024-2025", "--scale", "0.05", "--no-progress"),
    )
    before = nas.export("before.jsonl")
    plain, sealed = nas.dir / "plain.backup", nas.dir / "sealed.backup"
    nas.ok("backup", str(plain))
    nas.ok("backup", str(sealed), "--encrypt")
    assert before.count(b"\n") > 100
    assert private(plain) and private(sealed)
    assert sealed.read_bytes().startswith(MAGIC)
    assert b"PGDMP" not in sealed.read_bytes() and b"SQLite" not in sealed.read_bytes()

    destroy()
    refused = nas.run("restore", str(plain), NAS_ALLOW_RESTORE="1")
    assert refused.returncode != 0 and "--yes" in refused.stderr
    restored = nas.ok("restore", str(plain), "--yes", NAS_ALLOW_RESTORE="1")

    assert nas.export("after.jsonl") == before
    assert "persons: " in restored and "audit_verify" in restored
    # The restore refreshed the planner statistics (a pg_dump carries none).
    analysed = nas.ok(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; from nas.interchange.tests.test_commands import "
        "PLANNER_STATISTICS as Q; c = connection.cursor(); c.execute(Q[connection.vendor]); "
        "print('analysed' if c.fetchone()[0] else 'not analysed')",
    )
    assert analysed.strip() == "analysed"
    assert "intact" in nas.ok("audit_verify")

    destroy()
    wrong = nas.run(
        "restore", str(sealed), "--yes", NAS_ALLOW_RESTORE="1", NAS_ENCRYPTION_KEYS=OTHER_KEY
    )
    assert wrong.returncode != 0
    assert "cannot be decrypted with any key of NAS_ENCRYPTION_KEYS" in wrong.stderr
    if connection.vendor == "sqlite":
        assert not list(nas.dir.glob("nas.sqlite3*")), "a refused restore created the database"
    rotated = {"NAS_ALLOW_RESTORE": "1", "NAS_ENCRYPTION_KEYS": f"{OTHER_KEY},{KEY}"}
    nas.ok("restore", str(sealed), "--yes", **rotated)

    nas.environment["NAS_ENCRYPTION_KEYS"] = rotated["NAS_ENCRYPTION_KEYS"]
    assert nas.export("after-encrypted.jsonl") == before
    assert "intact" in nas.ok("audit_verify")
    actions = nas.ok(
        "shell",
        "-c",
        "from nas.audit.models import AuditEvent as E; "
        "print(*E.objects.order_by('seq').values_list('action', flat=True))",
    ).split()
    # The sealed backup holds the event of the plain one, taken before it; the restore is
    # recorded in the restored database.
    assert actions[-3:] == ["database.backup", "database.restore", "dossiers.export"]
