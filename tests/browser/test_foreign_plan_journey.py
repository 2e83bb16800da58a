"""Issue 13: plans of another province, as their documents come, through the whole product in a real browser.

A .docx of UBND tỉnh Lào Cai (header table, Word numbering, "X chủ trì, phối hợp Y", a 6-monthly and yearly
regime) is uploaded, reviewed (its proposed agencies accepted, mapped to the registry or dropped; its regimes
checked), published; the 6-month cycle opens from its regime; Sở Tài chính's report is sent and accepted; the cycle's
dashboard shows it; the consolidated report is built and downloaded. A scanned PDF (no text layer) of the same
province is read by OCR and goes through review, publishing and its yearly cycle. The documents are built by
``plantrack/plans/tests/foreign_documents.py``."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from plantrack.plans.importing import ocr
from plantrack.plans.tests.foreign_documents import fonts_available, lao_cai_docx, scanned_pdf

pytestmark = pytest.mark.browser
OCR_TIMEOUT_MS = 120_000


@pytest.fixture
def inline_work(settings):
    """No worker runs beside the live server: OCR and report builds run in the request."""
    settings.PLAN_IMPORT_OCR_MODE = "inline"
    settings.CONSOLIDATION_BUILD_MODE = "inline"


def _upload(page, live_url, name: str, data: bytes, mime: str):
    page.goto(live_url("plan_import:import_upload"))
    page.set_input_files("input[type=file]", files=[{"name": name, "mimeType": mime, "buffer": data}])
    # A scan is read by OCR in this request (inline): seconds per page on a busy machine.
    page.get_by_role("button", name="Đọc văn bản").click(timeout=OCR_TIMEOUT_MS)
    expect(page.locator("h1")).to_contain_text(f"Kiểm tra kế hoạch đọc từ “{name}”", timeout=OCR_TIMEOUT_MS)


def _decide(page, name: str, decision: str, target: str = ""):
    row = page.locator(
        "table.imp-proposals tr", has=page.locator("td", has_text=re.compile(f"^{re.escape(name)}$"))
    )
    row.locator("select[name$='-decision']").select_option(decision)
    if target:
        row.locator("input[name$='-map']").fill(target)


def _accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def test_docx_of_another_province_from_upload_to_consolidated_report(
    inline_work, demo_data, live_url, coordinator_page, reporter_page, head_page
):
    from plantrack.plans.models import Plan
    from plantrack.reporting.models import AgencyReport, ReportingCycle

    coordinator = _accept_dialogs(coordinator_page)
    _upload(coordinator, live_url, "ke_hoach_lao_cai.docx", lao_cai_docx(), "application/octet-stream")

    # 1. Review: the header as written, the agencies of Lào Cai proposed as new ones.
    expect(coordinator.locator("input[name=number]")).to_have_value("125/KH-UBND")
    expect(coordinator.locator("input[name=issuer]")).to_have_value("UBND tỉnh Lào Cai")
    expect(coordinator.locator("input[name=date]")).to_have_value("10/03/2026")
    proposals = coordinator.locator("table.imp-proposals")
    for name in ("UBND tỉnh Lào Cai", "Sở Công Thương tỉnh Lào Cai", "Công an tỉnh Lào Cai"):
        expect(proposals).to_contain_text(name)
    # Lào Cai's departments are taken as the registry's own (refused and mapped), Công an dropped, the rest accepted.
    _decide(coordinator, "Sở Tài chính tỉnh Lào Cai", "map", "Sở Tài chính")
    _decide(coordinator, "Sở Khoa học và Công nghệ tỉnh Lào Cai", "map", "Sở Khoa học và Công nghệ")
    _decide(coordinator, "Công an tỉnh Lào Cai", "drop")
    coordinator.get_by_role("button", name="Lưu nháp").click()
    expect(coordinator.locator(".messages")).to_contain_text("Đã lưu bản nháp")
    expect(proposals).not_to_contain_text("Sở Tài chính tỉnh Lào Cai")
    expect(proposals).not_to_contain_text("Công an tỉnh Lào Cai")
    expect(proposals).to_contain_text("Sở Công Thương tỉnh Lào Cai")
    expect(coordinator.locator("input[name=coordinator_agency]")).to_have_value("Sở Khoa học và Công nghệ")

    # The tasks keep their lead and coordinating agencies, each with its source line.
    coordinator.locator("nav.imp-tabs").get_by_role("link", name=re.compile("Nhiệm vụ")).click()
    first = coordinator.locator("#task-0")
    expect(first.locator("input[name='task-0-a0-who']")).to_have_value("Sở Công Thương tỉnh Lào Cai")
    expect(first.locator("input[name='task-0-a1-who']")).to_have_value("Sở Tài chính")
    expect(first.get_by_role("link", name=re.compile(r"dòng \d+"))).to_be_visible()

    # The reporting regimes read: 6-monthly before 15/06, yearly before 15/12.
    coordinator.locator("nav.imp-tabs").get_by_role("link", name="Tổ chức thực hiện").click()
    expect(coordinator.locator("select[name='reg-0-period']")).to_have_value("half_yearly")
    expect(coordinator.locator("input[name='reg-0-due']")).to_have_value("15/06")
    expect(coordinator.locator("select[name='reg-1-period']")).to_have_value("yearly")
    expect(coordinator.locator("input[name='reg-1-due']")).to_have_value("15/12")

    # 2. Publish.
    coordinator.get_by_role("button", name="Công bố").click()
    expect(coordinator.locator(".messages")).to_contain_text("Đã công bố kế hoạch 125/KH-UBND")
    plan = Plan.objects.by_code("125/KH-UBND").get()
    assert sorted(plan.regimes.values_list("period", "due_day")) == [("half_yearly", 15), ("yearly", 15)]
    assert plan.coordinator_agency.name == "Sở Khoa học và Công nghệ"

    # 3. The 6-month cycle opens from the regime (the daily run's command).
    call_command("open_cycles", plan="125/KH-UBND", year=2026, stdout=io.StringIO())
    cycle = ReportingCycle.objects.get(plan=plan, year=2026, period_type="half_yearly")
    assert cycle.due_date.strftime("%d/%m") == "15/06"
    report = AgencyReport.objects.get(cycle=cycle, agency__name="Sở Tài chính")

    # 4. Sở Tài chính drafts, its head sends, the coordinator accepts.
    clerk = reporter_page
    clerk.goto(live_url("reporting:report_edit", report.pk))
    cards = clerk.locator("article.entry-card")
    assert cards.count() >= 1
    for i in range(cards.count()):
        cards.nth(i).locator("select[name$='-status']").select_option("continuing")
        cards.nth(i).locator("textarea[name$='-results']").fill(f"Đã phối hợp triển khai nội dung {i + 1}.")
    clerk.locator("textarea[name='main_results']").fill("Phối hợp triển khai sàn thương mại điện tử OCOP.")
    clerk.get_by_role("button", name="Lưu bản nháp").click()
    expect(clerk.locator(".messages")).to_contain_text("Đã lưu lúc")
    head = _accept_dialogs(head_page)
    head.goto(live_url("reporting:report_detail", report.pk))
    head.get_by_role("button", name="Gửi báo cáo").click()
    expect(head.locator(".messages")).to_contain_text("Đã gửi báo cáo")
    coordinator.goto(live_url("reporting:report_detail", report.pk))
    coordinator.get_by_role("button", name="Tiếp nhận").click()
    expect(coordinator.locator(".messages")).to_contain_text("Đã tiếp nhận báo cáo")

    # 5. The cycle's dashboard counts it.
    coordinator.goto(live_url("monitoring:dashboard", cycle.pk))
    expect(coordinator.locator("body")).to_contain_text("125/KH-UBND")
    expect(coordinator.locator("body")).to_contain_text("Sở Tài chính")

    # 6. The consolidated report is built and downloaded.
    coordinator.goto(live_url("consolidation:detail", cycle.pk))
    coordinator.get_by_role("button", name="Tạo báo cáo").click()
    coordinator.goto(live_url("consolidation:detail", cycle.pk))
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Tải báo cáo (DOCX)").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"PK")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "125/KH-UBND" in text or "kinh tế số" in text


@pytest.mark.skipif(
    not ocr.ocr_available() or not fonts_available(),
    reason="tesseract-ocr with tesseract-ocr-vie is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)",
)
def test_scanned_pdf_is_read_by_ocr_reviewed_published_and_its_cycle_opened(
    inline_work, demo_data, live_url, coordinator_page, other_reporter_page
):
    from plantrack.plans.models import Plan
    from plantrack.reporting.models import AgencyReport, ReportingCycle

    coordinator = coordinator_page
    _upload(coordinator, live_url, "kh88_scan.pdf", scanned_pdf(), "application/pdf")
    expect(coordinator.locator("input[name=number]")).to_have_value("88/KH-UBND")
    expect(coordinator.locator("input[name=issuer]")).to_have_value("UBND tỉnh Lào Cai")
    # The reviewer maps the departments and names the coordinating department of this province.
    _decide(coordinator, "Sở Nội vụ tỉnh Lào Cai", "map", "Sở Nội vụ")
    _decide(coordinator, "Sở Tư pháp tỉnh Lào Cai", "map", "Sở Tư pháp")
    coordinator.locator("input[name=coordinator_agency]").fill("Sở Khoa học và Công nghệ")
    coordinator.get_by_role("button", name="Lưu nháp").click()
    expect(coordinator.locator(".messages")).to_contain_text("Đã lưu bản nháp")
    coordinator.locator("nav.imp-tabs").get_by_role("link", name="Tổ chức thực hiện").click()
    expect(coordinator.locator("select[name='reg-0-period']")).to_have_value("yearly")
    expect(coordinator.locator("input[name='reg-0-due']")).to_have_value("15/12")
    coordinator.get_by_role("button", name="Công bố").click()
    expect(coordinator.locator(".messages")).to_contain_text("Đã công bố kế hoạch 88/KH-UBND")

    plan = Plan.objects.by_code("88/KH-UBND").get()
    call_command("open_cycles", plan="88/KH-UBND", year=2026, stdout=io.StringIO())
    cycle = ReportingCycle.objects.get(plan=plan, year=2026, period_type="yearly")
    assert cycle.due_date.strftime("%d/%m") == "15/12"
    report = AgencyReport.objects.get(cycle=cycle, agency__name="Sở Nội vụ")
    other_reporter_page.goto(live_url("reporting:report_detail", report.pk))
    expect(other_reporter_page.locator("h1")).to_contain_text("Sở Nội vụ")
