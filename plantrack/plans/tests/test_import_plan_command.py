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
