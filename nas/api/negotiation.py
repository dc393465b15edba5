"""Content negotiation: the API speaks JSON only, and answers JSON whatever Accept says."""

from __future__ import annotations

from collections.abc import Iterable

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class JsonAlways(DefaultContentNegotiation):
    """Choose the renderer the Accept header asks for, else JSON rather than 406.

    RFC 9110 lets a server ignore an Accept header it cannot satisfy; a client that sends an
    empty or odd one (some HTTP libraries do) gets the JSON it can read anyway, and every
    answer stays one the schema documents.
    """

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        choices = list(renderers)
        try:
            return super().select_renderer(request, choices, format_suffix)
        except NotAcceptable:
            return choices[0], str(choices[0].media_type)
