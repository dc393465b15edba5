"""`number`: a count written as the active language writes it (12 345, 12,345)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def number(value: Any) -> str:
    """Return VALUE with the active language's thousand separator, whatever the setting
    USE_THOUSAND_SEPARATOR (off, so that years and keys are never grouped)."""
    return formats.number_format(value, force_grouping=True)
