"""Choices for documents."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    IDENTITY_DOCUMENT = "identity_document", _("Identity document")
    DECISION = "decision", _("Decision")
    MEDICAL = "medical", _("Medical document")
    STATEMENT = "statement", _("Statement")
    OTHER = "other", _("Other")
