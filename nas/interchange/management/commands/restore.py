"""Replace the whole database with a backup written by `manage.py backup`."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.interchange.backup import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Replace every record of the configured database with the backup at PATH (encrypted "
        "or not). Destroys the current data: needs --yes, and outside DEBUG also the "
        "environment variable NAS_ALLOW_RESTORE=1. Check the audit log afterwards with "
        "manage.py audit_verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file to restore")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="confirm that the current data is to be replaced by the backup",
        )
        parser.add_argument(
            "--pg-bin-dir",
            type=Path,
            default=None,
            help="directory of pg_restore (default: the server's version, else PATH)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and os.environ.get("NAS_ALLOW_RESTORE") != "1":
            raise CommandError(
                "Restore refused: this is not a development installation (DEBUG is off). "
                "A restore replaces every record; to do it here, run the command with the "
                "environment variable NAS_ALLOW_RESTORE=1."
            )
        if not options["yes"]:
            raise CommandError(
                "Restore refused: it replaces every record of the database "
                f"({settings.DATABASES['default']['NAME']}) with the backup. "
                "Run it again with --yes to confirm."
            )
        try:
            result = database_restore(
                path=options["path"],
                actor=f"restore ({getpass.getuser()})",
                pg_bin_dir=options["pg_bin_dir"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the {result.vendor} database from {result.path}.")
        for name, count in result.counts.items():
            self.stdout.write(f"  {name}: {count:,}")
        if result.unapplied_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup lacks {result.unapplied_migrations} migrations of this "
                    "version: run manage.py migrate."
                )
            )
        self.stdout.write("Now check the audit log: manage.py audit_verify")
