"""The statistics page: a period, its publication (text, tables, charts), files, publishing.

Everyone with the permission to view statistics sees the published (disclosure-controlled)
figures; reading them is not a read of personal data and is not audited. The internal,
unsuppressed figures are for those allowed to see them, with a purpose, and are audited
(`nas.reporting.services`). A period that was published shows its frozen figures and the
corrections made since.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from nas.accounts.decorators import permission_required
from nas.common.dates import today
from nas.common.views import run_service
from nas.reporting import periods
from nas.reporting.data import publication_figures
from nas.reporting.forms import DownloadForm, PeriodForm, default_data
from nas.reporting.publication import build_publication
from nas.reporting.render import context as publication_context
from nas.reporting.services import (
    LANGUAGES,
    PUBLISH,
    VIEW,
    VIEW_INTERNAL,
    statistics_file,
    statistics_freeze,
    statistics_view_internal,
)

# The files offered for download, in this order.
DOWNLOADS = (
    ("pdf", "PDF"),
    ("xlsx", "XLSX"),
    ("csv", "CSV"),
    ("json", "JSON"),
    ("html", "HTML"),
)


def _language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in LANGUAGES else "en"


def _page(request: HttpRequest, form: PeriodForm) -> HttpResponse:
    """Render the page of FORM's period (only the form, with its errors, when invalid)."""
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        period = form.cleaned_data["period"]
        if form.internal:
            figures = run_service(
                form,
                lambda: statistics_view_internal(
                    acting_user=request.user, period=period, purpose=form.cleaned_data["purpose"]
                ),
            )
        else:
            figures = publication_figures(period)
        if figures is not None:
            publication = build_publication(figures, language=_language())
            download = reverse("reporting:download")
            context.update(publication_context(publication, heading=2))
            context["downloads"] = [
                (label, f"{download}?{form.query(format=code, lang=publication.language)}")
                for code, label in DOWNLOADS
            ]
            context["may_publish"] = (
                request.user.has_perm(PUBLISH)
                and not figures.internal
                and figures.frozen is None
                and period.end < today()
            )
            context["period_label"] = periods.label(period)
            context["hidden_period"] = [
                (name, form.cleaned_data[name])
                for name in ("kind", "year", "half", "start", "end")
                if form.cleaned_data.get(name) not in (None, "")
            ]
    return render(request, "reporting/statistics.html", context)


@permission_required(VIEW)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """The statistics of the chosen period (the last full year at first)."""
    may_see_internal = request.user.has_perm(VIEW_INTERNAL)
    form = PeriodForm(request.GET or default_data(), may_see_internal=may_see_internal)
    return _page(request, form)


@permission_required(VIEW)
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    """A file of the chosen period's statistics: PDF, XLSX, CSV, JSON or HTML (audited)."""
    may_see_internal = request.user.has_perm(VIEW_INTERNAL)
    form = DownloadForm(request.GET, may_see_internal=may_see_internal)
    if form.is_valid():
        data = form.cleaned_data
        made = run_service(
            form,
            lambda: statistics_file(
                actor=request.user,
                period=data["period"],
                output_format=data["format"],
                language=data["lang"] or _language(),
                internal=form.internal,
                purpose=data.get("purpose") or "",
            ),
        )
        if made is not None:
            response = HttpResponse(made.content, content_type=made.content_type)
            response["Content-Disposition"] = content_disposition_header(True, made.filename)
            return response
    return _page(request, form)


@permission_required(PUBLISH)
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    """Freeze the published figures of the period: from now on they are shown as published."""
    form = PeriodForm(request.POST)
    if form.is_valid():
        period = form.cleaned_data["period"]
        frozen = run_service(form, lambda: statistics_freeze(actor=request.user, period=period))
        if frozen is not None:
            messages.success(
                request,
                _("The statistics of %(period)s are published and frozen.")
                % {"period": periods.label(period)},
            )
            return redirect(f"{reverse('reporting:statistics')}?{form.query()}")
    return _page(request, form)
