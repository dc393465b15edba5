"""Back up and restore the whole database: SQLite's online backup, PostgreSQL's pg_dump.

A backup is one file, created readable by its owner only. SQLite is copied with the SQLite
backup API (a consistent copy while the application runs); PostgreSQL with
`pg_dump --format=custom` (one snapshot) and restored with `pg_restore --clean --if-exists
--no-owner --single-transaction` (all or nothing).

An encrypted backup (`encrypt=True`) is the same file encrypted with the keys that encrypt the
identifiers (`nas.common.crypto.fernet()`, settings.NAS_ENCRYPTION_KEYS), in parts of
CHUNK_SIZE bytes, so that no file is ever read whole into memory. The format:

    MAGIC, then parts: a 4-byte big-endian length N and N bytes of a Fernet token (its bytes,
    not their base64 text).
    Each token's plain text is a 25-byte header (16 random bytes naming the backup, the part's
    index as an 8-byte big-endian number, 1 byte: 1 for the last part, else 0), then the data.

Fernet authenticates each part; the header makes a removed, repeated, reordered or foreign
part, or a file cut after any part, an error instead of a quietly different database. The
restore decrypts with any configured key (MultiFernet), so a backup survives a key rotation
as long as its key is still in the list, and checks the whole file before it touches the
database.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import shutil
import sqlite3
import struct
import subprocess  # nosec B404
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.fernet import InvalidToken
from django.db import connection, transaction

from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.casework.models import ClientPeriod
from nas.common.crypto import fernet
from nas.common.database import analyze
from nas.people.models import Person
from nas.referrals.models import Referral

MAGIC = b"NAS encrypted backup 1\n"
CHUNK_SIZE = 4 * 1024 * 1024
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
PG_LIB_DIR = Path("/usr/lib/postgresql")

_LENGTH = struct.Struct(">I")
_PART = struct.Struct(">16sQB")
# A part's token: the header, the data, and Fernet's 57 to 73 bytes (version, time, IV,
# padding, HMAC); anything longer is damage, not a part to read into memory.
_MAX_TOKEN = CHUNK_SIZE + _PART.size + 128
# libpq reads these from the environment; dj-database-url puts them in OPTIONS.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
# Tables every NAS database has; a file without them is not a backup of this application.
_NAS_TABLES = ("django_migrations", "audit_auditevent", "people_person")

WRONG_KEY = (
    "The backup cannot be decrypted with any key of NAS_ENCRYPTION_KEYS. It was encrypted "
    "with a key that is not configured (after a key rotation, keep the old key in the list, "
    "after the new one, for as long as its backups are kept), or the file is damaged."
)


class BackupError(Exception):
    """A backup or a restore that cannot be done, with the reason for the operator."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote."""

    path: Path
    vendor: str
    encrypted: bool
    size: int
    sha256: str


@dataclass(frozen=True)
class RestoreResult:
    """What a restore put back: the backup, and the counts of the main records after it."""

    path: Path
    vendor: str
    encrypted: bool
    sha256: str
    counts: dict[str, int] = field(default_factory=dict)
    unapplied_migrations: int = 0


# --------------------------------------------------------------------------- encryption


def _raw(token: bytes) -> bytes:
    """Return a Fernet token's bytes (a token is base64: a third more to store)."""
    return base64.urlsafe_b64decode(token)


def _read_full(source: IO[bytes], size: int) -> bytes:
    """Read SIZE bytes, or fewer only at the end (a pipe returns what it has)."""
    parts: list[bytes] = []
    wanted = size
    while wanted:
        data = source.read(wanted)
        if not data:
            break
        parts.append(data)
        wanted -= len(data)
    return b"".join(parts)


def encrypt_stream(source: IO[bytes], out: IO[bytes], *, chunk_size: int = CHUNK_SIZE) -> None:
    """Write SOURCE to OUT encrypted with the newest key, in the format of this module."""
    if not 0 < chunk_size <= CHUNK_SIZE:
        raise ValueError(f"chunk_size must be between 1 and {CHUNK_SIZE}")
    keys = fernet()
    backup_id = os.urandom(16)
    out.write(MAGIC)
    index, chunk = 0, _read_full(source, chunk_size)
    while True:
        following = _read_full(source, chunk_size)
        last = not following
        token = _raw(keys.encrypt(_PART.pack(backup_id, index, int(last)) + chunk))
        out.write(_LENGTH.pack(len(token)) + token)
        if last:
            return
        index, chunk = index + 1, following


