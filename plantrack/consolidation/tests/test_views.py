"""Pages of the consolidated report for every persona: the coordinator edits and builds, the viewer reads and
downloads, agency members, another department's coordinator and the administrator see nothing."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from plantrack.consolidation import services
from plantrack.consolidation.models import BuildRun, BuildState, ConsolidatedReport

pytestmark = pytest.mark.django_db


def client_for(client, user):
    client.force_login(user)
    return client


def narrative_post(report: ConsolidatedReport, **changes) -> dict:
    data = {f: getattr(report, f) for f in ConsolidatedReport.NARRATIVE_FIELDS}
    data["report_date"] = report.report_date.strftime("%d/%m/%Y") if report.report_date else ""
    data["include_charts"] = "on" if report.include_charts else ""
    data["version"] = report.version
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_coordinator_sees_the_page_with_the_build_button(client, cycle_2025):
    response = client_for(client, cycle_2025.coordinator).get(
        reverse("consolidation:detail", args=[cycle_2025.cycle.pk])
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Tạo báo cáo" in content
        and reverse("consolidation:build_start", args=[cycle_2025.cycle.pk]) in content
    )
    for report in cycle_2025.accepted:
        assert report.agency.name in content
    assert cycle_2025.returned.agency.name not in content


def test_viewer_reads_but_cannot_edit_or_build(client, cycle_2025):
    c = client_for(client, cycle_2025.viewer)
    detail = c.get(reverse("consolidation:detail", args=[cycle_2025.cycle.pk]))
    assert detail.status_code == 200 and "Tạo báo cáo" not in detail.content.decode()
    assert c.get(reverse("consolidation:edit", args=[cycle_2025.cycle.pk])).status_code == 403
    assert c.post(reverse("consolidation:build_start", args=[cycle_2025.cycle.pk])).status_code == 403
    assert not BuildRun.objects.exists()


@pytest.mark.parametrize("persona", ["reporter", "other_coordinator", "admin"])
def test_others_get_404(client, cycle_2025, persona):
    c = client_for(client, getattr(cycle_2025, persona))
    run = services.build_start(actor=cycle_2025.coordinator, cycle=cycle_2025.cycle)
    for name, args in (
        ("consolidation:detail", [cycle_2025.cycle.pk]),
        ("consolidation:edit", [cycle_2025.cycle.pk]),
        ("consolidation:run_detail", [run.pk]),
        ("consolidation:run_status", [run.pk]),
        ("consolidation:run_download", [run.pk, "docx"]),
        ("consolidation:run_download", [run.pk, "xlsx"]),
    ):
        assert c.get(reverse(name, args=args)).status_code == 404, name
    assert c.post(reverse("consolidation:build_start", args=[cycle_2025.cycle.pk])).status_code == 404
    listing = c.get(reverse("consolidation:list"))
    if persona == "other_coordinator":  # a coordinator has a list, without the plans of other departments
        assert listing.status_code == 200 and "386/KH-UBND" not in listing.content.decode()
    else:
        assert listing.status_code == 403


def test_list_page_query_count_does_not_grow(client, cycle_2025, django_assert_max_num_queries):
    c = client_for(client, cycle_2025.coordinator)
    services.build_start(actor=cycle_2025.coordinator, cycle=cycle_2025.cycle)
    with django_assert_max_num_queries(12):
        response = c.get(reverse("consolidation:list"))
    assert response.status_code == 200 and "386/KH-UBND" in response.content.decode()
    viewer = client_for(client, cycle_2025.viewer).get(reverse("consolidation:list"))
    assert viewer.status_code == 200 and "386/KH-UBND" in viewer.content.decode()


def test_edit_prefills_suggestions_and_saves(client, cycle_2025):
    c = client_for(client, cycle_2025.coordinator)
    url = reverse("consolidation:edit", args=[cycle_2025.cycle.pk])
    page = c.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    # Suggestions from the accepted reports' sections, never from the others.
    for report in cycle_2025.accepted:
        assert f"Hạn chế của {report.agency.name}" in content
    assert f"Hạn chế của {cycle_2025.returned.agency.name}" not in content
    assert f"Hạn chế của {cycle_2025.draft.agency.name}" not in content
    assert not ConsolidatedReport.objects.exists()  # the suggested draft is not saved by looking at it

    suggested = services.consolidated_report_suggested(cycle=cycle_2025.cycle)
    response = c.post(url, narrative_post(suggested, leadership="Sở đã chỉ đạo.", signer_name="Nguyễn Văn A"))
    assert response.status_code == 302
    report = ConsolidatedReport.objects.get(cycle=cycle_2025.cycle)
    assert report.leadership == "Sở đã chỉ đạo." and report.version == 1
    assert report.recipient_lines()[-1].startswith("Lưu:")
    assert report.updated_by == cycle_2025.coordinator


def test_concurrent_edit_is_refused_and_keeps_what_was_typed(client, cycle_2025):
    c = client_for(client, cycle_2025.coordinator)
    url = reverse("consolidation:edit", args=[cycle_2025.cycle.pk])
    suggested = services.consolidated_report_suggested(cycle=cycle_2025.cycle)
    c.post(url, narrative_post(suggested))
    report = ConsolidatedReport.objects.get(cycle=cycle_2025.cycle)
    stale = narrative_post(report, proposals="Đề xuất của tôi.")
    services.consolidated_report_save(
        actor=cycle_2025.coordinator,
        cycle=cycle_2025.cycle,
        version=report.version,
        values={"proposals": "Của người khác."},
    )
    response = c.post(url, stale)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Đề xuất của tôi." in content and "Của người khác." in content and "vừa được" in content
    assert ConsolidatedReport.objects.get(pk=report.pk).proposals == "Của người khác."


def test_build_button_builds_and_downloads(client, cycle_2025, django_capture_on_commit_callbacks):
    c = client_for(client, cycle_2025.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("consolidation:build_start", args=[cycle_2025.cycle.pk]))
    run = BuildRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "consolidation:run_detail", args=[run.pk]
    )
    assert run.state == BuildState.DONE and run.progress == 100 and run.duration_ms is not None
    assert {s["report_id"] for s in run.manifest["sources"]} == {r.pk for r in cycle_2025.accepted}

    status = c.get(reverse("consolidation:run_status", args=[run.pk])).json()
    assert status["state"] == "done" and status["finished"] and status["docx_url"].endswith("/docx/")
    page = c.get(reverse("consolidation:run_detail", args=[run.pk])).content.decode()
    assert "Tải báo cáo (DOCX)" in page and cycle_2025.accepted[0].agency.name in page

    docx = c.get(status["docx_url"])
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    assert "bao-cao-tong-hop-386-kh-ubnd-2025.docx" in docx["Content-Disposition"]
    document = Document(io.BytesIO(b"".join(docx.streaming_content)))
    assert "BÁO CÁO" in [p.text for p in document.paragraphs]
    xlsx = c.get(status["xlsx_url"])
    assert load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).sheetnames[0] == "Phụ lục I"

    # The viewer downloads the same files.
    viewer = client_for(client, cycle_2025.viewer)
    assert viewer.get(status["docx_url"]).status_code == 200


def test_save_and_build_from_the_edit_page(client, cycle_2025, django_capture_on_commit_callbacks):
    c = client_for(client, cycle_2025.coordinator)
    suggested = services.consolidated_report_suggested(cycle=cycle_2025.cycle)
    data = narrative_post(suggested, proposals="Kiến nghị riêng.", build="1")
    data.pop("include_charts", None)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("consolidation:edit", args=[cycle_2025.cycle.pk]), data)
    run = BuildRun.objects.get()
    assert response["Location"] == reverse("consolidation:run_detail", args=[run.pk])
    assert run.state == BuildState.DONE and run.narrative_version == 1
    document = Document(run.docx.open("rb"))
    assert "Kiến nghị riêng." in [p.text for p in document.paragraphs]
