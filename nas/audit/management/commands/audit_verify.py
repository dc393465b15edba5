"""Check that no audit entry was altered, deleted or reordered; name the first broken one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.audit.verify import CHUNK_SIZE, verify_chain


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain in id order and report the first entry that was "
        "altered, deleted or reordered. Exits with status 1 when the chain is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size", type=int, default=CHUNK_SIZE, help="entries read per query"
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=100_000,
            help="print progress after about this many entries (0: never)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["progress_every"]
        next_report = [every]

        def progress(checked: int, total: int) -> None:
            if every and checked >= next_report[0]:
                self.stderr.write(f"checked {checked} of {total} entries")
                next_report[0] = checked + every

        state, broken = verify_chain(chunk_size=max(1, options["chunk_size"]), progress=progress)
        if broken is not None:
            raise CommandError(
                f"The audit log is broken at {broken} "
                f"({state.checked} entries before it are intact)."
            )
        self.stdout.write(
            f"The audit log is intact: {state.checked} entries. "
            f"Head: position {state.seq}, hash {state.hash}."
        )
