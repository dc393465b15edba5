"""Publish the statistics of a period: files in every format, freezing, internal views.

Every file made is recorded in the audit log as an export (`statistics.publish`, or
`statistics.export_internal` for unsuppressed figures, which need a purpose); viewing the
internal figures on the statistics page is recorded as a read (`statistics.view_internal`).
Reading the published, disclosure-controlled statistics is not a read of personal data and is
not recorded. Freezing stores the published figures of a period (`statistics.freeze`).

ACTOR is a user (whose permissions are checked) or, for a management command, a text naming
the command and the account that ran it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nas.audit.exports import csv_text
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common.dates import Period, today
from nas.common.validation import refuse
from nas.reporting import periods
from nas.reporting.charts import CHARTS
from nas.reporting.data import (
    PUBLICATION_ONLY,
    Figures,
    computed,
    frozen_publication,
    publication_figures,
)
from nas.reporting.eurostat import eurostat_csv
from nas.reporting.htcds import K_ANONYMITY, HtcdsFile, htcds_file
from nas.reporting.models import PublishedStatistics
from nas.reporting.publication import build_publication
from nas.reporting.render import publication_html, publication_pdf, publication_xlsx

DATA_FORMATS = ("json", "csv")
PUBLICATION_FORMATS = ("pdf", "html", "xlsx")
FORMATS = (*PUBLICATION_FORMATS, "csv", "json")
LANGUAGES = ("en", "fi", "sv")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
VIEW = "reporting.view_statistics"
VIEW_INTERNAL = "reporting.view_internal_statistics"
PUBLISH = "reporting.publish_statistics"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class StatisticsFile:
    """A file of the statistics of a period, made and recorded in the audit log."""

    content: bytes
    filename: str
    content_type: str
    figures: Figures


def statistics_object(figures: Figures) -> dict[str, Any]:
    """Return FIGURES as the flat object of INTERCHANGE.md section 3 (the json format).

    A frozen publication adds `published_at` and `corrections` (the figures that a fresh
    computation now gives differently: key, published, now).
    """
    head: dict[str, Any] = {
        "period_start": figures.period.start.isoformat(),
        "period_end": figures.period.end.isoformat(),
    }
    if figures.internal:
        head["internal"] = True
    body = {
        key: value for key, value in figures.values.items() if not key.startswith(PUBLICATION_ONLY)
    }
    suppressed = [key for key in figures.withheld if not key.startswith(PUBLICATION_ONLY)]
    data = {**head, **body, "suppressed": suppressed}
    if figures.frozen is not None:
        data["published_at"] = figures.frozen.published_at.isoformat()
        data["corrections"] = [
            {"key": d.key, "published": d.published, "now": d.now} for d in figures.differences
        ]
    return data


def statistics_text(data: dict[str, Any], output_format: str) -> str:
    """Return the statistics object DATA as a JSON document or as key,value CSV rows."""
    if output_format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    rows = [(key, _csv_value(key, value)) for key, value in data.items()]
    return csv_text(("key", "value"), rows)


def _csv_value(key: str, value: Any) -> Any:
    """A cell of the CSV: lists as text ("key published->now" for each correction)."""
    if key == "suppressed":
        return " ".join(value)
    if key == "corrections":
        return "; ".join(f"{c['key']} {c['published']}->{c['now']}" for c in value)
    return value


def steps(output_format: str) -> int:
    """Return how many steps making a file in OUTPUT_FORMAT reports to its progress."""
    charts = len(CHARTS) if output_format in ("pdf", "html") else 0
    return 2 + charts


def render(
    figures: Figures, output_format: str, language: str, progress: Progress | None = None
) -> bytes:
    """Return the file of FIGURES in OUTPUT_FORMAT and LANGUAGE (nothing recorded)."""
    report = progress or (lambda _step: None)
    if output_format in DATA_FORMATS:
        report("render")
        return statistics_text(statistics_object(figures), output_format).encode("utf-8")
    chart_progress = progress if output_format in ("pdf", "html") else None
    publication = build_publication(
        figures,
        language=language,
        charts=output_format != "xlsx",
        progress=chart_progress,
    )
    report("render")
    if output_format == "pdf":
        return publication_pdf(publication)
    if output_format == "html":
        return publication_html(publication).encode("utf-8")
    return publication_xlsx(publication)


def filename(period: Period, output_format: str, language: str, internal: bool) -> str:
    """Return the name of a file of the statistics of PERIOD."""
    which = periods.kind(period)
    if which is periods.Kind.YEAR:
        name = str(period.start.year)
    elif which is periods.Kind.FIRST_HALF:
        name = f"{period.start.year}-H1"
    elif which is periods.Kind.SECOND_HALF:
        name = f"{period.start.year}-H2"
    else:
        name = f"{period.start.isoformat()}_{period.end.isoformat()}"
    kind = "-internal" if internal else ""
    suffix = f"-{language}" if output_format in PUBLICATION_FORMATS else ""
    return f"nas-statistics-{name}{kind}{suffix}.{output_format}"


def _check(actor: Any, permission: str) -> None:
    """Refuse a user without PERMISSION (a command's actor is not a user and is not checked)."""
    if hasattr(actor, "has_perm") and not actor.has_perm(permission):
        raise refuse(_("You may not do this with the statistics."))


def _check_request(output_format: str, language: str, internal: bool, purpose: str) -> None:
    if output_format not in FORMATS:
        raise refuse(_("Unknown format: %(format)s.") % {"format": output_format})
    if language not in LANGUAGES:
        raise refuse(_("Unknown language: %(language)s.") % {"language": language})
    if internal and not purpose.strip():
        raise refuse(_("Give the purpose of an internal, unsuppressed export."), field="purpose")


def _audit_file(
    actor: Any, figures: Figures, output_format: str, language: str, name: str, purpose: str
) -> None:
    audit_log(
        actor=actor,
        kind=AuditEvent.Kind.EXPORT,
        action="statistics.export_internal" if figures.internal else "statistics.publish",
        changes={
            "period_start": figures.period.start,
            "period_end": figures.period.end,
            "format": output_format,
            "language": language,
            "internal": figures.internal,
            "frozen": figures.frozen is not None,
            "file": name,
            "suppressed": len(figures.withheld),
        },
        reason=purpose.strip() or _("Publication of the statistics"),
    )


def _made(
    actor: Any,
    period: Period,
    output_format: str,
    language: str,
    internal: bool,
    purpose: str,
    progress: Progress | None,
) -> tuple[Figures, bytes]:
    """Check the request and the actor's permission; return the figures and the file."""
    _check_request(output_format, language, internal, purpose)
    _check(actor, VIEW_INTERNAL if internal else VIEW)
    if progress is not None:
        progress("figures")
    figures = publication_figures(period, internal=internal)
    return figures, render(figures, output_format, language, progress)


def statistics_file(
    *,
    actor: Any,
    period: Period,
    output_format: str,
    language: str = "en",
    internal: bool = False,
    purpose: str = "",
    progress: Progress | None = None,
) -> StatisticsFile:
    """Make the file of the statistics of PERIOD and record it in the audit log.

    Published figures (frozen ones for a frozen period) unless INTERNAL, which needs the
    permission to view internal statistics and a PURPOSE.
    """
    figures, content = _made(actor, period, output_format, language, internal, purpose, progress)
    name = filename(period, output_format, language, internal)
    with transaction.atomic():
        _audit_file(actor, figures, output_format, language, name, purpose)
    return StatisticsFile(content, name, CONTENT_TYPES[output_format], figures)


def _write_private(path: Path, content: bytes) -> str:
    """Write CONTENT beside PATH, readable by its owner only; return the temporary name."""
    # mkstemp creates the file readable and writable by its owner only.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
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
    progress: Progress | None = None,
) -> StatisticsFile:
    """Write the statistics of PERIOD to PATH (mode 600), recorded in the audit log as an
    export in the same transaction as the file is put in place."""
    figures, content = _made(actor, period, output_format, language, internal, purpose, progress)
    _write_audited(
        path,
        content,
        lambda: _audit_file(actor, figures, output_format, language, path.name, purpose),
    )
    return StatisticsFile(content, path.name, CONTENT_TYPES[output_format], figures)


