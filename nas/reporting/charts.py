"""The charts of a publication, drawn with matplotlib (Agg, no pyplot) as SVG.

Each chart is drawn from one table of the publication (`nas.reporting.tables`) and only from
its published cells: a withheld count is never drawn - its bar is left out and marked with
the withheld sign - and the order of the bars is the table's, which places withheld rows by
their labels, not by their size. So a chart tells nothing that its table does not.

Accessibility: every chart has a title (the table's, shown above it in the document, not in
the image), a text alternative (`description`) and its table next to it; labels are in the
active language; the bars' colours have a contrast of at least 4.5:1 against the white
background (WCAG 1.4.11 asks 3:1), segments are separated by white lines, and every bar is
labelled with its number, so no value is conveyed by colour alone. The SVG text is drawn as
text (in DejaVu Sans, falling back to the reader's sans-serif font).
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nas.reporting.disclosure import OTHER
from nas.reporting.figures.common import UNKNOWN
from nas.reporting.tables import WITHHELD, Cell, Row, Table, band

matplotlib.use("Agg")
# Identical input gives an identical SVG (the element ids are hashed with this salt).
matplotlib.rcParams["svg.hashsalt"] = "nas-statistics"
# Text stays text: selectable, found by search and read by assistive technology inside the
# PDF and inline SVG; labels are never read as mathematical notation ("$").
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["text.parse_math"] = False

TEXT = "#0b0c0c"
GRID = "#b1b4b6"
BAR = "#1d4f91"  # contrast 8.3:1 on white
HIGHLIGHT = "#0b0c0c"
# Genders in stacked bars: blue, dark orange, green, grey (each at least 4.5:1 on white, and
# told apart by the colour-blind: blue and orange differ in lightness and hue).
SERIES = ("#1d4f91", "#a94600", "#2e6b1f", "#505a5f")
WIDTH = 7.0  # inches: the text width of an A4 page
BAR_HEIGHT = 0.3
FONT = 9
# The numbers on the bars: on white, so that grid lines do not cross them.
LABEL: dict[str, Any] = {
    "fontsize": FONT,
    "color": TEXT,
    "bbox": {"facecolor": "white", "edgecolor": "none", "pad": 0.6},
}


@dataclass(frozen=True)
class Chart:
    """A chart of a table: its title, text alternative and SVG image."""

    key: str
    table_key: str
    title: str
    description: str
    svg: str

    def data_uri(self) -> str:
        """Return the SVG as a data: URI for an <img> (allowed by the CSP's img-src)."""
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


def _number(value: Cell, sign: str = WITHHELD) -> str:
    if value is None:
        return sign
    return number_format(value, use_l10n=True, force_grouping=True)


def _attributes(style: str) -> str:
    """Return a style="..." declaration list as SVG presentation attributes."""
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def clean_svg(svg: str, prefix: str) -> str:
    """Return matplotlib's SVG as an <svg> element without any CSS and with its ids
    prefixed by PREFIX.

    Styles become presentation attributes (the page's CSP forbids style attributes and
    elements, and WeasyPrint would read them as HTML CSS), and the ids are unique when
    several charts share one document (the PDF draws them inline).
    """
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    rules = re.search(r"<style[^>]*>\*\{([^}]*)\}</style>", svg)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.DOTALL)
    inherited = _attributes(rules.group(1)) if rules else ""
    svg = svg.replace("<svg ", f"<svg {inherited} ", 1)
    svg = re.sub(r'style="([^"]*)"', lambda m: _attributes(m.group(1)), svg)
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)


def _svg(figure: Figure, key: str) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return clean_svg(out.getvalue(), f"chart-{key}")


def _figure(rows: int, horizontal: bool) -> tuple[Figure, Axes]:
    height = max(1.6, 0.6 + BAR_HEIGHT * rows) if horizontal else 3.0
    figure = Figure(figsize=(WIDTH, height))
    axes = figure.subplots()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=TEXT, labelsize=FONT)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(GRID)
    return figure, axes


