"""The report over several years (issue 12 point 9): targets' values per year, tasks' status per year."""

import io

import pytest
from django.core.management import call_command
from docx import Document

from plantrack.consolidation.report.compile import _target_rows, consolidated_compile
from plantrack.consolidation.report.multiyear import NO_CYCLE, multiyear_compile, multiyear_docx

pytestmark = pytest.mark.django_db


def test_targets_and_tasks_across_the_years(cycle_2025):
    report = multiyear_compile(plan=cycle_2025.plan, from_year=2024, to_year=2025)
    assert report.years == [2024, 2025] and list(report.cycles) == [2025] and report.kind == "Sơ kết"
    # Each target's values are the yearly report's "this year" of each year.
    for year, index in ((2024, 0), (2025, 1)):
        rows = _target_rows(cycle_2025.plan, year)
        assert [p.values[index] for p in report.targets if not p.is_part] == [
            r.this_year.text or NO_CYCLE for r in rows
        ]
    # Tasks: no cycle in 2024, the yearly compiler's status in 2025.
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    assert len(report.tasks) == 31
    expected = {b.task.code: b.status_label for b in compilation.tasks}
    for task in report.tasks:
        assert task.statuses == [NO_CYCLE, expected[task.code]]
    assert report.accepted == {2025: 3}


def test_docx_has_one_column_per_year_and_the_task_history_appendix(cycle_2025):
    report = multiyear_compile(plan=cycle_2025.plan, from_year=2023, to_year=2025, final=True)
    document = Document(io.BytesIO(multiyear_docx(report)))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Tổng kết tình hình thực hiện Kế hoạch số 386/KH-UBND") for t in texts)
    targets = next(t for t in document.tables if t.rows[0].cells[0].text == "Mã")
    tasks = document.tables[-1]
    assert [c.text for c in targets.rows[0].cells] == [
        "Mã",
        "Chỉ tiêu",
        "Mục tiêu",
        "Năm 2023",
        "Năm 2024",
        "Năm 2025",
        "Đánh giá năm 2025",
    ]
    first = report.targets[0]
    assert [c.text for c in targets.rows[1].cells][3:6] == first.values
    assert [c.text for c in tasks.rows[0].cells][3:] == ["Năm 2023", "Năm 2024", "Năm 2025"]
    assert len(tasks.rows) == 2 + 31
    assert (
        tasks.rows[2].cells[4].text == NO_CYCLE and tasks.rows[2].cells[5].text == report.tasks[0].statuses[2]
    )
    # Decree 30: the appendix in its own landscape section numbered from 1.
    appendix = document.sections[-1]
    assert appendix.page_width > appendix.page_height
    assert appendix._sectPr.xpath("./w:pgNumType/@w:start") == ["1"]


def test_command_writes_the_docx(cycle_2025, tmp_path):
    call_command(
        "build_multiyear_report",
        plan="386/KH-UBND",
        from_year=2025,
        to_year=2026,
        out=str(tmp_path),
        verbosity=0,
    )
    (path,) = tmp_path.glob("bao-cao-so-ket-386-kh-ubnd-2025-2026.docx")
    assert "Năm 2026" in "".join(c.text for c in Document(path).tables[-1].rows[0].cells)


def test_the_page_builds_and_downloads_the_report_for_those_who_follow_the_plan(client, cycle_2025):
    """The report over several years is started from the product (Báo cáo tổng hợp → sơ kết, tổng kết): the plan's
    coordinators and viewers download it; a reporter, or a coordinator of another department, cannot."""
    from plantrack.security.models import SecurityEvent

    url = "/bao-cao-tong-hop/nhieu-nam/"
    form = {"plan": cycle_2025.plan.pk, "from_year": "2024", "to_year": "2025", "final": "1"}
    for user in (cycle_2025.coordinator, cycle_2025.viewer):
        client.force_login(user)
        assert client.get(url).status_code == 200
        response = client.post(url, form)
        assert response.status_code == 200, response.content[:500]
        assert response["Content-Disposition"].startswith(
            'attachment; filename="bao-cao-tong-ket-386-kh-ubnd-2024-2025'
        )
        texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
        assert any(t.startswith("Tổng kết tình hình thực hiện Kế hoạch số 386/KH-UBND") for t in texts)
    assert SecurityEvent.objects.filter(action="export", target__contains="Tổng kết 2024").count() == 2

    client.force_login(cycle_2025.other_coordinator)  # another department: the plan is not offered
    response = client.post(url, form)
    assert response.status_code == 400 and "Content-Disposition" not in response
    client.force_login(cycle_2025.reporter)
    assert client.get(url).status_code == 403


def test_the_page_refuses_a_backwards_range(client, cycle_2025):
    client.force_login(cycle_2025.coordinator)
    response = client.post(
        "/bao-cao-tong-hop/nhieu-nam/", {"plan": cycle_2025.plan.pk, "from_year": "2026", "to_year": "2024"}
    )
    assert response.status_code == 400
    assert "Năm kết thúc phải từ năm bắt đầu trở đi" in response.content.decode()
