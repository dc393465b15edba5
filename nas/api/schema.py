"""The OpenAPI description: the bearer-token scheme, the error responses, strict request bodies."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse

from nas.api.errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    400: "The request is not valid (a field, an unknown query parameter), or a rule of the "
    "assistance system refused it.",
    401: "No token, or a token that is not valid or has been revoked.",
    404: "Not found, or not the caller's.",
    415: "The body is not JSON.",
    422: "The Idempotency-Key was already used for a different submission.",
    429: "Too many requests: wait the seconds that Retry-After says.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented error responses CODES (and 429, which every endpoint may give)."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in sorted({*codes, 429})
    }


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describe nas.api.authentication.BearerTokenAuthentication as HTTP bearer auth."""

    target_class = "nas.api.authentication.BearerTokenAuthentication"
    name = "organisationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The referring organisation's API token (docs/api.md).",
        }


def strict_request_bodies(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: request bodies refuse unknown fields, and say so."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
