"""Anonymise the persons due under the retention rule (settings.NAS_RETENTION_YEARS)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.common.dates import today
from nas.people.selectors import persons_due_for_anonymisation
from nas.people.services import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise the identifiers of every person whose last client relationship ended, or "
        "whose referral was decided negatively or withdrawn, NAS_RETENTION_YEARS ago or more. "
        "With --dry-run, only list them (references, never names)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="years after the last event (default: NAS_RETENTION_YEARS)",
        )

    def handle(self, *args: Any, dry_run: bool, years: int | None, **options: Any) -> None:
        years = settings.NAS_RETENTION_YEARS if years is None else years
        if years < 1:
            raise CommandError("The retention period must be at least one year.")
        on = today()
        if dry_run:
            self._list(on, years)
            return
        refs = retention_apply(acting_user="retention_apply", on=on, years=years)
        self.stdout.write(f"Anonymised {len(refs)} persons (retention {years} years).")
        for ref in refs:
            self.stdout.write(f"  {ref}")

    def _list(self, on: dt.date, years: int) -> None:
        due = [
            (p.ref, getattr(p, "retention_rule"), getattr(p, "retention_from"))  # noqa: B009
            for p in persons_due_for_anonymisation(on=on, years=years).only("pk", "ref")
        ]
        clients = sum(1 for _, rule, _ in due if rule == "client")
        self.stdout.write(
            f"Dry run: {len(due)} persons would be anonymised (retention {years} years): "
            f"{clients} after their last client relationship ended, {len(due) - clients} "
            "after a negative decision or a withdrawal. Nothing was changed."
        )
        for ref, rule, since in due:
            self.stdout.write(f"  {ref}  {rule}  {since.isoformat()}")