def _decrypted_parts(source: IO[bytes]) -> Iterator[bytes]:
    """Yield the plain data of each part of an encrypted backup, checking every part."""
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("This is not an encrypted NAS backup.")
    keys = fernet()
    backup_id: bytes | None = None
    index = 0
    while True:
        length = source.read(_LENGTH.size)
        if len(length) < _LENGTH.size:
            raise BackupError("The backup is truncated: it ends before its last part.")
        (size,) = _LENGTH.unpack(length)
        token = _read_full(source, size) if size <= _MAX_TOKEN else b""
        if size > _MAX_TOKEN or len(token) < size:
            raise BackupError(f"The backup is damaged or truncated in part {index}.")
        try:
            plain = keys.decrypt(base64.urlsafe_b64encode(token))
        except InvalidToken:
            if index == 0:
                raise BackupError(WRONG_KEY) from None
            raise BackupError(f"The backup is damaged: part {index} fails its check.") from None
        part_id, part_index, last = _PART.unpack_from(plain)
        backup_id = backup_id or part_id
        if part_id != backup_id or part_index != index:
            raise BackupError(
                f"The backup is damaged: part {index} is missing, repeated or from another file."
            )
        yield plain[_PART.size :]
        if last:
            if source.read(1):
                raise BackupError("The backup is damaged: it has data after its last part.")
            return
        index += 1


def decrypt_stream(source: IO[bytes], out: IO[bytes] | None = None) -> int:
    """Decrypt SOURCE into OUT (or only check it, without OUT); return the plain size."""
    total = 0
    for data in _decrypted_parts(source):
        if out is not None:
            out.write(data)
        total += len(data)
    return total


def is_encrypted(path: Path) -> bool:
    """Tell whether PATH starts like an encrypted NAS backup."""
    with open(path, "rb") as file:
        return file.read(len(MAGIC)) == MAGIC


def backup_vendor(path: Path) -> str:
    """Return the database a backup file is of ('sqlite' or 'postgresql'), from its start.

    An encrypted file is recognised by its first part, which also proves that a configured
    key opens it.
    """
    with open(path, "rb") as file:
        if file.read(len(MAGIC)) == MAGIC:
            file.seek(0)
            start = next(_decrypted_parts(file), b"")
        else:
            file.seek(0)
            start = file.read(len(SQLITE_MAGIC))
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        "This is not a NAS backup: neither an SQLite database, nor a pg_dump archive in the "
        "custom format, nor an encrypted backup."
    )


# --------------------------------------------------------------------------- files


def _private_file(directory: Path, name: str) -> Path:
    """Create an empty file in DIRECTORY readable and writable by its owner only."""
    handle, path = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".partial")
    os.close(handle)
    return Path(path)


@contextlib.contextmanager
def _temporary(directory: Path, name: str) -> Iterator[Path]:
    """A private file that is removed at the end, with SQLite's side files, if still there."""
    path = _private_file(directory, name)
    try:
        yield path
    finally:
        for leftover in (path, *_sqlite_side_files(path)):
            leftover.unlink(missing_ok=True)