def _write_audited(path: Path, content: bytes, audit: Callable[[], object]) -> None:
    """Write CONTENT to PATH (mode 600), put in place in the transaction of AUDIT."""
    temporary = _write_private(path, content)
    try:
        with transaction.atomic():
            audit()
            os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def eurostat_export(
    *, actor: Any, year: int, path: Path, internal: bool = False, purpose: str = ""
) -> str:
    """Write Eurostat's breakdown of the registered victims of YEAR (`nas.reporting.eurostat`)
    to PATH: published (small cells withheld) or, with a purpose, internal. Audited."""
    _check(actor, VIEW_INTERNAL if internal else VIEW)
    if internal and not purpose.strip():
        raise refuse(_("Give the purpose of an internal, unsuppressed export."), field="purpose")
    text = eurostat_csv(Period.year(year), internal=internal)
    _write_audited(
        path,
        text.encode("utf-8"),
        lambda: audit_log(
            actor=actor,
            kind=AuditEvent.Kind.EXPORT,
            action="statistics.export_eurostat",
            changes={"year": year, "internal": internal, "file": path.name},
            reason=purpose.strip() or _("Eurostat's statistics of registered victims"),
        ),
    )
    return text


def htcds_export(
    *, actor: Any, period: Period, path: Path, purpose: str, k: int = K_ANONYMITY
) -> HtcdsFile:
    """Write the k-anonymised case-level HTCDS file of PERIOD (`nas.reporting.htcds`) to
    PATH. A file of cases, however de-identified, needs the internal permission and a
    purpose; audited with the number of rows kept and left out."""
    _check(actor, VIEW_INTERNAL)
    if not purpose.strip():
        raise refuse(_("Give the purpose of the case-level export."), field="purpose")
    if k < 2:
        raise refuse(_("k must be at least 2."), field="k")
    made = htcds_file(period, k)
    _write_audited(
        path,
        made.csv().encode("utf-8"),
        lambda: audit_log(
            actor=actor,
            kind=AuditEvent.Kind.EXPORT,
            action="statistics.export_htcds",
            changes={
                "period_start": period.start,
                "period_end": period.end,
                "k": k,
                "rows": len(made.records),
                "suppressed": made.suppressed,
                "file": path.name,
            },
            reason=purpose.strip(),
        ),
    )
    return made


