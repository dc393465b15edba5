"""The form that adds a document."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from nas.documents.choices import DocumentKind
from nas.documents.services import document_max_bytes

ACCEPT = ".pdf,.png,.jpg,.jpeg,.txt,.docx,.odt"


class DocumentForm(forms.Form):
    """A title, a kind and a file; the service checks the file's size and type."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=DocumentKind.choices, initial=DocumentKind.OTHER
    )
    # An empty file reaches the service, which says why it is refused.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        error_messages={"required": _("Choose a file to add.")},
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A PDF, PNG, JPEG, plain text, DOCX or ODT file of at most %(limit)s."
        ) % {"limit": filesizeformat(document_max_bytes())}
