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
