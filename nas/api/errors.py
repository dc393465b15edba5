"""Every API error is JSON: {"message": "...", "errors": {"field": ["...", ...]}}.

`api_exception_handler` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) turns DRF's exceptions (401,
403, 404, 405, 415, 429, validation), Django's Http404 and PermissionDenied, and the services'
DomainError (400, with the service's message and field) into that shape. Field names of
nested values are dotted: `person.date_of_birth`, `nationalities.0`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from nas.common.errors import DomainError
from nas.people.services import PERSON_FIELDS

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"


class ErrorSerializer(serializers.Serializer[Any]):
    """The body of every error response."""

    message = serializers.CharField(help_text="What went wrong, in the request's language.")
    # A declared field, taken off the class by DRF: it does not hide Serializer.errors.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by field (dotted for nested fields), when fields are at fault.",
    )


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "This Idempotency-Key was already used for a different submission. "
        "Use a new key for a new referral."
    )
    default_code = "idempotency_key_reused"


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Return DRF's nested error detail as {dotted field: [messages]}."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for name, inner in detail.items():
            key = str(name) if not prefix or name == NON_FIELD else f"{prefix}.{name}"
            for field, messages in _flatten(inner, key).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, (list, Mapping)) for item in detail):
            return {prefix or NON_FIELD: [str(item) for item in detail]}
        flat = {}
        for index, inner in enumerate(detail):
            key = f"{prefix}.{index}" if prefix else str(index)
            for field, messages in _flatten(inner, key).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    return {prefix or NON_FIELD: [str(detail)]}


def _domain_field(field: str) -> str:
    return f"person.{field}" if field in PERSON_FIELDS else field


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Return the JSON error response for EXC (see the module's docstring)."""
    if isinstance(exc, DomainError):
        set_rollback()
        body: dict[str, Any] = {"message": str(exc.message)}
        if exc.field:
            body["errors"] = {_domain_field(exc.field): [str(exc.message)]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("API request failed", exc_info=exc)
        return Response(
            {
                "message": str(
                    _("The request could not be handled because of an error on our side.")
                )
            },
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, ValidationError):
        errors = _flatten(exc.detail)
        general = errors.pop(NON_FIELD, [])
        body = {"message": " ".join(general) or str(_("The request has errors."))}
        if errors:
            body["errors"] = errors
        response.data = body
    else:
        data = response.data
        detail = data.get("detail", "") if isinstance(data, Mapping) else data
        response.data = {"message": str(detail)}
    return response
