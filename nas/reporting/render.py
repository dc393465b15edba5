"""The publication as HTML (a file that opens anywhere), PDF (WeasyPrint) and XLSX (openpyxl).

The HTML file is a document of its own, not a page of the application: its stylesheet
(`publication.css`) and its charts travel inside it as data: URIs, so it can be put on a web
site or mailed as it is. The PDF is made from the same template with the charts drawn inline
as SVG (`nas.common.pdf` loads nothing from outside, data: URIs included). The workbook has
one sheet per table: a header row, counts and shares as numbers, withheld cells as the text
"..".
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

from nas.audit.exports import looks_like_formula
from nas.common.pdf import html_to_pdf
from nas.reporting.publication import Publication, number, share_text
from nas.reporting.tables import WITHHELD, Cell, Column, Table

STYLESHEET = Path(__file__).with_name("publication.css")


@dataclass(frozen=True)
class ShownCell:
    text: str
    numeric: bool
    withheld: bool


@dataclass(frozen=True)
class ShownRow:
    label: str
    cells: list[ShownCell]
    is_total: bool


@dataclass(frozen=True)
class ShownTable:
    """A table with its cells written out in the active language, for the templates."""

    key: str
    title: str
    columns: list[tuple[str, bool]]
    rows: list[ShownRow]


def cell_text(cell: Cell, column: Column, sign: str = WITHHELD) -> str:
    """Return CELL written out for COLUMN; SIGN when it is withheld ("<k" or "..")."""
    if cell is None:
        return sign
    if column.kind == "share" and isinstance(cell, int | float):
        return share_text(float(cell))
    if column.kind == "count" and isinstance(cell, int | float):
        return number(cell)
    return str(cell)


def shown(table: Table) -> ShownTable:
    columns = table.columns[1:]
    return ShownTable(
        key=table.key,
        title=table.title,
        columns=[(table.columns[0].label, False)]
        + [(column.label, column.kind in ("count", "share")) for column in columns],
        rows=[
            ShownRow(
                row.label,
                [
                    ShownCell(
                        cell_text(cell, column, table.sign(row, index)),
                        column.kind in ("count", "share"),
                        cell is None,
                    )
                    for index, (cell, column) in enumerate(zip(row.cells, columns, strict=True))
                ],
                row.is_total,
            )
            for row in table.rows
        ],
    )


# The widest a chart is drawn in the PDF (the text width of an A4 page is 174 mm).
PDF_CHART_WIDTH = 440.0  # points


def _svg_element(svg: str) -> SafeString:
    """Return a chart's <svg> element to lay out inline in the PDF, at most PDF_CHART_WIDTH
    wide. Its size is given in points: WeasyPrint does not derive the height of an inline
    SVG from its width. The SVG is our own drawing, whose only text is labels that
    matplotlib escapes."""
    size = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if size is not None:
        width, height = float(size.group(1)), float(size.group(2))
        scale = min(1.0, PDF_CHART_WIDTH / width)
        svg = svg.replace(
            size.group(0),
            f'width="{width * scale:.2f}pt" height="{height * scale:.2f}pt"',
            1,
        )
    # Our own drawing; matplotlib escapes its text (labels): nothing from a user is raw here.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703


def context(
    publication: Publication, *, heading: int, inline_svg: bool = False
) -> dict[str, object]:
    """Return the template context of the publication's body (also used by the page).

    HEADING is the level of the publication's title (1 in a document of its own); sections
    are one level below it.
    """
    sections = []
    for section in publication.sections:
        items = []
        for item in section.items:
            chart = item.chart
            image: object = None
            if chart is not None:
                image = _svg_element(chart.svg) if inline_svg else chart.data_uri()
            items.append({"table": shown(item.table), "chart": chart, "image": image})
        sections.append({"section": section, "items": items})
    return {
        "publication": publication,
        "sections": sections,
        "inline_svg": inline_svg,
        "title_level": heading,
        "section_level": heading + 1,
        "item_level": heading + 2,
        "withheld_sign": WITHHELD,
    }


def publication_html(publication: Publication) -> str:
    """Return the publication as an HTML document of its own (stylesheet and charts inside)."""
    css = base64.b64encode(STYLESHEET.read_bytes()).decode("ascii")
    with translation.override(publication.language):
        return render_to_string(
            "reporting/publication.html",
            {
                **context(publication, heading=1),
                "stylesheet": f"data:text/css;base64,{css}",
            },
        )


def publication_pdf(publication: Publication) -> bytes:
    """Return the publication as a PDF document (A4, numbered pages)."""
    with translation.override(publication.language):
        html = render_to_string(
            "reporting/publication.html", context(publication, heading=1, inline_svg=True)
        )
        return html_to_pdf(html, stylesheets=[STYLESHEET])


def sheet_names() -> dict[str, str]:
    """Short names of the tables for the sheet tabs (at most 31 characters each)."""
    return {
        "trend": _("Referrals by year"),
        "referrers": _("Referrers"),
        "decisions": _("Decisions"),
        "negative_reasons": _("Negative decisions"),
        "timeliness": _("Days to decision"),
        "ended": _("Assistance ended"),
        "new_clients": _("New clients"),
        "new_by_gender": _("New victims, gender"),
        "new_by_age": _("New victims, age"),
        "new_by_nationality": _("New victims, nationality"),
        "new_where": _("New victims, where exploited"),
        "forms_by_gender": _("Forms by gender"),
        "primary_forms": _("Primary forms"),
        "finland_by_gender": _("Finland, gender"),
        "finland_by_nationality": _("Finland, nationality"),
        "finland_by_form": _("Finland, forms"),
        "finland_sectors": _("Finland, forced labour sectors"),
        "finland_by_residence": _("Finland, right of residence"),
        "finland_by_permit": _("Finland, permit types"),
        "finland_by_referrer": _("Finland, referrers"),
        "reflection_periods": _("Reflection periods"),
        "stock": _("All clients"),
        "stock_by_gender": _("All victims, gender"),
        "stock_by_nationality": _("All victims, nationality"),
        "stock_by_form": _("All victims, forms"),
    }


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\ and at most 31 characters."""
    clean = "".join(" " if char in "[]:*?/\\" else char for char in name)[:31].strip()
    candidate, number_ = clean, 2
    while candidate.lower() in used:
        suffix = f" ({number_})"
        candidate, number_ = clean[: 31 - len(suffix)] + suffix, number_ + 1
    used.add(candidate.lower())
    return candidate


