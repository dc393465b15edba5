"""Import a dossier file (JSON Lines, INTERCHANGE.md section 2) through the services."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from nas.common.database import analyze
from nas.interchange.services import dossiers_import, import_account


class Command(BaseCommand):
    help = (
        "Import persons and everything about them from a dossier file, one person a line. "
        "Every record goes through the application's rules; a line that breaks one is "
        "rejected whole with its line number and reason, and the other lines load. A person "
        "already recorded under the line's ref is left as it is (unchanged, or a conflict). "
        "The acting user is the system account nas-import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the dossier file (.jsonl)")
        parser.add_argument(
            "--report", type=Path, help="also write the outcome as JSON to this file"
        )
        parser.add_argument("--chunk-size", type=int, default=500, help="lines per commit")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as counting:
            total = sum(1 for _line in counting)
        progress = tqdm(
            total=total,
            unit=" dossiers",
            desc="import",
            disable=options["no_progress"] or options["verbosity"] == 0,
            mininterval=0.5,
        )
        started = time.perf_counter()
        try:
            with path.open("rb") as lines:
                report = dossiers_import(
                    lines=lines,
                    acting_user=import_account(),
                    source=path.name,
                    chunk_size=options["chunk_size"],
                    progress=progress.update,
                )
        finally:
            progress.close()
        if report.counts["loaded"]:
            analyze()
        elapsed = time.perf_counter() - started
        for problem in report.problems:
            self.stderr.write(f"line {problem.line} ({problem.ref or '?'}): {problem.reason}")
        counts = report.counts
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{report.lines} dossiers in {elapsed:.1f} s "
                f"({report.lines / max(elapsed, 1e-9):,.0f} dossiers/s): "
                f"{counts['loaded']} loaded, {counts['unchanged']} unchanged, "
                f"{counts['rejected']} rejected, {counts['conflict']} conflicts."
            )
        if options["report"]:
            result = {"file": str(path), "seconds": round(elapsed, 3), **report.as_dict()}
            Path(options["report"]).write_text(
                json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
