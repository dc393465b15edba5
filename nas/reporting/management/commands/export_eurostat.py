"""Write Eurostat's breakdown of the registered victims of a year (nas/reporting/eurostat.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.common.errors import DomainError
from nas.reporting.management.commands.publish_statistics import command_actor
from nas.reporting.services import eurostat_export


class Command(BaseCommand):
    help = (
        "Write the registered victims of a year by sex, age group, citizenship (reporting "
        "country / other EU / non-EU) and form of exploitation, as Eurostat's long CSV. Small "
        "cells are withheld (flag c) unless --internal, which needs a --purpose. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True, help="the CSV file to write")
        parser.add_argument("--internal", action="store_true", help="unsuppressed counts")
        parser.add_argument("--purpose", default="", help="why (recorded in the audit log)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["out"])
        if not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        try:
            text = eurostat_export(
                actor=command_actor("export_eurostat"),
                year=options["year"],
                path=path,
                internal=options["internal"],
                purpose=options["purpose"],
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        withheld = sum(1 for line in text.splitlines() if line.endswith(",c"))
        if options["verbosity"] >= 1:
            self.stderr.write(f"Wrote {path} ({withheld} cells withheld); audited.")
