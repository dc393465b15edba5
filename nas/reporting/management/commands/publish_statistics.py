"""Write the statistics of a year, a half-year or any date range; freeze what is published."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from nas.common.dates import Period
from nas.common.errors import DomainError
from nas.reporting.services import (
    FORMATS,
    LANGUAGES,
    statistics_freeze,
    statistics_publish,
    steps,
)


def period_arguments(parser: CommandParser) -> None:
    """Add --year/--half or --from/--to (shared by the statistics commands)."""
    parser.add_argument("--year", type=int, help="the year (with --half: its half)")
    parser.add_argument("--half", type=int, choices=(1, 2), help="1: Jan-Jun, 2: Jul-Dec")
    parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, help="YYYY-MM-DD")


def period_of(options: dict[str, Any]) -> Period:
    """Return the period the options give, or fail with what is wrong."""
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


def command_actor(name: str) -> str:
    """Return how a command run is named in the audit log."""
    return f"{name} ({getpass.getuser()})"


class Command(BaseCommand):
    help = (
        "Write the statistics of a period: the publication (pdf, html, xlsx; in --lang) or the "
        "figures under the keys of INTERCHANGE.md section 3 (json, csv). Published figures "
        "follow the disclosure rule (NAS_DISCLOSURE_THRESHOLD); --internal gives them "
        "unsuppressed, marked internal, and needs a --purpose. --freeze first stores the "
        "published figures of the period, which from then on are shown as published, with the "
        "corrections made since listed. Every run is recorded in the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        period_arguments(parser)
        parser.add_argument("--lang", choices=LANGUAGES, default="en")
        parser.add_argument("--format", dest="output_format", choices=FORMATS, required=True)
        parser.add_argument("--out", type=Path, required=True, help="the file to write")
        parser.add_argument(
            "--internal", action="store_true", help="unsuppressed figures, for internal use"
        )
        parser.add_argument(
            "--purpose", default="", help="why (recorded in the audit log; needed for --internal)"
        )
        parser.add_argument(
            "--freeze",
            action="store_true",
            help="store the published figures of the period first (once per period)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The bar shows the progress; WeasyPrint's own page-by-page log would bury it.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        period = period_of(options)
        path = Path(options["out"])
        if not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        if options["freeze"] and options["internal"]:
            raise CommandError("Only published figures are frozen: --freeze without --internal.")
        actor = command_actor("publish_statistics")
        kind = "internal, unsuppressed" if options["internal"] else "published"
        self._say(options, f"Computing the statistics of {period.start} - {period.end} ({kind})...")
        if not options["internal"]:
            self._say(
                options, f"Disclosure control: threshold {settings.NAS_DISCLOSURE_THRESHOLD}."
            )
        try:
            if options["freeze"]:
                frozen = statistics_freeze(actor=actor, period=period)
                self._say(options, f"Froze the published figures ({len(frozen.figures)} keys).")
            with tqdm(
                total=steps(options["output_format"]),
                desc="statistics",
                unit="step",
                file=self.stderr,
                disable=options["verbosity"] < 1,
            ) as bar:

                def progress(step: str) -> None:
                    bar.set_postfix_str(step)
                    bar.update(1)

                made = statistics_publish(
                    actor=actor,
                    period=period,
                    output_format=options["output_format"],
                    path=path,
                    internal=options["internal"],
                    purpose=options["purpose"],
                    language=options["lang"],
                    progress=progress,
                )
        except DomainError as error:
            raise CommandError(str(error)) from error
        figures = made.figures
        frozen_note = " as frozen" if figures.frozen is not None else ""
        self._say(
            options,
            f"Wrote {path}{frozen_note} ({len(figures.withheld)} figures withheld); audited.",
        )
        if figures.differences:
            self._say(
                options,
                f"{len(figures.differences)} figures now differ from the published ones "
                "(listed in the file).",
            )

    def _say(self, options: dict[str, Any], message: str) -> None:
        if options["verbosity"] >= 1:
            self.stderr.write(message)