def _label_bars(
    axes: Axes,
    positions: Sequence[float],
    values: Sequence[Cell],
    *,
    horizontal: bool,
    signs: Sequence[str],
    ends: Sequence[float] | None = None,
) -> None:
    """Write each bar's number at its end (ENDS when given; the withheld sign, of SIGNS,
    where there is no bar)."""
    ends = ends if ends is not None else [_count(value) for value in values]
    pad = max([*ends, 1.0]) * 0.01
    for position, value, end, sign in zip(positions, values, ends, signs, strict=True):
        text = _number(value, sign)
        if horizontal:
            axes.text(end + pad, position, text, va="center", ha="left", **LABEL)
        else:
            axes.text(position, end + pad, text, va="bottom", ha="center", **LABEL)


def _count(value: Cell) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def bar_chart(key: str, table: Table, rows: Sequence[Row] | None = None) -> Chart:
    """Horizontal bars of the table's first count column, one per row, largest on top."""
    rows = list(rows if rows is not None else table.body())
    values = [row.cells[0] for row in rows]
    figure, axes = _figure(len(rows), horizontal=True)
    positions = list(range(len(rows)))[::-1]
    published = [(p, _count(v)) for p, v in zip(positions, values, strict=True) if v is not None]
    axes.barh(
        [p for p, _v in published], [v for _p, v in published], color=BAR, height=0.7, zorder=2
    )
    axes.set_yticks(positions, [row.label for row in rows])
    axes.set_xlim(0, max([_count(v) for v in values] or [1]) * 1.12 or 1)
    axes.xaxis.grid(True, color=GRID, linewidth=0.5, zorder=0)
    axes.set_xlabel(table.columns[1].label, fontsize=FONT, color=TEXT)
    _label_bars(axes, positions, values, horizontal=True, signs=_signs(table, rows))
    return Chart(key, table.key, table.title, describe(table, rows), _svg(figure, key))


def _signs(table: Table, rows: Sequence[Row]) -> list[str]:
    """How each row's first count is shown when withheld: "<k" or ".."."""
    return [table.sign(row, 0) for row in rows]


def column_chart(key: str, table: Table, highlight_last: bool = False) -> Chart:
    """Vertical bars in the table's order (periods, age bands)."""
    rows = list(table.body())
    values = [row.cells[0] for row in rows]
    figure, axes = _figure(len(rows), horizontal=False)
    positions = list(range(len(rows)))
    colours = [BAR] * len(rows)
    if highlight_last and colours:
        colours[-1] = HIGHLIGHT
    bars = [
        (p, _count(v), c)
        for p, v, c in zip(positions, values, colours, strict=True)
        if v is not None
    ]
    axes.bar(
        [p for p, _v, _c in bars],
        [v for _p, v, _c in bars],
        color=[c for _p, _v, c in bars],
        width=0.65,
        zorder=2,
    )
    axes.set_xticks(positions, [row.label for row in rows])
    axes.set_ylim(0, max([_count(v) for v in values] or [1]) * 1.15 or 1)
    axes.yaxis.grid(True, color=GRID, linewidth=0.5, zorder=0)
    axes.set_ylabel(table.columns[1].label, fontsize=FONT, color=TEXT)
    _label_bars(axes, positions, values, horizontal=False, signs=_signs(table, rows))
    return Chart(key, table.key, table.title, describe(table, rows), _svg(figure, key))


def stacked_chart(key: str, table: Table) -> Chart:
    """Horizontal bars of the table's rows split by its columns after the total (genders)."""
    rows = list(table.body())
    series = [column.label for column in table.columns[2:]]
    figure, axes = _figure(len(rows), horizontal=True)
    positions = list(range(len(rows)))[::-1]
    left = [0.0] * len(rows)
    for index, name in enumerate(series):
        widths = [row.cells[index + 1] for row in rows]
        drawn = [
            (p, _count(w), s)
            for p, w, s in zip(positions, widths, left, strict=True)
            if w is not None
        ]
        axes.barh(
            [p for p, _w, _s in drawn],
            [w for _p, w, _s in drawn],
            left=[s for _p, _w, s in drawn],
            color=SERIES[index % len(SERIES)],
            edgecolor="white",
            linewidth=0.8,
            height=0.7,
            label=name,
            zorder=2,
        )
        left = [s + _count(w) for s, w in zip(left, widths, strict=True)]
    axes.set_yticks(positions, [row.label for row in rows])
    totals = [row.cells[0] for row in rows]
    axes.set_xlim(0, max([_count(v) for v in totals] + left + [1]) * 1.12)
    axes.xaxis.grid(True, color=GRID, linewidth=0.5, zorder=0)
    axes.set_xlabel(_("Cases"), fontsize=FONT, color=TEXT)
    ends = [max(s, _count(t)) for s, t in zip(left, totals, strict=True)]
    _label_bars(axes, positions, totals, horizontal=True, signs=_signs(table, rows), ends=ends)
    axes.legend(loc="lower right", fontsize=FONT, frameon=False)
    return Chart(key, table.key, table.title, describe(table, rows), _svg(figure, key))


