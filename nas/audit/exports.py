"""Exports that are safe by default: no spreadsheet formula can hide in a CSV cell.

(The workbooks of nas.reporting.render use `looks_like_formula` for the same.)
"""

from __future__ import annotations

import csv
import decimal
import io
from collections.abc import Iterable, Sequence

# A spreadsheet treats a cell starting with one of these as a formula (OWASP's list: the
# four operators, tab and carriage return; with the full-width forms some programs accept).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take TEXT, typed into a cell, for a formula: it starts
    with a formula character, or with one after white space (spaces, tabs, line breaks)."""
    return text.startswith(_FORMULA_STARTS) or text.lstrip().startswith(_FORMULA_STARTS)


def safe_csv_cell(value: object) -> str:
    """Return VALUE as CSV cell text that a spreadsheet will not run as a formula.

    Text starting with a formula character (also after leading white space) gets a leading
    apostrophe, which spreadsheets show as text. Numbers are left alone: `-5` is data.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if looks_like_formula(text):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Return HEADER and ROWS as CSV text, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_csv_cell(cell) for cell in row])
    return buffer.getvalue()
