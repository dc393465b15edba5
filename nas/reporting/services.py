"""Write the statistics of a period to a file, and record the export in the audit log."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nas.audit.exports import csv_text
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common.dates import Period
from nas.common.validation import refuse
from nas.reporting.keys import statistics_json

DATA_FORMATS = ("json", "csv")
PUBLICATION_FORMATS = ("pdf", "html", "xlsx")
FORMATS = (*PUBLICATION_FORMATS, "csv", "json")
LANGUAGES = ("en", "fi", "sv")


def statistics_text(data: dict[str, Any], output_format: str) -> str:
    """Return the statistics object DATA as a JSON document or as key,value CSV rows."""
    if output_format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    rows = [(key, " ".join(value) if key == "suppressed" else value) for key, value in data.items()]
    return csv_text(("key", "value"), rows)


def _write_private(path: Path, text: str) -> str:
    """Write TEXT beside PATH, readable by its owner only; return the temporary name."""
    # mkstemp creates the file readable and writable by its owner only.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    return temporary


def statistics_publish(
    *,
    actor: Any,
    period: Period,
    output_format: str,
    path: Path,
    internal: bool = False,
    purpose: str = "",
    language: str = "en",
) -> dict[str, Any]:
    """Write the statistics of PERIOD to PATH, audited as an export with its purpose.

    Published figures follow the disclosure rule; INTERNAL (unsuppressed) figures need a
    purpose. Only the data formats exist so far.
    """
    if output_format in PUBLICATION_FORMATS:
        raise refuse(
            _("The %(format)s publication is not yet available; use json or csv.")
            % {"format": output_format}
        )
    if output_format not in DATA_FORMATS:
        raise refuse(_("Unknown format: %(format)s.") % {"format": output_format})
    if internal and not purpose.strip():
        raise refuse(_("Give the purpose of an internal, unsuppressed export."), field="purpose")
    data = statistics_json(period, internal=internal)
    temporary = _write_private(path, statistics_text(data, output_format))
    try:
        with transaction.atomic():
            audit_log(
                actor=actor,
                kind=AuditEvent.Kind.EXPORT,
                action="statistics.export_internal" if internal else "statistics.publish",
                changes={
                    "period_start": period.start,
                    "period_end": period.end,
                    "format": output_format,
                    "language": language,
                    "internal": internal,
                    "file": path.name,
                    "suppressed": len(data["suppressed"]),
                },
                reason=purpose.strip() or _("Publication of the statistics"),
            )
            os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return data
