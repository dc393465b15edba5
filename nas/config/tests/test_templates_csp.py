"""No template holds inline script or style: the Content Security Policy forbids them.

A page that needs them would break silently in the browser (the CSP blocks them), so this
test fails first. Put scripts and styles in static files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

NAS = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path
    for path in NAS.rglob("templates/**/*")
    if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg"}
)

FORBIDDEN = {
    "a <script> without src": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE),
    "a <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "a style= attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL),
    "an on...= event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def offences(text: str) -> list[str]:
    return [name for name, pattern in FORBIDDEN.items() if pattern.search(text)]


def test_there_are_templates_to_check():
    assert NAS / "templates" / "base.html" in TEMPLATES
    assert len(TEMPLATES) > 3


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(NAS)))
def test_the_template_has_no_inline_script_or_style(path):
    assert offences(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<SCRIPT type="module">x()</SCRIPT>',
        "<style>p { color: red }</style>",
        '<p class="a" style="color: red">',
        '<div\n  style="display:none">',
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    ],
)
def test_the_scan_catches_inline_code(text):
    assert offences(text)


@pytest.mark.parametrize(
    "text",
    [
        "<script src=\"{% static 'nas/app.js' %}\"></script>",
        '<link rel="stylesheet" href="/static/nas/nas.css">',
        "<p>Use the style guide; click once.</p>",
        '<input name="online" value="1">',
    ],
)
def test_the_scan_lets_static_files_and_plain_text_through(text):
    assert offences(text) == []
