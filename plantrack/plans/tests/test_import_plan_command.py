"""`manage.py import_plan FILE [--dry-run] [--format json]`: prints the extracted plan, saves it through
plan_publish, or stops without saving while a name is unresolved."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plantrack.orgs.services import agencies_load
from plantrack.plans.models import Plan

from .conftest import AGENCIES, SAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry_db(db):
    agencies_load(data=json.loads(AGENCIES.read_text(encoding="utf-8")))


def test_dry_run_json_lists_warnings_and_saves_nothing(registry_db, capsys):
    call_command("import_plan", str(SAMPLES / "synthetic_by_agency.docx"), "--dry-run", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "plantrack.plan/1"
    assert out["number"] == "902/KH-UBND"
    assert "Nhiệm vụ PL1.I.2: không tìm thấy “Sở Du lịch” trong danh mục cơ quan." in out["warnings"]
    assert Plan.objects.count() == 0


def test_unresolved_names_stop_the_import(registry_db):
    with pytest.raises(
        CommandError,
        match="Chưa lưu kế hoạch vì còn điểm chưa xác định:\n- Nhiệm vụ PL1.I.2: không tìm thấy “Sở Du lịch”",
    ):
        call_command("import_plan", str(SAMPLES / "synthetic_by_agency.docx"))
    assert Plan.objects.count() == 0


def test_a_clean_document_is_saved(registry_db, capsys):
    call_command("import_plan", str(SAMPLES / "synthetic_numbered.pdf"))
    plan = Plan.objects.get(number="901", symbol="KH-UBND")
    assert plan.tasks.count() == 5
    assert plan.targets.filter(parent=None).count() == 4
    assert (plan.report_due_day, plan.report_due_month) == (15, 12)
    assert plan.coordinator_agency.name == "Sở Khoa học và Công nghệ"
    text = capsys.readouterr().out
    assert "2.1.1        chủ trì: Sở Khoa học và Công nghệ | phối hợp: Sở Tư pháp" in text


def test_unreadable_file_is_a_command_error(registry_db, tmp_path):
    scan = tmp_path / "scan.pdf"
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with scan.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(CommandError, match="không có lớp chữ"):
        call_command("import_plan", str(scan), "--dry-run")
    with pytest.raises(CommandError, match="Không mở được tệp"):
        call_command("import_plan", str(tmp_path / "khong-co.docx"), "--dry-run")


# A section IV sentence with two regimes (issue 13): the JSON's reporting[] lists both, from reporting_regimes.
TWO_REGIMES = (
    "3.1. Các sở, ban, ngành, UBND các huyện, thành phố định kỳ 6 tháng (trước 15/6) và hằng năm (trước 15/12) "
    "báo cáo kết quả thực hiện gửi Sở Khoa học và Công nghệ để tổng hợp."
)


def _dry_run_json(path, capsys) -> dict:
    call_command("import_plan", str(path), "--dry-run", "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_dry_run_json_lists_every_reporting_regime_with_its_text(registry_db, capsys, tmp_path):
    text = (SAMPLES / "synthetic_numbered.txt").read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("3.1. "))
    path = tmp_path / "hai-che-do.txt"
    path.write_text(text.replace(old, TWO_REGIMES), encoding="utf-8")
    out = _dry_run_json(path, capsys)
    assert out["reporting_regimes"] == [
        {"period": "half_yearly", "due_day": 15, "due_month": 6},
        {"period": "yearly", "due_day": 15, "due_month": 12},
    ]
    assert [(r["period"], r["due_day"], r["due_month"], r["due"]) for r in out["reporting"]] == [
        ("half_yearly", 15, 6, "15/06"),
        ("yearly", 15, 12, "15/12"),
    ]
    for row in out["reporting"]:
        assert (row["code"], row["text"], row["to"]) == ("3.1", TWO_REGIMES[5:], "Sở Khoa học và Công nghệ")
    # The section IV sentence as written is kept; the other keys are as before.
    assert [d["code"] for d in out["reporting_duties"]] == ["3.1"]
    assert (out["number"], out["date"]) == ("901/KH-UBND", "2025-03-10")
    assert out["tasks"][0]["lead"] == ["Sở Khoa học và Công nghệ"]
    assert out["tasks"][0]["coordinate"] == ["Sở Tư pháp"]
    assert len(out["targets"]) == 4
    assert out["reader"] == {
        "kind": "txt",
        "filename": "hai-che-do.txt",
        "ocr": False,
        "ocr_pages": 0,
        "ocr_seconds": 0.0,
        "ocr_page_numbers": [],
        "ocr_page_confidence": [],
    }


def test_dry_run_json_of_one_regime_has_one_row(registry_db, capsys):
    out = _dry_run_json(SAMPLES / "synthetic_numbered.txt", capsys)
    assert [(r["period"], r["due"], r["code"]) for r in out["reporting"]] == [("yearly", "15/12", "3.1")]
    assert "định kỳ hằng năm trước ngày 15/12" in out["reporting"][0]["text"]


def test_dry_run_json_says_how_many_pages_were_read_by_ocr(capsys, tmp_path):
    from plantrack.plans.importing import ocr

    from .foreign_documents import fonts_available, scanned_pdf

    if not (ocr.ocr_available() and fonts_available()):
        pytest.skip(
            "tesseract-ocr with tesseract-ocr-vie (and a font with Vietnamese glyphs) is not installed"
        )
    path = tmp_path / "kh88.pdf"
    path.write_bytes(scanned_pdf())
    out = _dry_run_json(path, capsys)
    reader = out["reader"]
    assert (reader["kind"], reader["ocr"], reader["ocr_pages"]) == ("pdf", True, 1)
    assert reader["ocr_seconds"] > 0
    assert out["issuer"] == "UBND tỉnh Lào Cai"
