"""Text typed by a user is written as text, never as a formula, in every export."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from plantrack.core.spreadsheets import csv_safe, csv_writer, spreadsheet_cell

HOSTILE = [
    '=HYPERLINK("http://evil.example","Bấm")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_xlsx_cell_keeps_text_as_text(text):
    wb = Workbook()
    spreadsheet_cell(wb.active, row=1, column=1, value=text)
    out = io.BytesIO()
    wb.save(out)
    cell = load_workbook(io.BytesIO(out.getvalue())).active["A1"]
    assert (cell.data_type, cell.value) == ("s", text)


def test_xlsx_numbers_stay_numbers():
    wb = Workbook()
    assert spreadsheet_cell(wb.active, row=1, column=1, value=-5).data_type == "n"


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cells_starting_with_a_trigger_are_quoted(text):
    buffer = io.StringIO()
    csv_writer(buffer).writerow([text, -5, "Sở Tài chính"])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'" + text, "-5", "Sở Tài chính"]


def test_csv_safe_leaves_ordinary_values():
    assert [csv_safe(v) for v in ("Sở A", 3, None, "")] == ["Sở A", 3, None, ""]
