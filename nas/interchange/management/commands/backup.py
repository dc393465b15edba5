"""Back up the whole database into one file, optionally encrypted with the data's keys."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.interchange.backup import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "Back up the configured database into PATH while the application runs: SQLite with "
        "its online backup, PostgreSQL with pg_dump --format=custom. The file is readable by "
        "its owner only and the backup is recorded in the audit log. With --encrypt the file "
        "is encrypted with the keys of NAS_ENCRYPTION_KEYS (docs/backup-and-restore.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file to write")
        parser.add_argument(
            "--encrypt", action="store_true", help="encrypt with the newest encryption key"
        )
        parser.add_argument(
            "--pg-bin-dir",
            type=Path,
            default=None,
            help="directory of pg_dump (default: the server's version, else PATH)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = database_backup(
                path=options["path"],
                encrypt=options["encrypt"],
                actor=f"backup ({getpass.getuser()})",
                pg_bin_dir=options["pg_bin_dir"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            state = "encrypted" if result.encrypted else "NOT encrypted"
            self.stdout.write(
                f"Backed up the {result.vendor} database to {result.path} "
                f"({result.size:,} bytes, {state}).\nSHA-256 {result.sha256}"
            )
