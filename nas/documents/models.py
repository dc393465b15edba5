"""A client's documents, stored encrypted in the database.

The file itself is in the `content` column of the document's row, encrypted with Fernet
under NAS_ENCRYPTION_KEYS (see nas/documents/fields.py): in the database rather than in files
under VAR_DIR so that it works alike on SQLite and PostgreSQL, is written in the same
transaction as its audit event, and is in every backup (manage.py backup) and restore without
a second store to keep in step. The original file name is encrypted too (it often names the
person); the title is staff-written free text and, like notes, is not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nas.common.crypto import EncryptedTextField
from nas.documents.choices import DocumentKind
from nas.documents.fields import EncryptedBytesField


class Document(models.Model):
    """A file kept in a client's file: a decision letter, an identity document, a statement."""

    client = models.ForeignKey(
        "casework.ClientPeriod",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    filename = EncryptedTextField(_("file name"), max_length=255)
    # Found from the file's first bytes when it was added, never taken from the browser.
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("added"), auto_now_add=True)
    content = EncryptedBytesField(_("content"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["client", "uploaded_at"], name="document_client_added")]

    def __str__(self) -> str:
        return self.title
