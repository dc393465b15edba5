"""Charts: drawn from published cells only, accessible, CSP-safe SVG, deterministic."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from nas.reporting.charts import (
    BAR,
    SERIES,
    band_chart,
    bar_chart,
    clean_svg,
    column_chart,
    publication_charts,
    stacked_chart,
)
from nas.reporting.tables import WITHHELD, Column, Row, Table

COUNT = (Column("Referrer type", "label"), Column("Referrals", "count"))


def referrers(*rows: tuple[str, int | None]) -> Table:
    body = tuple(Row(label, (value,), label.lower()) for label, value in rows)
    return Table(
        "referrers",
        "Referrals by referrer type",
        COUNT,
        (*body, Row("Total", (90,), "total", is_total=True)),
    )


def bars(svg: str, colour: str = BAR) -> list[float]:
    """Return the widths of the bars of COLOUR (the paths of a horizontal bar chart)."""
    widths = []
    for path in re.findall(rf'<path d="([^"]+)"[^>]*fill="{colour}"', svg):
        xs = [float(x) for x in re.findall(r"([\d.]+) [\d.]+", path)]
        widths.append(round(max(xs) - min(xs), 3))
    return widths


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_a_withheld_count_is_not_drawn_but_marked():
    chart = bar_chart("referrers", referrers(("Police", 60), ("Self", 30), ("Shelter", None)))

    widths = bars(chart.svg)
    assert len(widths) == 2  # the two published rows; the withheld one has no bar
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)
    labels = texts(chart.svg)
    assert "Shelter" in labels and WITHHELD in labels
    assert "Total" not in labels  # the total row is the table's, not a bar
    assert "Some numbers are withheld" in chart.description


def test_the_chart_knows_only_what_its_table_publishes():
    # Two tables that differ only in a value the chart is never given draw the same image.
    first = bar_chart("referrers", referrers(("Police", 60), ("Shelter", None)))
    again = bar_chart("referrers", referrers(("Police", 60), ("Shelter", None)))
    assert first.svg == again.svg  # deterministic: the same input gives the same bytes


def test_stacked_bars_leave_out_withheld_segments():
    table = Table(
        "forms_by_gender",
        "Forms by gender",
        (
            Column("Form", "label"),
            Column("Total", "count"),
            Column("Female", "count"),
            Column("Male", "count"),
        ),
        (
            Row("Forced labour", (135, 39, 96), "forced_labour"),
            Row("Benefit fraud", (None, None, 0), "benefit_fraud"),
            Row("Total", (314, None, None), "total", is_total=True),
        ),
    )

    chart = stacked_chart("forms_by_gender", table)

    assert len(bars(chart.svg, SERIES[0])) == 1 + 1  # one female segment, and its legend key
    assert len(bars(chart.svg, SERIES[1])) == 2 + 1  # forced labour and a zero for benefit fraud
    assert WITHHELD in texts(chart.svg)
    assert {"Female", "Male"} <= set(texts(chart.svg))


def test_nationality_bands_sum_only_published_counts():
    rows = (
        Row("Nigeria", (227, "20 or more"), "NG"),
        Row("Syria", (19, "10–19"), "SY"),
        Row("Morocco", (18, "10–19"), "MA"),
        Row("Kenya", (9, "Fewer than 10"), "KE"),
        Row("Ghana", (None, None), "GH"),
        Row("Other", (95, "fewer than 5 each"), "other"),
    )
    table = Table(
        "stock_by_nationality",
        "All victims by nationality",
        (Column("Nationality", "label"), Column("Victims", "count"), Column("Band", "text")),
        rows,
    )

    labels = texts(band_chart("stock_by_nationality", table).svg)

    assert "Nigeria" in labels and "Syria" not in labels
    assert "10–19 persons: 2 nationalities" in labels and "37" in labels
    assert "Withheld: 1 nationality" in labels


def test_the_svg_carries_no_css_and_unique_ids():
    chart = column_chart("trend", referrers(("2024", 134), ("2025", 467)))

    assert chart.svg.startswith("<svg ")
    assert "style=" not in chart.svg and "<style" not in chart.svg  # the page's CSP
    ids = re.findall(r'id="([^"]+)"', chart.svg)
    assert ids and all(i.startswith("chart-trend-") for i in ids)
    assert all(ref[1:] in ids for ref in re.findall(r'href="(#[^"]+)"', chart.svg))
    assert chart.data_uri().startswith("data:image/svg+xml;base64,")


def test_clean_svg_turns_styles_into_attributes():
    svg = (
        '<?xml version="1.0"?><svg width="1pt"><metadata>x</metadata><defs>'
        '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'
        '</defs><g id="a"><path style="fill: #fff; stroke: #000" clip-path="url(#c)"/>'
        '<use xlink:href="#a"/></g></svg>'
    )

    cleaned = clean_svg(svg, "p")

    assert cleaned.startswith('<svg stroke-linejoin="round" stroke-linecap="butt" width="1pt">')
    assert '<path fill="#fff" stroke="#000" clip-path="url(#p-c)"/>' in cleaned
    assert 'id="p-a"' in cleaned and 'href="#p-a"' in cleaned
    assert "metadata" not in cleaned


def test_numbers_and_labels_follow_the_language():
    table = referrers(("Police", 1634))
    with translation.override("fi"):
        chart = bar_chart("referrers", table)
    assert "1\xa0634" in texts(chart.svg)  # Finnish groups digits with a (no-break) space
    with translation.override("en"):
        assert "1,634" in texts(bar_chart("referrers", table).svg)


def test_a_label_is_text_not_markup_or_mathematics():
    chart = bar_chart("referrers", referrers(("<b>$x$</b> & co", 5)))

    assert "&lt;b&gt;$x$&lt;/b&gt; &amp; co" in texts(chart.svg)


def test_a_table_with_nothing_to_draw_has_no_chart():
    empty = referrers(("Police", 0), ("Shelter", None))
    progress: list[str] = []

    charts = publication_charts({"referrers": empty}, progress.append)

    assert charts == {}
    assert "referrers" in progress
