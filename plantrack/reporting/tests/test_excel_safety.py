"""The report workbook: hostile uploads are refused fast and small; agency text never becomes a formula."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import load_workbook

from plantrack.reporting import excel
from plantrack.reporting.excel import TASK_SHEET, XlsxImportError, report_xlsx_build
from plantrack.reporting.forms import XlsxUploadForm
from plantrack.reporting.services import report_import_xlsx, report_save_draft


def _bytes(wb) -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "bao-cao.xlsx"
    return out


def _template(report):
    return load_workbook(io.BytesIO(report_xlsx_build(report)))


def test_too_many_rows_are_refused(world, cycle, monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 40)
    report = world.report(cycle, world.a)
    wb = _template(report)
    for row in range(7, 60):
        wb[TASK_SHEET].cell(row=row, column=7, value="x")
    with pytest.raises(XlsxImportError, match="hơn 40 dòng"):
        report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))


def test_a_far_away_row_does_not_make_a_million_empty_rows(world, cycle):
    report = world.report(cycle, world.a)
    wb = _template(report)
    wb[TASK_SHEET].cell(row=1_000_000, column=1, value="x")
    with pytest.raises(XlsxImportError, match="dòng"):
        report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))


def test_a_zip_bomb_in_the_workbook_is_refused_with_a_message(world, cycle):
    report = world.report(cycle, world.a)
    data = _bytes(_template(report)).getvalue()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        with target.open("xl/bomb.xml", "w") as bomb:
            for _ in range(30):
                bomb.write(b" " * 1024 * 1024)
    out.seek(0)
    out.name = "bao-cao.xlsx"
    with pytest.raises(XlsxImportError, match="không được mở"):
        report_import_xlsx(actor=world.reporter_a, report=report, upload=out)


def test_agency_text_is_exported_as_text_and_comes_back_unchanged(world, cycle):
    report = world.report(cycle, world.a)
    e1, e2 = report.entries.order_by("order")
    hostile = "=cmd|' /C calc'!A0"
    link = '=HYPERLINK("http://evil.example","Bấm vào đây")'
    report = report_save_draft(
        actor=world.reporter_a,
        report=report,
        version=report.version,
        sections={"main_results": "+1+1"},
        entries={e1.pk: {"status": "", "results": hostile, "difficulties": link}},
    )
    wb = _template(report)
    cells = [wb[TASK_SHEET]["F5"], wb[TASK_SHEET]["G5"], wb["Nội dung chung"]["B2"]]
    assert [(c.data_type, c.value) for c in cells] == [("s", hostile), ("s", link), ("s", "+1+1")]
    report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))
    e1.refresh_from_db()
    assert (e1.results, e1.difficulties) == (hostile, link)


def test_upload_form_refuses_a_file_over_the_limit():
    big = SimpleUploadedFile("lon.xlsx", b"PK" + b"\0" * (6 * 1024 * 1024))
    form = XlsxUploadForm(files={"file": big})
    assert not form.is_valid()
    assert "vượt quá giới hạn 5 MB" in form.errors["file"][0]
    with override_settings(PLANTRACK_XLSX_UPLOAD_MAX_BYTES=7 * 1024 * 1024):
        assert XlsxUploadForm(files={"file": big}).is_valid()
