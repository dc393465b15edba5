"""PDF documents made from HTML with WeasyPrint, loading nothing from outside.

WeasyPrint lays out HTML with the system's Pango library (Debian: libpango-1.0-0,
libpangoft2-1.0-0). A document is made from a template of its own and the stylesheets given as
files; the URL fetcher refuses every URL, so no value in the data can make it fetch one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from weasyprint import CSS, HTML  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]


class RefuseEveryURL(URLFetcher):
    """A WeasyPrint URL fetcher that fetches nothing: a URL in the data is left out."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise ValueError(f"the document loads nothing from outside: {url!r}")


def css_string(text: str) -> str:
    """Return TEXT as a quoted CSS string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def page_numbers() -> Any:
    """Return a stylesheet putting "Page n / m" in the footer, in the active language.

    CSS cannot be translated, so the word comes from the code.
    """
    word = css_string(_("Page") + " ")
    rule = f"@page {{ @bottom-right {{ content: {word} counter(page) ' / ' counter(pages) }} }}"
    return CSS(string=rule)


def html_to_pdf(html: str, *, stylesheets: Sequence[Path], numbered: bool = True) -> bytes:
    """Return HTML laid out as a PDF with STYLESHEETS (files), NUMBERED pages by default.

    Call it in the language of the document (translation.override): the page number's word
    is translated when the document is made.
    """
    sheets = [CSS(filename=str(path)) for path in stylesheets]
    if numbered:
        sheets.append(page_numbers())
    fetcher = RefuseEveryURL()
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=sheets)
    return pdf
