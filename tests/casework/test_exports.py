"""Text in an exported workbook stays text: what someone typed never becomes a formula."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from lib.spreadsheets import append_row


def written(values):
    book = Workbook()
    append_row(book.active, values)
    out = io.BytesIO()
    book.save(out)
    return list(load_workbook(out).active.iter_rows())[0]


@pytest.mark.parametrize(
    "text", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]
)
def test_text_that_looks_like_a_formula_is_written_as_text(text):
    (cell,) = written([text])

    # (XML reads a carriage return back as a line feed.)
    assert (cell.value[1:], cell.data_type) == (text[1:], "s")
    assert cell.quotePrefix


def test_numbers_and_plain_text_are_written_as_they_are():
    number, text = written([-12, "ICBC-1"])

    assert (number.value, number.data_type) == (-12, "n")
    assert (text.value, text.data_type, text.quotePrefix) == ("ICBC-1", "s", False)
