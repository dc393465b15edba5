"""CSV cells that a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import csv
import decimal
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nas.audit.exports import csv_text, safe_csv_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("\n=1", "'\n=1"),
        (" \r\n@SUM(A1)", "' \r\n@SUM(A1)"),
        ("\uff1d1", "'\uff1d1"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-5, "-5"),
        (2.5, "2.5"),
        (decimal.Decimal("-1.5"), "-1.5"),
        (True, "True"),
    ],
)
def test_safe_csv_cell(value, expected):
    assert safe_csv_cell(value) == expected


@given(st.text())
def test_no_text_cell_starts_with_a_formula_character(text):
    cell = safe_csv_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert not cell.lstrip().startswith(("=", "+", "-", "@"))
    assert safe_csv_cell(text) in (text, "'" + text)


def test_csv_text_makes_every_cell_safe_and_reads_back():
    text = csv_text(["=title", "b"], [["=cmd|' /C calc'!A0", 'say "hi",\nthere']])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'=title", "b"], ["'=cmd|' /C calc'!A0", 'say "hi",\nthere']]