def publication_xlsx(publication: Publication) -> bytes:
    """Return the tables as a workbook: one sheet per table, numbers as numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    with translation.override(publication.language):
        names = sheet_names()
        used: set[str] = set()
        for key, table in publication.tables.items():
            sheet = workbook.create_sheet(_sheet_name(names.get(key, table.title), used))
            _append(sheet, [column.label for column in table.columns])
            for cell in sheet[1]:
                cell.font = bold
            for row in table.rows:
                signs = (table.sign(row, index) for index in range(len(row.cells)))
                _append(
                    sheet,
                    [
                        row.label,
                        *(_sheet_value(c, s) for c, s in zip(row.cells, signs, strict=True)),
                    ],
                )
                if row.is_total:
                    for cell in sheet[sheet.max_row]:
                        cell.font = bold
            for index, column in enumerate(table.columns[1:], start=2):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    if column.kind == "share" and isinstance(cell.value, float):
                        cell.number_format = "0%"
                    if column.kind in ("count", "share"):
                        cell.alignment = Alignment(horizontal="right")
            sheet.append([])
            _append(sheet, [table.title])
            _append(sheet, [publication.title])
            for note in publication.notes[:1]:
                _append(sheet, [note])
            sheet.column_dimensions["A"].width = max(
                [len(str(row.label)) for row in table.rows] + [len(table.columns[0].label), 12]
            )
            for letter in "BCDEFG"[: len(table.columns) - 1]:
                sheet.column_dimensions[letter].width = 14
            sheet.freeze_panes = "B2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _append(sheet: Any, values: list[Any]) -> None:
    """Append a row of VALUES, every text as text: openpyxl would store a text starting with
    "=" as a formula, and labels come from reference lists that administrators edit.

    A text a spreadsheet would take for a formula (also "+", "-", "@", tab, carriage return)
    is marked quote-prefixed too, so that editing the cell keeps it text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if looks_like_formula(cell.value):
                cell.quotePrefix = True


def _sheet_value(cell: Cell, sign: str) -> int | float | str:
    """A count or share as a number; a withheld cell as the text SIGN ("<k" or "..")."""
    return sign if cell is None else cell
