"""Encryption at rest of direct identifiers, and keyed hashes that let names be searched.

Values are encrypted with Fernet (AES-128-CBC with an HMAC-SHA256, from the maintained
`cryptography` package) under `settings.NAS_ENCRYPTION_KEYS`, newest first: MultiFernet
encrypts with the first key and decrypts with any of them, so a new key can be put in front
and `manage.py rotate_encryption_key` re-encrypts the stored values with it. Outside
production (which refuses to start without keys) an empty list means a per-machine key
generated once into `settings.DEMO_ENCRYPTION_KEY_FILE`.

Names cannot be searched in ciphertext, so each person also carries keyed hashes
(HMAC-SHA256) of their normalised full name and of each name part; a search hashes the query
the same way. Without the key the hashes reveal nothing; the key is `settings.NAS_SEARCH_KEY`,
or, when unset (development and tests), derived from the newest encryption key.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression
from django.utils.translation import gettext_lazy as _

# Hex digits kept of each name part's hash: 64 bits make an accidental match negligible and
# keep the token column short for a million persons.
TOKEN_HASH_LENGTH = 16

# ---------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------


def demo_encryption_key(path: Path | None = None) -> str:
    """Return the per-machine development key, generating it once (mode 600) if missing."""
    path = path or Path(settings.DEMO_ENCRYPTION_KEY_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting at once must not write two different keys.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(Fernet.generate_key().decode("ascii"))
    return path.read_text(encoding="utf-8").strip()


@functools.lru_cache(maxsize=4)
def _demo_key_of(path: str) -> str:
    return demo_encryption_key(Path(path))


def encryption_keys() -> tuple[str, ...]:
    """Return the configured Fernet keys, newest first (the development key if none)."""
    keys = tuple(settings.NAS_ENCRYPTION_KEYS)
    return keys or (_demo_key_of(str(settings.DEMO_ENCRYPTION_KEY_FILE)),)


@functools.lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "NAS_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)"
        ) from exc


def fernet() -> MultiFernet:
    """Return the MultiFernet of the configured keys (cached per key list)."""
    return _multi_fernet(encryption_keys())


def search_key() -> bytes:
    """Return the key of the search hashes."""
    if settings.NAS_SEARCH_KEY:
        return str(settings.NAS_SEARCH_KEY).encode("utf-8")
    return _derived_search_key(encryption_keys()[0])


@functools.lru_cache(maxsize=8)
def _derived_search_key(primary: str) -> bytes:
    # Derived, not the encryption key itself: a hash must never help to decrypt.
    raw = base64.urlsafe_b64decode(primary)
    return hmac.new(raw, b"nas search key v1", hashlib.sha256).digest()


# ---------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------


def encrypt_value(text: str) -> str:
    """Return TEXT encrypted as a Fernet token; an empty string stays empty."""
    if text == "":
        return ""
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_value(token: str) -> str:
    """Return the text of a Fernet TOKEN; an empty string stays empty.

    A value that is not a token of one of the configured keys is an error, never returned as
    it is: a clear-text identifier in an encrypted column must be noticed, not displayed.
    """
    if token == "":
        return ""
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(
            "An encrypted value cannot be decrypted with any key of NAS_ENCRYPTION_KEYS"
        ) from exc


def rotate_value(token: str) -> str:
    """Return TOKEN re-encrypted with the newest key (an empty string stays empty)."""
    if token == "":
        return ""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def encrypt_json(value: Sequence[Any] | None) -> str:
    """Return a JSON list encrypted as one token; an empty list is stored as ''."""
    if not value:
        return ""
    return encrypt_value(json.dumps(list(value), ensure_ascii=False))


def decrypt_json(token: str) -> list[Any]:
    """Return the list encrypted by encrypt_json."""
    if token == "":
        return []
    value = json.loads(decrypt_value(token))
    return list(value)


# ---------------------------------------------------------------------------------------
# Search hashes
# ---------------------------------------------------------------------------------------

_JOINERS = re.compile(r"['’`´]")
_SEPARATORS = re.compile(r"[\W_]+")


def normalise_name(text: str) -> str:
    """Return TEXT as names are compared: case-folded, without accents, single-spaced.

    Apostrophes join ("O'Brien" is "obrien"); hyphens and other punctuation separate
    ("Anna-Maria" is "anna maria").
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = _JOINERS.sub("", plain)
    return " ".join(_SEPARATORS.sub(" ", plain).split())


