"""Funding entered by an agency appears in the dashboard's total (issue 14, done-when): Sở Tài chính's clerk writes
the money of one task in its 2025 report, the head sends it, the coordinator accepts it, and the dashboard's
"Kinh phí thực hiện năm 2025" grows by exactly that amount."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _total(page) -> Decimal:
    text = page.locator(".funding-total").inner_text() if page.locator(".funding-total").count() else ""
    match = re.search(r"Tổng kinh phí bố trí: ([\d.,]+) triệu đồng", text)
    return Decimal(match.group(1).replace(".", "").replace(",", ".")) if match else Decimal(0)


def test_funding_entered_by_an_agency_reaches_the_dashboard_total(
    demo_data, live_url, reporter_page, head_page, coordinator_page
):
    from plantrack.reporting.models import AgencyReport

    report = AgencyReport.objects.get(cycle__plan=demo_data, cycle__year=2025, agency__name="Sở Tài chính")
    for page in (reporter_page, head_page, coordinator_page):
        page.on("dialog", lambda dialog: dialog.accept())

    coordinator = coordinator_page
    coordinator.goto(live_url("monitoring:dashboard", report.cycle_id))
    expect(coordinator.locator("#kinh-phi")).to_be_visible()
    before = _total(coordinator)

    clerk = reporter_page
    clerk.goto(live_url("reporting:report_edit", report.pk))
    cards = clerk.locator("article.entry-card")
    for i in range(cards.count()):
        cards.nth(i).locator("select[name$='-status']").select_option("continuing")
        cards.nth(i).locator("textarea[name$='-results']").fill(f"Đã triển khai nội dung {i + 1}.")
    clerk.locator("textarea[name='main_results']").fill("Hoàn thành các nhiệm vụ được giao.")
    block = clerk.locator("details.facts-block").first
    block.locator("summary").click()
    block.locator("input[name$='-fund-0-year']").fill("2025")
    block.locator("input[name$='-fund-0-provincial']").fill("1.234,5")
    block.locator("input[name$='-fund-0-spent']").fill("1000")
    clerk.get_by_role("button", name="Lưu bản nháp").click()
    expect(clerk.locator(".messages")).to_contain_text("Đã lưu lúc")

    head = head_page
    head.goto(live_url("reporting:report_detail", report.pk))
    head.get_by_role("button", name="Gửi báo cáo").click()
    expect(head.locator(".messages")).to_contain_text("Đã gửi báo cáo")

    coordinator.goto(live_url("monitoring:dashboard", report.cycle_id))
    expect(coordinator.locator("#kinh-phi ~ .funding-total, .funding-total")).to_contain_text(
        "đang chờ tiếp nhận"
    )
    assert _total(coordinator) == before  # not accepted yet: shown apart, not added

    coordinator.goto(live_url("reporting:report_detail", report.pk))
    coordinator.get_by_role("button", name="Tiếp nhận").click()
    expect(coordinator.locator(".messages")).to_contain_text("Đã tiếp nhận báo cáo")
    coordinator.goto(live_url("monitoring:dashboard", report.cycle_id))
    assert _total(coordinator) == before + Decimal("1234.5")
