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


_BLANK = {"type": "string", "maxLength": 0}


def _blank_alternative_as_any_of(node: Any) -> None:
    if isinstance(node, dict):
        alternatives = node.get("oneOf")
        if isinstance(alternatives, list) and len(alternatives) == 2 and _BLANK in alternatives:
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _blank_alternative_as_any_of(value)
    elif isinstance(node, list):
        for value in node:
            _blank_alternative_as_any_of(value)


def blank_strings_any_of(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: a text that may be blank is "any of" its form or blank.

    drf-spectacular gives a blank-allowed string with a pattern `oneOf: [the string, a
    string of length 0]`; when the pattern also admits "" (no NUL character, say), "" matches
    both and so, by `oneOf`'s "exactly one", the schema refused the empty text the API
    accepts (schemathesis found it: ST201, an address of "").
    """
    _blank_alternative_as_any_of(result)
    return result