def search_hash(text: str) -> str:
    """Return the keyed hash (HMAC-SHA256, hex) of the normalised TEXT; '' for no name."""
    normal = normalise_name(text)
    if not normal:
        return ""
    return hmac.new(search_key(), normal.encode("utf-8"), hashlib.sha256).hexdigest()


def name_token_hashes(text: str) -> list[str]:
    """Return the hashes of each part of the normalised TEXT, in order, without repeats."""
    key = search_key()
    hashes: list[str] = []
    for token in normalise_name(text).split():
        digest = hmac.new(key, token.encode("utf-8"), hashlib.sha256).hexdigest()
        if digest[:TOKEN_HASH_LENGTH] not in hashes:
            hashes.append(digest[:TOKEN_HASH_LENGTH])
    return hashes


def person_search_hashes(
    given_names: str, family_name: str, aliases: Iterable[str] = ()
) -> tuple[str, str]:
    """Return (name_hash, name_tokens) for a person's columns of the same names.

    name_hash is the hash of the full name; name_tokens holds the hash of every part of the
    names and aliases, space-separated with a space at both ends so that a part is found
    with `name_tokens__contains=f" {hash} "` on any database.
    """
    full = f"{given_names} {family_name}"
    tokens = name_token_hashes(" ".join([full, *aliases]))
    return search_hash(full), (f" {' '.join(tokens)} " if tokens else "")


def identifier_marker(value: Any) -> str:
    """Return what the audit log records of an identifier: whether it is set, never it.

    The audit log is append-only and outlives the retention of identifiers, so it must not
    hold them, not even a hash (a name is guessable from a hash by whoever holds the key).
    """
    return "[redacted]" if value else ""


# ---------------------------------------------------------------------------------------
# Model fields
# ---------------------------------------------------------------------------------------


class EncryptedTextField(models.Field):
    """Text stored encrypted (a Fernet token in a text column) and read back decrypted.

    A small field written here rather than taken from a package: the django encrypted-field
    packages are unmaintained or pinned to old Django versions, and a field on top of the
    maintained `cryptography` is about forty lines that we can read and test. The empty
    string is stored as '' (it says only that there is no value), None as NULL. Tokens differ
    on every write, so the column cannot be filtered on: only `isnull` is allowed; names
    are searched through their hashes (see person_search_hashes).
    """

    description = _("Encrypted text")

    def __init__(self, *args: Any, max_length: int | None = None, **kwargs: Any) -> None:
        # max_length limits the clear text (form and full_clean), not the column.
        kwargs["max_length"] = max_length
        super().__init__(*args, **kwargs)
        if max_length is not None:
            self.validators.append(MaxLengthValidator(max_length))

    def get_internal_type(self) -> str:
        return "TextField"

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None:
            return None
        return decrypt_value(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt_value(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def formfield(self, **kwargs: Any) -> Any:
        defaults = {"form_class": forms.CharField, "max_length": self.max_length}
        return super().formfield(**{**defaults, **kwargs})


class EncryptedJSONListField(EncryptedTextField):
    """A list (e.g. of aliases) stored as one encrypted JSON text; [] is stored as ''."""

    description = _("Encrypted list")
    empty_strings_allowed = False

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, list):
            return value
        if isinstance(value, str):
            try:
                parsed = json.loads(value) if value else []
            except json.JSONDecodeError:
                return [value]
            return parsed if isinstance(parsed, list) else [parsed]
        return list(value)

    def from_db_value(  # type: ignore[override]
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> list[Any] | None:
        if value is None:
            return None
        return decrypt_json(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt_json(self.to_python(value))

    def formfield(self, **kwargs: Any) -> Any:
        return super(EncryptedTextField, self).formfield(
            **{"form_class": forms.JSONField, **kwargs}
        )


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    """Return the encrypted fields of MODEL."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
