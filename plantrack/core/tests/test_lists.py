"""The shared list helpers: one table export (XLSX and CSV, formulas never run) and one pagination."""

import datetime
import io

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from plantrack.core.lists import export_format, paginate, table_export

HEADERS = ["Đơn vị", "Số", "Ngày"]
ROWS = [['=HYPERLINK("http://evil")', 12, datetime.date(2025, 12, 5)], ["Ủy ban nhân dân tỉnh", -3, None]]


def test_xlsx_keeps_text_as_text_and_numbers_and_dates_as_such():
    response = table_export(fmt="xlsx", filename="Bảng thử", headers=HEADERS, rows=ROWS, title="Thử")
    assert response["Content-Disposition"] == 'attachment; filename="bang-thu.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["A2"].value == '=HYPERLINK("http://evil")' and sheet["A2"].data_type == "s"
    assert sheet["B3"].value == -3
    assert sheet["C2"].value.date() == datetime.date(2025, 12, 5)
    assert sheet.freeze_panes == "A2"


def test_csv_has_a_bom_escapes_formulas_and_writes_dates_as_dd_mm_yyyy():
    response = table_export(fmt="csv", filename="bang", headers=HEADERS, rows=ROWS)
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffĐơn vị,Số,Ngày")
    assert "'=HYPERLINK" in text
    assert "05/12/2025" in text
    assert "Ủy ban nhân dân tỉnh,-3," in text


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        table_export(fmt="pdf", filename="x", headers=[], rows=[])


def test_export_format_and_pagination_read_the_query_string():
    factory = RequestFactory()
    assert export_format(factory.get("/?xuat=XLSX")) == "xlsx"
    assert export_format(factory.get("/?xuat=exe")) is None
    page = paginate(factory.get("/?page=3"), list(range(120)), per_page=50)
    assert page.number == 3 and list(page.object_list) == list(range(100, 120))
    assert paginate(factory.get("/?page=abc"), list(range(120))).number == 1
