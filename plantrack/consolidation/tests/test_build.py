"""Build runs and the build_report command."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from plantrack.consolidation import services
from plantrack.consolidation.models import STALE_AFTER, BuildRun, BuildState, ConsolidatedReport

pytestmark = pytest.mark.django_db


def test_build_start_never_builds_twice_at_once(cycle_2025, settings, django_capture_on_commit_callbacks):
    settings.CONSOLIDATION_BUILD_MODE = "queue"
    started = []
    from plantrack.consolidation import runner

    original = runner.start
    runner.start = started.append
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = services.build_start(actor=cycle_2025.coordinator, cycle=cycle_2025.cycle)
        with django_capture_on_commit_callbacks(execute=True):
            second = services.build_start(actor=cycle_2025.coordinator, cycle=cycle_2025.cycle)
    finally:
        runner.start = original
    assert first.pk == second.pk and started == [first.pk]
    assert first.state == BuildState.QUEUED
    # The suggested narrative was saved so the build has something to print.
    assert ConsolidatedReport.objects.get(cycle=cycle_2025.cycle).version == 1


def test_a_run_executes_once(cycle_2025, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.build_start(actor=cycle_2025.coordinator, cycle=cycle_2025.cycle)
    run.refresh_from_db()
    assert run.state == BuildState.DONE
    assert services.build_execute(run_id=run.pk) is None  # already claimed


def test_stale_run_is_failed_and_a_new_one_starts(cycle_2025, time_machine):
    report = services.consolidated_report_suggested(cycle=cycle_2025.cycle)
    report.version = 1
    report.save()
    stuck = BuildRun.objects.create(
        report=report, requested_by=cycle_2025.coordinator, state=BuildState.RUNNING
    )
    time_machine.move_to(timezone.now() + STALE_AFTER * 2)
    run = services.build_start(actor=cycle_2025.coordinator, cycle=cycle_2025.cycle)
    stuck.refresh_from_db()
    assert stuck.state == BuildState.FAILED and "gián đoạn" in stuck.error
    assert run.pk != stuck.pk


def test_failure_is_recorded(cycle_2025, monkeypatch, django_capture_on_commit_callbacks):
    def boom(**kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(services, "build_consolidated", boom)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.build_start(actor=cycle_2025.coordinator, cycle=cycle_2025.cycle)
    run.refresh_from_db()
    assert run.state == BuildState.FAILED and "hỏng" in run.error and not run.docx


def test_only_coordinators_of_the_plan_build(cycle_2025):
    for user in (cycle_2025.viewer, cycle_2025.other_coordinator, cycle_2025.reporter):
        with pytest.raises(services.ConsolidationError):
            services.build_start(actor=user, cycle=cycle_2025.cycle)
        with pytest.raises(services.ConsolidationError):
            services.consolidated_report_save(actor=user, cycle=cycle_2025.cycle, version=0, values={})


def test_build_report_command_writes_docx_and_xlsx(cycle_2025, tmp_path):
    out = io.StringIO()
    call_command(
        "build_report",
        "--plan",
        "386/KH-UBND",
        "--year",
        "2025",
        "--out",
        str(tmp_path),
        "--manifest",
        stdout=out,
    )
    docx = tmp_path / "bao-cao-tong-hop-386-kh-ubnd-2025.docx"
    xlsx = tmp_path / "phu-luc-bao-cao-tong-hop-386-kh-ubnd-2025.xlsx"
    assert docx.exists() and xlsx.exists() and (tmp_path / "nguon-du-lieu-386-kh-ubnd-2025.json").exists()
    assert "3/" in out.getvalue()
    assert "BÁO CÁO" in [p.text for p in Document(docx).paragraphs]
    assert load_workbook(xlsx).sheetnames[:2] == ["Phụ lục I", "Phụ lục II"]
    assert not BuildRun.objects.exists()


def test_build_report_command_uses_the_saved_narrative(cycle_2025, tmp_path):
    services.consolidated_report_save(
        actor=cycle_2025.coordinator,
        cycle=cycle_2025.cycle,
        version=0,
        values={"proposals": "Đề xuất đã soạn."},
    )
    call_command(
        "build_report",
        "--plan",
        "386/KH-UBND",
        "--year",
        "2025",
        "--out",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    texts = [p.text for p in Document(tmp_path / "bao-cao-tong-hop-386-kh-ubnd-2025.docx").paragraphs]
    assert "Đề xuất đã soạn." in texts


def test_build_report_command_refuses_unknown_plan_or_year(cycle_2025, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("build_report", "--plan", "1/KH-X", "--year", "2025", "--out", str(tmp_path))
    with pytest.raises(CommandError):
        call_command("build_report", "--plan", "386/KH-UBND", "--year", "2019", "--out", str(tmp_path))