def band_chart(key: str, table: Table) -> Chart:
    """Nationalities of 20 or more persons one by one; the smaller ones summed by band."""
    body = table.body()
    large = [
        row
        for row in body
        if isinstance(row.cells[0], int) and row.cells[0] >= 20 and row.code not in (OTHER, UNKNOWN)
    ]
    rows = list(large)
    for name in (band(10), band(1)):
        members = [row for row in body if row.code not in (OTHER, UNKNOWN) and row.cells[1] == name]
        if members:
            label = ngettext(
                "%(band)s persons: %(count)s nationality",
                "%(band)s persons: %(count)s nationalities",
                len(members),
            ) % {"band": name, "count": len(members)}
            rows.append(Row(label, (sum(int(row.cells[0] or 0) for row in members),), name))
    rows += [row for row in body if row.code in (OTHER, UNKNOWN)]
    withheld = [row for row in body if row.cells[0] is None]
    if withheld:
        label = ngettext(
            "Withheld: %(count)s nationality", "Withheld: %(count)s nationalities", len(withheld)
        ) % {"count": len(withheld)}
        rows.append(Row(label, (None,), "withheld"))
    return bar_chart(key, table, rows)


def describe(table: Table, rows: Sequence[Row]) -> str:
    """Return the text alternative of a chart of ROWS of TABLE: what it shows and the
    largest values; the full numbers are in the table next to the chart."""
    published = [row for row in rows if row.cells[0] is not None]
    top = ", ".join(f"{row.label} {_number(row.cells[0])}" for row in published[:3])
    text = _("Bar chart: %(title)s.") % {"title": table.title}
    if top:
        text += " " + _("First bars: %(values)s.") % {"values": top}
    if len(published) < len(rows):
        text += " " + _("Some numbers are withheld to protect the persons counted.")
    return text + " " + _("All numbers are in the table next to the chart.")


def trend_chart(key: str, table: Table) -> Chart:
    """The multi-year trend: one column per year, the period's own year darkest."""
    return column_chart(key, table, highlight_last=True)


Draw = Callable[[str, Table], Chart]
# (table key, how it is drawn), in publication order.
CHARTS: tuple[tuple[str, Draw], ...] = (
    ("trend", trend_chart),
    ("referrers", bar_chart),
    ("decisions", column_chart),
    ("negative_reasons", bar_chart),
    ("ended", bar_chart),
    ("new_by_age", column_chart),
    ("new_by_nationality", bar_chart),
    ("forms_by_gender", stacked_chart),
    ("finland_by_nationality", bar_chart),
    ("finland_by_residence", bar_chart),
    ("finland_by_permit", bar_chart),
    ("stock_by_nationality", band_chart),
)


def _has_bars(table: Table) -> bool:
    return any(isinstance(row.cells[0], int) and row.cells[0] > 0 for row in table.body())


def publication_charts(
    tables: dict[str, Table], progress: Callable[[str], None] | None = None
) -> dict[str, Chart]:
    """Return the charts of a publication by table key (a table with nothing to draw has
    none); PROGRESS, when given, is called with each chart's key before it is drawn."""
    charts: dict[str, Chart] = {}
    for key, draw in CHARTS:
        if progress is not None:
            progress(key)
        table = tables.get(key)
        if table is not None and _has_bars(table):
            charts[key] = draw(key, table)
    return charts
