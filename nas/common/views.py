"""Helpers shared by the views: running a service from a form, the htmx-aware render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from nas.common.errors import ConcurrentEditError, DomainError

T = TypeVar("T")


def run_service(form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Run ACTION (a call of a service) and return its result, or None if a rule refused it.

    A refusal becomes an error of the form: on the field the service named when the form has
    it, otherwise at the top of the form. The service's transaction has been rolled back, so
    nothing was saved; the form keeps what the user typed. A record changed by someone else
    meanwhile (ConcurrentEditError, whose message says what to do) is shown at the top.
    """
    try:
        return action()
    except DomainError as error:
        own_field = not isinstance(error, ConcurrentEditError) and error.field in form.fields
        field = error.field if own_field else None
        form.add_error(field, str(error.message))
    return None


def render_partial(
    request: HttpRequest, template: str, context: dict[str, Any], partial: str | None = None
) -> HttpResponse:
    """Render TEMPLATE, or only PARTIAL (a template of the fragment) for an htmx request.

    A history restore (the user went back and htmx's cache missed) gets the whole page, and
    the answer varies with HX-Request so that no cache serves a fragment as a page.
    """
    htmx: Any = getattr(request, "htmx", None)
    fragment = partial is not None and bool(htmx) and not htmx.history_restore_request
    response = render(request, partial if fragment and partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


class VersionField(forms.IntegerField):
    """The version of the record the form was opened on, sent back for optimistic locking."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(**kwargs)
