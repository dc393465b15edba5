"""Write the k-anonymised case-level HTCDS file of a period (nas/reporting/htcds.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.common.errors import DomainError
from nas.reporting.htcds import K_ANONYMITY
from nas.reporting.management.commands.publish_statistics import (
    command_actor,
    period_arguments,
    period_of,
)
from nas.reporting.services import htcds_export


class Command(BaseCommand):
    help = (
        "Write one de-identified row per victim admitted in the period under the field names "
        "of IOM's Human Trafficking Case Data Standard: ages in bands, nationalities and "
        "countries as regions, dates as years; rows whose quasi-identifiers occur fewer than "
        f"--k times (default {K_ANONYMITY}) are left out. Needs a --purpose; audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        period_arguments(parser)
        parser.add_argument("--out", type=Path, required=True, help="the CSV file to write")
        parser.add_argument("--k", type=int, default=K_ANONYMITY, help="the k of k-anonymity")
        parser.add_argument("--purpose", default="", help="why (recorded in the audit log)")

    def handle(self, *args: Any, **options: Any) -> None:
        period = period_of(options)
        path = Path(options["out"])
        if not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        try:
            made = htcds_export(
                actor=command_actor("export_htcds"),
                period=period,
                path=path,
                purpose=options["purpose"],
                k=options["k"],
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stderr.write(
                f"Wrote {path}: {len(made.records)} rows, {made.suppressed} left out "
                f"(k = {made.k}); audited."
            )