def _sqlite_side_files(database: Path) -> tuple[Path, ...]:
    return tuple(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of the file at PATH (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- SQLite


def sqlite_database_path() -> Path:
    """Return the file of the configured SQLite database."""
    name = str(connection.settings_dict["NAME"])
    if connection.creation.is_in_memory_db(name):  # type: ignore[attr-defined]
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(name)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def sqlite_backup(database: Path, target: Path) -> None:
    """Copy DATABASE into the (empty) file TARGET with SQLite's online backup.

    The copy is made in one step, inside one read transaction, so it is consistent even while
    the application writes (in WAL mode writers are not blocked). The copy is switched to a
    rollback journal, so that it is one self-contained file.
    """
    if not database.is_file():
        raise BackupError(f"The SQLite database {database} does not exist.")
    source = sqlite3.connect(database, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        _check_sqlite(copy, what="The copy")
    finally:
        copy.close()
        source.close()


def _check_sqlite(db: sqlite3.Connection, *, what: str) -> None:
    """Refuse a damaged SQLite database, or one that is not of this application."""
    try:
        verdict = db.execute("PRAGMA quick_check").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{what} is not a usable SQLite database: {error}") from error
    if verdict != "ok":
        raise BackupError(f"{what} fails SQLite's check: {verdict}")
    if missing := [name for name in _NAS_TABLES if name not in tables]:
        raise BackupError(f"{what} is not a NAS database (no table {', '.join(missing)}).")


def sqlite_restore(source: Path, database: Path) -> None:
    """Replace the content of DATABASE with the SQLite database SOURCE (online backup API).

    A database file that was lost may leave its write-ahead log behind: that log belongs to
    the lost file and must not be applied to the restored one, so it is removed.
    """
    backup = _read_only(source)
    try:
        _check_sqlite(backup, what="The backup")
        if not database.exists():
            database.parent.mkdir(parents=True, exist_ok=True)
            for orphan in _sqlite_side_files(database):
                orphan.unlink(missing_ok=True)
            # Created private: it holds what the backup holds.
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        live = sqlite3.connect(database, timeout=60)
        try:
            backup.backup(live)
        except sqlite3.Error as error:
            raise BackupError(f"SQLite could not restore into {database}: {error}") from error
        finally:
            live.close()
    finally:
        backup.close()


# --------------------------------------------------------------------------- PostgreSQL


def pg_server_major() -> int:
    """Return the major version of the PostgreSQL server (15 for 15.4)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        number = int(cursor.fetchone()[0])
    return number // 10000


def _tool_major(path: Path) -> int:
    with contextlib.suppress(ValueError):
        return int(path.parent.parent.name)
    return 0


def pg_tool(name: str, *, server_major: int, bin_dir: Path | None = None) -> str:
    """Return the path of the PostgreSQL client program NAME.

    In order: BIN_DIR when given; the server's version under /usr/lib/postgresql; the one on
    PATH; the newest under /usr/lib/postgresql. pg_dump cannot dump a newer server than
    itself, hence the preference for the server's version.
    """
    if bin_dir is not None:
        candidate = bin_dir / name
        if not os.access(candidate, os.X_OK):
            raise BackupError(f"{candidate} is not an executable program.")
        return str(candidate)
    matching = PG_LIB_DIR / str(server_major) / "bin" / name
    if os.access(matching, os.X_OK):
        return str(matching)
    if found := shutil.which(name):
        return found
    installed = sorted(PG_LIB_DIR.glob(f"*/bin/{name}"), key=_tool_major, reverse=True)
    if installed:
        return str(installed[0])
    raise BackupError(
        f"{name} was not found on PATH nor in {PG_LIB_DIR}/*/bin: install the PostgreSQL "
        f"{server_major} client programs (e.g. postgresql-client-{server_major})."
    )


def pg_connection(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Return the connection arguments and environment for pg_dump/pg_restore.

    The password goes through PGPASSWORD, never the command line (which every local user can
    read); --no-password makes a missing one an error rather than a prompt that hangs cron.
    """
    arguments = ["--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments.append(f"{option}={settings_dict[key]}")
    arguments.append(f"--dbname={settings_dict['NAME']}")
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in _LIBPQ_OPTIONS.items():
        if option in (settings_dict.get("OPTIONS") or {}):
            environment[variable] = str(settings_dict["OPTIONS"][option])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str], **kwargs: Any) -> None:
    """Run COMMAND; raise BackupError with its error output if it fails.

    Here and below, bandit's B603 is reviewed: the programs run from a list of arguments built
    from the settings, without a shell.
    """
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(  # nosec B603
                command, env=environment, stderr=errors, **kwargs
            )
        except OSError as error:
            raise BackupError(f"{command[0]} could not be started: {error}") from error
        _finish(process, errors, command[0])


def _finish(process: subprocess.Popen[bytes], errors: IO[bytes], program: str) -> None:
    """Wait for PROCESS; raise BackupError with its error output if it failed."""
    if process.wait() != 0:
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace").strip()
        raise BackupError(f"{Path(program).name} failed (status {process.returncode}): {message}")


def _pipe(stream: IO[bytes] | None) -> IO[bytes]:
    if stream is None:  # only when Popen was not asked for a pipe
        raise BackupError("No pipe to the PostgreSQL program.")
    return stream


def pg_dump(target: Path, *, encrypt: bool, bin_dir: Path | None = None) -> None:
    """Dump the configured database into TARGET in pg_dump's custom format, encrypted or not.

    Encrypted, the dump is streamed from pg_dump into the encryption, never on disk in clear.
    """
    program = pg_tool("pg_dump", server_major=pg_server_major(), bin_dir=bin_dir)
    arguments, environment = pg_connection(connection.settings_dict)
    command = [program, "--format=custom", *arguments]
    if not encrypt:
        _run([*command, f"--file={target}"], environment, stdin=subprocess.DEVNULL)
        return
    with tempfile.TemporaryFile() as errors, open(target, "wb") as out:
        process = subprocess.Popen(  # nosec B603
            command,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        try:
            encrypt_stream(_pipe(process.stdout), out)
        finally:
            _pipe(process.stdout).close()
        _finish(process, errors, program)


def pg_restore(source: Path, *, encrypted: bool, bin_dir: Path | None = None) -> None:
    """Restore the custom-format dump SOURCE into the configured database, all or nothing."""
    program = pg_tool("pg_restore", server_major=pg_server_major(), bin_dir=bin_dir)
    arguments, environment = pg_connection(connection.settings_dict)
    connection.close()  # our own session must not hold a lock on a table being replaced
    command = [
        program,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        *arguments,
    ]
    if not encrypted:
        _run([*command, str(source)], environment, stdin=subprocess.DEVNULL)
        return
    with tempfile.TemporaryFile() as errors, open(source, "rb") as file:
        process = subprocess.Popen(  # nosec B603
            command,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        # pg_restore stops at its first error and closes its input; its message says why.
        with contextlib.suppress(BrokenPipeError):
            try:
                decrypt_stream(file, _pipe(process.stdin))
            finally:
                _pipe(process.stdin).close()
        _finish(process, errors, program)


# --------------------------------------------------------------------------- the two actions


def database_backup(
    *, path: Path, encrypt: bool, actor: Any, pg_bin_dir: Path | None = None
) -> BackupResult:
    """Back up the configured database into PATH (mode 600); audit it as an export.

    The backup is written beside PATH and moved into place in the transaction that records it,
    so PATH is either the previous file or a complete new backup, never half of one.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"No such directory: {path.parent}")
    vendor = connection.vendor
    with _temporary(path.parent, path.name) as partial:
        if vendor == "sqlite":
            _sqlite_backup_into(partial, encrypt=encrypt)
        elif vendor == "postgresql":
            pg_dump(partial, encrypt=encrypt, bin_dir=pg_bin_dir)
        else:
            raise BackupError(f"Backups of {vendor} databases are not supported.")
        result = BackupResult(
            path=path,
            vendor=vendor,
            encrypted=encrypt,
            size=partial.stat().st_size,
            sha256=file_sha256(partial),
        )
        with transaction.atomic():
            audit_log(
                actor=actor,
                kind=AuditEvent.Kind.EXPORT,
                action="database.backup",
                changes={
                    "path": str(path.resolve()),
                    "database": vendor,
                    "encrypted": encrypt,
                    "bytes": result.size,
                    "sha256": result.sha256,
                },
                reason="backup of the whole database",
            )
            os.replace(partial, path)
    return result


def _sqlite_backup_into(target: Path, *, encrypt: bool) -> None:
    database = sqlite_database_path()
    if not encrypt:
        sqlite_backup(database, target)
        return
    # The clear copy stays beside the database (the same disk and the same readers as the
    # database itself) for as long as it takes to encrypt it.
    with _temporary(database.parent, database.name) as clear:
        sqlite_backup(database, clear)
        with open(clear, "rb") as source, open(target, "wb") as out:
            encrypt_stream(source, out)


def database_restore(*, path: Path, actor: Any, pg_bin_dir: Path | None = None) -> RestoreResult:
    """Replace every record of the configured database with the backup at PATH.

    The whole file is checked first (for an encrypted one: every part decrypts with a
    configured key), so a wrong key or a damaged file leaves the database as it was. The
    restore is then audited in the restored database, so the event survives.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such file: {path}")
    encrypted = is_encrypted(path)
    vendor = backup_vendor(path)
    if vendor != connection.vendor:
        raise BackupError(
            f"This is a backup of a {vendor} database; the configured database is "
            f"{connection.vendor}."
        )
    if encrypted and vendor == "postgresql":
        # Streamed into pg_restore, a part found damaged half-way would come too late.
        with open(path, "rb") as file:
            decrypt_stream(file)
    digest = file_sha256(path)
    if vendor == "sqlite":
        _sqlite_restore_from(path, encrypted=encrypted)
    else:
        pg_restore(path, encrypted=encrypted, bin_dir=pg_bin_dir)
    connection.close()  # the next query sees the restored database
    analyze()  # a restored PostgreSQL database has no planner statistics (pg_dump has none)
    counts = record_counts()
    with transaction.atomic():
        audit_log(
            actor=actor,
            kind=AuditEvent.Kind.IMPORT,
            action="database.restore",
            changes={
                "path": str(path.resolve()),
                "database": vendor,
                "encrypted": encrypted,
                "sha256": digest,
                "counts": counts,
            },
            reason="restore of the whole database from a backup",
        )
    return RestoreResult(
        path=path,
        vendor=vendor,
        encrypted=encrypted,
        sha256=digest,
        counts=counts,
        unapplied_migrations=unapplied_migrations(),
    )


def _sqlite_restore_from(path: Path, *, encrypted: bool) -> None:
    database = sqlite_database_path()
    connection.close()
    if not encrypted:
        sqlite_restore(path, database)
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    with _temporary(database.parent, database.name) as clear:
        with open(path, "rb") as source, open(clear, "wb") as out:
            decrypt_stream(source, out)
        sqlite_restore(clear, database)


def record_counts() -> dict[str, int]:
    """Return the counts of the main records, to show what a restore put back."""
    return {
        "persons": Person.objects.count(),
        "referrals": Referral.objects.count(),
        "client periods": ClientPeriod.objects.count(),
        "audit events": AuditEvent.objects.count(),
    }


def unapplied_migrations() -> int:
    """Return how many migrations of the code the database lacks (an older backup)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
