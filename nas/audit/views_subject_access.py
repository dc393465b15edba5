"""The auditor's screen for a person's access request: their data and access log, JSON or PDF."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from nas.accounts.decorators import permission_required
from nas.audit.models import AuditEvent
from nas.audit.selectors import VIEW_PERMISSION
from nas.audit.services import audit_log
from nas.audit.subject_access import person_for_subject_access, subject_access_package
from nas.audit.subject_access_pdf import subject_access_pdf
from nas.people.models import Person


class SubjectAccessForm(forms.Form):
    """The person (by reference), the purpose of the export and the file format."""

    person = forms.CharField(
        label=_("Person reference"),
        max_length=40,
        help_text=_("The person's reference, for example P-3F2A1B9C0D12."),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: access request of the person, case number 123/2025. The export "
            "and its purpose are recorded in the audit log."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF (to give to the person)")), ("json", _("JSON"))],
        initial="pdf",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self) -> Person:
        text = self.cleaned_data["person"]
        found = person_for_subject_access(user=self.user, ref=text)
        if found is None:
            raise forms.ValidationError(_("No person has this reference."), code="not_found")
        return found


@permission_required(VIEW_PERMISSION)
@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest) -> HttpResponse:
    """Export everything held about a person and who accessed it, for a stated purpose."""
    if request.method != "POST":
        form = SubjectAccessForm(user=request.user)
    else:
        form = SubjectAccessForm(request.POST, user=request.user)
        if form.is_valid():
            return _download(request, form)
    return render(request, "audit/subject_access.html", {"form": form})


def _download(request: HttpRequest, form: SubjectAccessForm) -> HttpResponse:
    """Build the file and record its export in one transaction, then send it."""
    person: Person = form.cleaned_data["person"]
    file_format = form.cleaned_data["format"]
    with transaction.atomic():
        package = subject_access_package(acting_user=request.user, person=person)
        content: bytes | str
        if file_format == "pdf":
            content, content_type = subject_access_pdf(package), "application/pdf"
        else:
            content = json.dumps(package, ensure_ascii=False, indent=2)
            content_type = "application/json"
        audit_log(
            actor=request.user,
            kind=AuditEvent.Kind.EXPORT,
            action="audit.subject_access.export",
            target=person,
            person_id=person.pk,
            changes={"format": file_format, "access_log_entries": len(package["access_log"])},
            reason=form.cleaned_data["purpose"],
        )
    response = HttpResponse(content, content_type=content_type)
    filename = f"person-data-{person.ref}-{timezone.localdate().isoformat()}.{file_format}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response
