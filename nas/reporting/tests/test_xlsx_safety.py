"""A label that looks like a formula is written to the workbook as text, never run."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from nas.reporting.render import _append


def test_a_formula_like_label_stays_text_and_numbers_stay_numbers():
    workbook = Workbook()
    sheet = workbook.active
    _append(sheet, ['=HYPERLINK("http://x","click")', 12, 0.25, "@SUM(A1)", "Nepal"])
    out = io.BytesIO()
    workbook.save(out)

    cells = list(load_workbook(io.BytesIO(out.getvalue())).active[1])

    assert [cell.value for cell in cells] == [
        '=HYPERLINK("http://x","click")',
        12,
        0.25,
        "@SUM(A1)",
        "Nepal",
    ]
    assert [cell.data_type for cell in cells] == ["s", "n", "n", "s", "s"]
    assert [cell.quotePrefix for cell in cells] == [True, False, False, True, False]


def test_every_formula_start_is_quote_prefixed_and_plain_text_is_not():
    texts = ["+1+1", "-1+1", "\t=1", "\r=1", " =1", "Nepal", "a=b", "-"]
    workbook = Workbook()
    _append(workbook.active, texts)
    out = io.BytesIO()
    workbook.save(out)

    cells = list(load_workbook(io.BytesIO(out.getvalue())).active[1])

    assert [cell.quotePrefix for cell in cells] == [True] * 5 + [False, False, True]
    assert {cell.data_type for cell in cells} == {"s"}
