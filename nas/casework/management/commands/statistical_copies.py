"""Check (and repair) the statistical copies on the client periods (nas/casework/copies.py)."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.casework.copies import copies_repair, copies_stale, decision_copies_stale


class Command(BaseCommand):
    help = (
        "Report the client periods whose statistical copies of their person's gender, "
        "nationality and birth, or of their referral's referrer type, and the admission "
        "decisions whose copies of their referral's date received and referrer type, differ "
        "from the person or referral (the statistics count the copies). --repair rewrites them "
        "(audited). Exits with status 1 when stale copies are found and not repaired."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repair", action="store_true", help="rewrite the stale copies")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["repair"]:
            repaired = copies_repair(actor=f"statistical_copies ({getpass.getuser()})")
            self.stdout.write(f"{repaired} copies repaired.")
            return
        stale = copies_stale().count()
        decisions = decision_copies_stale().count()
        if stale or decisions:
            raise CommandError(
                f"{stale} client periods and {decisions} admission decisions have statistical "
                "copies that differ from their person or referral; run with --repair to "
                "rewrite them."
            )
        self.stdout.write(
            "The statistical copies of every client period and decision are up to date."
        )
