"""Print the current two-factor code of a demo account (demo mode only)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP

from nas.common.demo.accounts import demo_device


class Command(BaseCommand):
    help = "Demo mode only: print the current 6-digit TOTP code of USERNAME's demo device."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_MODE", False):
            raise CommandError("demo_totp runs only in demo mode (NAS_DEMO=1).")
        device = demo_device(options["username"])
        if device is None:
            raise CommandError(
                f"{options['username']!r} has no demo two-factor device; run demo_setup."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():0{device.digits}d}")
