"""Write the statistics of a year, a half-year or any date range."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.common.dates import Period
from nas.common.errors import DomainError
from nas.reporting.services import FORMATS, LANGUAGES, statistics_publish


class Command(BaseCommand):
    help = (
        "Write the statistics of a period under the figure keys of INTERCHANGE.md section 3. "
        "Published figures follow the disclosure rule (NAS_DISCLOSURE_THRESHOLD); --internal "
        "gives them unsuppressed, marked internal, and needs a --purpose. Every run is "
        "recorded in the audit log as an export."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="the year (with --half: its half)")
        parser.add_argument("--half", type=int, choices=(1, 2), help="1: Jan-Jun, 2: Jul-Dec")
        parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--lang", choices=LANGUAGES, default="en")
        parser.add_argument("--format", dest="output_format", choices=FORMATS, required=True)
        parser.add_argument("--out", type=Path, required=True, help="the file to write")
        parser.add_argument(
            "--internal", action="store_true", help="unsuppressed figures, for internal use"
        )
        parser.add_argument(
            "--purpose", default="", help="why (recorded in the audit log; needed for --internal)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period = self._period(options)
        path = Path(options["out"])
        if not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        kind = "internal, unsuppressed" if options["internal"] else "published"
        self._progress(
            options, f"Computing the statistics of {period.start} - {period.end} ({kind})..."
        )
        if not options["internal"]:
            self._progress(
                options, f"Disclosure control: threshold {settings.NAS_DISCLOSURE_THRESHOLD}."
            )
        try:
            data = statistics_publish(
                actor=f"publish_statistics ({getpass.getuser()})",
                period=period,
                output_format=options["output_format"],
                path=path,
                internal=options["internal"],
                purpose=options["purpose"],
                language=options["lang"],
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        self._progress(
            options, f"Wrote {path} ({len(data['suppressed'])} figures withheld); audited."
        )

    def _period(self, options: dict[str, Any]) -> Period:
        if options["year"] is not None:
            if options["start"] or options["end"]:
                raise CommandError("Give either --year (and --half) or --from and --to.")
            if options["half"]:
                return Period.half_year(options["year"], options["half"])
            return Period.year(options["year"])
        if options["half"] or not (options["start"] and options["end"]):
            raise CommandError("Give --year (and --half), or --from and --to.")
        if options["end"] < options["start"]:
            raise CommandError("--to is before --from.")
        return Period(options["start"], options["end"])

    def _progress(self, options: dict[str, Any], message: str) -> None:
        if options["verbosity"] >= 1:
            self.stderr.write(message)
