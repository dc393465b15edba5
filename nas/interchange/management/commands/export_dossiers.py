"""Export every referred person and everything about them as a dossier file."""

from __future__ import annotations

import getpass
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from nas.common.errors import DomainError
from nas.interchange.exporting import persons_with_referrals
from nas.interchange.services import dossiers_export


class Command(BaseCommand):
    help = (
        "Write every person who has been referred, and everything about them, to a dossier "
        "file (JSON Lines, INTERCHANGE.md section 2), ordered by ref. The file holds personal "
        "data of victims: it is created readable by its owner only, and the export is recorded "
        "in the audit log, per person, with its purpose."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the file to write (.jsonl)")
        parser.add_argument(
            "--purpose",
            required=True,
            help="why the data leaves the system (recorded in the audit log)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        progress = tqdm(
            total=persons_with_referrals().count(),
            unit=" dossiers",
            desc="export",
            disable=options["no_progress"] or options["verbosity"] == 0,
            mininterval=0.5,
        )
        started = time.perf_counter()
        try:
            count = dossiers_export(
                path=path,
                purpose=options["purpose"],
                actor=f"export_dossiers ({getpass.getuser()})",
                progress=progress.update,
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        finally:
            progress.close()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Exported {count} dossiers to {path} in {time.perf_counter() - started:.1f} s."
            )
