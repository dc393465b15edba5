"""Prepare the demo: accounts for every role, fresh passwords, and demo data when empty."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q

from nas.accounts.models import User
from nas.casework.models import ClientPeriod, Task
from nas.common.dates import today
from nas.common.demo.accounts import set_up_demo_accounts
from nas.people.models import Person
from nas.referrals.models import Referral

ASSIGNED_CLIENTS = 40
ASSIGNED_REFERRALS = 6  # open referrals under assessment
PORTAL_REFERRALS = 15  # the demo organisation's referrals, seen in its portal


class Command(BaseCommand):
    help = (
        "Demo mode only: create the demo accounts (one per role) with new passwords and "
        "two-factor devices, print their credentials once, and generate demo data into an "
        "empty database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-data", action="store_true", help="do not generate demo data")

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_MODE", False):
            raise CommandError("demo_setup runs only in demo mode (NAS_DEMO=1).")
        credentials = set_up_demo_accounts()
        port = os.environ.get("PORT", "8000")
        rows = [("role", "username", "password", "two-factor secret (TOTP, base32)")]
        rows += [(c.role, c.username, c.password, c.totp_secret) for c in credentials]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = ["", "Demo accounts (passwords are new on every run):", ""]
        for index, row in enumerate(rows):
            lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        lines += [
            "",
            "Add the secret to an authenticator app, or print the current code with "
            "`manage.py demo_totp USERNAME`.",
            f"Open http://127.0.0.1:{port}",
            "",
        ]
        self.stdout.write("\n".join(lines))
        if not options["no_data"] and not Person.objects.exists():
            years = f"2020-{today().year}"
            self.stderr.write(f"Generating demo data (seed 1, {years}, up to today)...")
            call_command(
                "generate_demo_data",
                seed=1,
                years=years,
                scale=1.0,
                verbosity=1,
                stdout=self.stderr,
            )
            self._assign_helsinki_cases()
            self._give_the_portal_referrals()

    def _give_the_portal_referrals(self) -> None:
        """Make the latest police referrals the demo organisation's, for its portal list."""
        referrer = User.objects.get(username="referrer")
        latest = Referral.objects.filter(referrer_type_id="police").order_by("-received", "-id")
        ids = list(latest.values_list("id", flat=True)[:PORTAL_REFERRALS])
        Referral.objects.filter(id__in=ids).update(
            organisation=referrer.organisation,
            organisation_name=referrer.organisation.name if referrer.organisation else "",
        )

    @transaction.atomic
    def _assign_helsinki_cases(self) -> None:
        """Give the Helsinki demo caseworker a caseload.

        The most recently admitted active clients, the referrals that made them clients, a
        handful of the office's open referrals under assessment, and the open tasks of all
        of these. The newest referrals stay received and unassigned in the office's inbox;
        the decision-maker (of the Helsinki office) sees the referrals under assessment that
        wait for a decision.
        """
        caseworker = User.objects.get(username="caseworker.helsinki")
        clients = ClientPeriod.objects.filter(
            office_id="helsinki", status="active", client_type__in=["victim", "witness"]
        ).order_by("-admitted", "id")[:ASSIGNED_CLIENTS]
        ids = list(clients.values_list("id", flat=True))
        client_filter = Q(id__in=ids) | Q(parent_id__in=ids)
        ClientPeriod.objects.filter(client_filter).update(caseworker=caseworker)
        client_ids = list(ClientPeriod.objects.filter(client_filter).values_list("id", flat=True))
        open_ids = list(
            Referral.objects.filter(office_id="helsinki", status="under_assessment")
            .order_by("-received", "id")
            .values_list("id", flat=True)[:ASSIGNED_REFERRALS]
        )
        Referral.objects.filter(Q(id__in=open_ids) | Q(client_period__id__in=ids)).update(
            assigned_to=caseworker
        )
        Task.objects.filter(status="open").filter(
            Q(referral_id__in=open_ids) | Q(client_id__in=client_ids)
        ).update(assigned_to=caseworker)
