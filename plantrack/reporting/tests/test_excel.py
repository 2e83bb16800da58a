"""The Excel round trip: template per agency, validated upload, all or nothing, problems with row and column."""

import io

import pytest
from openpyxl import load_workbook

from plantrack.reporting.excel import COL_STATUS, TASK_SHEET, XlsxImportError, report_xlsx_build
from plantrack.reporting.services import StaleReportError, report_import_xlsx, report_save_draft


def _book(report):
    return load_workbook(io.BytesIO(report_xlsx_build(report)))


def _bytes(wb) -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "bao-cao.xlsx"
    return out


def test_template_has_one_row_per_entry_and_a_status_dropdown(world, cycle):
    report = world.report(cycle, world.a)
    ws = _book(report)[TASK_SHEET]
    assert [ws.cell(row=r, column=2).value for r in (5, 6)] == ["III.1.a", "III.1.b"]
    assert [ws.cell(row=r, column=4).value for r in (5, 6)] == ["Chủ trì", "Phối hợp"]
    assert ws.cell(row=7, column=2).value is None
    validation = ws.data_validations.dataValidation[0]
    assert validation.type == "list"
    assert validation.formula1 == '"Chưa triển khai,Đang triển khai,Hoàn thành,Thực hiện thường xuyên"'
    assert "E5" in str(validation.sqref) and "E6" in str(validation.sqref)


def test_round_trip_saves_everything(world, cycle):
    report = world.report(cycle, world.a)
    wb = _book(report)
    ws = wb[TASK_SHEET]
    ws["E5"], ws["F5"], ws["G5"] = "Hoàn thành", "Đã tổ chức 4 hội nghị", "Thiếu kinh phí"
    ws["E6"], ws["F6"] = "Đang triển khai", "Đang xây dựng đề án"
    wb["Nội dung chung"]["B2"] = "Kết quả nổi bật từ Excel"
    report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))
    report.refresh_from_db()
    assert report.main_results == "Kết quả nổi bật từ Excel"
    e1, e2 = report.entries.order_by("order")
    assert (e1.status, e1.results, e1.difficulties) == ("done", "Đã tổ chức 4 hội nghị", "Thiếu kinh phí")
    assert (e2.status, e2.results) == ("in_progress", "Đang xây dựng đề án")
    assert report.history.latest().history_change_reason == "Nhập từ tệp Excel"


def test_every_problem_is_listed_with_row_and_column_and_nothing_is_saved(world, cycle):
    report = world.report(cycle, world.a)
    wb = _book(report)
    ws = wb[TASK_SHEET]
    ws["E5"], ws["F5"] = "Xong rồi", "Kết quả không được lưu"
    ws["B6"] = "III.9.z"
    with pytest.raises(XlsxImportError) as err:
        report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))
    problems = err.value.problems
    assert problems[0].startswith("Dòng 5, cột E (Tình trạng): “Xong rồi” không phải tình trạng hợp lệ")
    assert problems[1].startswith("Dòng 6, cột B (Mã nhiệm vụ): mã nhiệm vụ “III.9.z” không có trong báo cáo")
    assert problems[2] == "Thiếu dòng của nhiệm vụ: III.1.b."
    report.refresh_from_db()
    assert report.version == 1
    assert not report.entries.exclude(results="").exists()


def test_duplicate_rows_are_refused(world, cycle):
    report = world.report(cycle, world.a)
    wb = _book(report)
    wb[TASK_SHEET]["B6"] = "III.1.a"
    with pytest.raises(XlsxImportError, match="Dòng 6, cột B .*đã có ở dòng 5"):
        report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))


def test_a_template_of_another_report_is_refused(world, cycle):
    wb = _book(world.report(cycle, world.b))
    with pytest.raises(XlsxImportError, match="báo cáo khác"):
        report_import_xlsx(actor=world.reporter_a, report=world.report(cycle, world.a), upload=_bytes(wb))


def test_upload_after_someone_saved_is_refused_as_stale(world, cycle):
    report = world.report(cycle, world.a)
    wb = _book(report)
    report_save_draft(actor=world.head_a, report=report, version=1, sections={"proposals": "Của lãnh đạo"})
    with pytest.raises(StaleReportError, match="tải mẫu mới"):
        report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))
    report.refresh_from_db()
    assert report.proposals == "Của lãnh đạo"


def test_not_a_workbook(world, cycle):
    upload = io.BytesIO(b"%PDF-1.4 not excel")
    with pytest.raises(XlsxImportError, match="không phải tệp Excel"):
        report_import_xlsx(actor=world.reporter_a, report=world.report(cycle, world.a), upload=upload)


def test_upload_page_lists_problems_and_keeps_the_report(client, world, cycle):
    report = world.report(cycle, world.a)
    wb = _book(report)
    wb[TASK_SHEET].cell(row=5, column=COL_STATUS, value="??")
    client.force_login(world.reporter_a)
    response = client.post(f"/bao-cao/{report.pk}/excel/tai-len/", {"file": _bytes(wb)})
    assert response.status_code == 400
    assert "Dòng 5, cột E (Tình trạng)" in response.content.decode()


def test_download_is_an_xlsx_attachment(client, world, cycle):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    response = client.get(f"/bao-cao/{report.pk}/excel/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert load_workbook(io.BytesIO(response.content))[TASK_SHEET]["B5"].value == "III.1.a"
