"""Check that no audit entry was altered, deleted or reordered; name the first broken one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nas.audit.verify import CHUNK_SIZE, check_anchor, verify_chain


def _anchor(text: str) -> tuple[int, str]:
    position, _colon, digest = text.partition(":")
    if not (position.isdigit() and len(digest.strip()) == 64):
        raise ValueError(text)
    return int(position), digest


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
        parser.add_argument(
            "--expect",
            type=_anchor,
            action="append",
            default=[],
            metavar="POSITION:HASH",
            help="a head printed by an earlier run and kept outside the database; repeatable",
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
        for seq, digest in options["expect"]:
            if (moved := check_anchor(seq=seq, expected_hash=digest)) is not None:
                raise CommandError(f"The audit log is broken at {moved}.")
        self.stdout.write(
            f"The audit log is intact: {state.checked} entries. "
            f"Head: position {state.seq}, hash {state.hash}."
        )
