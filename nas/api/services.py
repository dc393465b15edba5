"""API tokens: created (shown once), revoked, and checked on each request.

A token is 256 random bits; the database keeps only an HMAC-SHA256 of it under a key derived
from the search key (nas.common.crypto.search_key), so a copy of the database gives no usable
token, and a token is found by the index on its hash. Changing NAS_SEARCH_KEY invalidates
every token (docs/api.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nas.api.models import ApiToken
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common.crypto import search_key
from nas.common.validation import full_clean, refuse
from nas.referrals.models import Organisation

TOKEN_PREFIX = "nas_"
# last_used is written at most this often per token: a read need not always be a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@functools.lru_cache(maxsize=4)
def _derived_key(base: bytes) -> bytes:
    # Domain separation: a token hash must never equal a name hash of the same text.
    return hmac.new(base, b"nas api token v1", hashlib.sha256).digest()


def token_hash(token: str) -> str:
    """Return the keyed hash under which TOKEN is stored."""
    return hmac.new(_derived_key(search_key()), token.encode("utf-8"), hashlib.sha256).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Any, organisation: Organisation, name: str) -> tuple[ApiToken, str]:
    """Create a token NAME for ORGANISATION; return it and the token, which is never kept."""
    name = name.strip()
    if not organisation.active:
        raise refuse(
            _("The organisation %(name)s may no longer submit referrals.")
            % {"name": organisation.name}
        )
    if ApiToken.objects.filter(organisation=organisation, name=name, revoked=None).exists():
        raise refuse(
            _("The organisation already has a token called %(name)s.") % {"name": name},
            field="name",
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken(
        organisation=organisation, name=name, token_hash=token_hash(token), created=timezone.now()
    )
    full_clean(api_token)
    api_token.save()
    audit_log(
        actor=actor,
        kind=AuditEvent.Kind.CREATE,
        action="api_token.create",
        target=api_token,
        changes={"organisation": organisation.name, "name": name},
    )
    return api_token, token


@transaction.atomic
def api_token_revoke(*, actor: Any, api_token: ApiToken) -> ApiToken:
    """Revoke API_TOKEN for good: it no longer authenticates anything."""
    if api_token.revoked is not None:
        raise refuse(_("This token has already been revoked."))
    api_token.revoked = timezone.now()
    api_token.save(update_fields=["revoked"])
    audit_log(
        actor=actor,
        kind=AuditEvent.Kind.UPDATE,
        action="api_token.revoke",
        target=api_token,
        changes={"organisation": api_token.organisation.name, "name": api_token.name},
    )
    return api_token


def api_token_use(token: str) -> ApiToken | None:
    """Return the active token TOKEN, recording its use; None when unknown or revoked, or
    when its organisation is no longer active (an administrator closed it in the admin)."""
    api_token = (
        ApiToken.objects.select_related("organisation", "organisation__referrer_type")
        .filter(token_hash=token_hash(token), revoked=None, organisation__active=True)
        .first()
    )
    if api_token is None:
        return None
    now = timezone.now()
    if api_token.last_used is None or now - api_token.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used=now)
        api_token.last_used = now
    return api_token
