"""An encrypted field for file contents."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression
from django.utils.translation import gettext_lazy as _

from nas.common.crypto import EncryptedTextField, fernet


class EncryptedBytesField(EncryptedTextField):
    """Bytes stored encrypted: a Fernet token (url-safe base64 text) in a text column.

    A text column rather than a binary one because the token is text already, and because
    every EncryptedTextField is re-encrypted by `manage.py rotate_encryption_key`, so file
    contents follow a key rotation like the identifiers do. Only `isnull` can be filtered on.
    """

    description = _("Encrypted bytes")
    empty_strings_allowed = False

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, bytes):
            return value
        return bytes(value)

    def from_db_value(  # type: ignore[override]
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> bytes | None:
        if value is None:
            return None
        try:
            return fernet().decrypt(value.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError) as exc:
            raise ImproperlyConfigured(
                "An encrypted file cannot be decrypted with any key of NAS_ENCRYPTION_KEYS"
            ) from exc

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return fernet().encrypt(bytes(value)).decode("ascii")

    def formfield(self, **kwargs: Any) -> Any:
        return None
