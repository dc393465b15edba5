"""Fill an empty database with realistic, reproducible synthetic records."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from nas.common.database import analyze
from nas.common.dates import today
from nas.common.demo.generator import DemoDataGenerator, default_years, parse_years
from nas.people.models import Person


class Command(BaseCommand):
    help = (
        "Generate synthetic referrals, decisions, clients and casework whose volumes follow "
        "the published statistics. The same seed gives the same data. Refuses to run on a "
        "database that already has persons."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--years",
            default=default_years(today()),
            help=(
                "years of full activity, e.g. 2020-2025 (default: 2020 to the current year); "
                "earlier years get an opening stock; the current year is generated up to "
                "today, with the referrals of the last weeks still open"
            ),
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="multiply every volume (default 1)"
        )
        parser.add_argument("--batch-size", type=int, default=20_000)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            first, last = parse_years(options["years"])
        except ValueError as error:
            raise CommandError(
                f"--years: expected e.g. 2020-2025, got {options['years']!r}"
            ) from error
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive")
        if Person.objects.exists():
            raise CommandError(
                "The database already has persons; demo data is only generated into an empty "
                "database. Use a fresh database (e.g. make clean-demo)."
            )
        progress_bar = tqdm(
            unit=" referrals",
            desc="demo data",
            disable=options["no_progress"] or options["verbosity"] == 0,
            mininterval=0.5,
        )
        try:
            generator = DemoDataGenerator(
                seed=options["seed"],
                first_year=first,
                last_year=last,
                scale=options["scale"],
                today=today(),
                batch_size=options["batch_size"],
                progress=progress_bar,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        started = time.perf_counter()
        try:
            result = generator.generate()
        finally:
            progress_bar.close()
        elapsed = time.perf_counter() - started
        analyze()
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if options["verbosity"] >= 1:
            referrals = result.counts.get("referrals.Referral", 0)
            self.stdout.write(
                f"Generated {referrals} referrals in {elapsed:.1f} s "
                f"({referrals / max(elapsed, 1e-9):,.0f} referrals/s)."
            )
            if options["verbosity"] >= 2:
                for label, count in sorted(result.counts.items()):
                    self.stdout.write(f"  {label}: {count}")