def statistics_view_internal(*, acting_user: Any, period: Period, purpose: str) -> Figures:
    """Return the internal (unsuppressed) figures of PERIOD for the page, recorded as a read."""
    _check(acting_user, VIEW_INTERNAL)
    if not purpose.strip():
        raise refuse(_("Give the purpose of viewing the internal figures."), field="purpose")
    figures = publication_figures(period, internal=True)
    with transaction.atomic():
        audit_log(
            actor=acting_user,
            kind=AuditEvent.Kind.READ,
            action="statistics.view_internal",
            changes={"period_start": period.start, "period_end": period.end},
            reason=purpose.strip(),
        )
    return figures


def statistics_freeze(*, actor: Any, period: Period) -> PublishedStatistics:
    """Store the published figures of PERIOD as they are now, once: later corrections to the
    records never change them (the differences are listed wherever they are shown)."""
    _check(actor, PUBLISH)
    if period.end >= today():
        raise refuse(_("The statistics of a period can be published once the period has ended."))
    existing = frozen_publication(period)
    if existing is not None:
        raise refuse(
            _("The statistics of %(period)s were already published on %(date)s.")
            % {
                "period": periods.label(period),
                "date": timezone.localtime(existing.published_at).date().isoformat(),
            }
        )
    threshold = settings.NAS_DISCLOSURE_THRESHOLD
    fresh = computed(period, internal=False, threshold=threshold)
    figures = fresh.values
    is_user = hasattr(actor, "get_username")
    try:
        with transaction.atomic():
            row = PublishedStatistics.objects.create(
                period_start=period.start,
                period_end=period.end,
                figures=figures,
                threshold=threshold,
                small=sorted(fresh.small),
                published_at=timezone.now(),
                published_by=actor if is_user else None,
                published_by_label=(actor.get_username() if is_user else str(actor))[:150],
            )
            audit_log(
                actor=actor,
                kind=AuditEvent.Kind.CREATE,
                action="statistics.freeze",
                target=row,
                changes={
                    "period_start": period.start,
                    "period_end": period.end,
                    "threshold": threshold,
                    "figures": len(figures),
                    "suppressed": sum(1 for value in figures.values() if value is None),
                },
            )
    except IntegrityError as error:  # published meanwhile by someone else
        raise refuse(_("The statistics of this period were published meanwhile.")) from error
    return row
