"""The yearly report's whole journey in a real browser, on the demo cycle 2025 loaded by ``make run``.

Sở Tài chính's clerk drafts, its head submits, Sở KH&CN's coordinator returns it with a comment on one task, the
clerk fixes that task, the head sends it again, the coordinator accepts it; the accepted report can no longer be
edited.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _report_id(demo_data) -> int:
    from plantrack.reporting.models import AgencyReport

    return AgencyReport.objects.get(cycle__plan=demo_data, cycle__year=2025, agency__name="Sở Tài chính").pk


def _accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def test_report_journey_draft_submit_return_fix_resubmit_accept(
    demo_data, live_url, reporter_page, head_page, coordinator_page
):
    pk = _report_id(demo_data)
    for page in (reporter_page, head_page, coordinator_page):
        _accept_dialogs(page)

    # 1. The clerk finds the report from the menu and drafts every task.
    clerk = reporter_page
    clerk.get_by_role("link", name="Báo cáo", exact=True).click()
    # The demo also has a 6-month cycle of 2026: the row of the yearly 2025 report.
    clerk.get_by_role("row").filter(has_text="năm 2025").get_by_role("link", name="Xem").click()
    expect(clerk.locator("h1")).to_contain_text("Sở Tài chính")
    expect(clerk.locator(".demo-banner")).to_contain_text("DỮ LIỆU DEMO")
    clerk.get_by_role("link", name="Soạn, sửa báo cáo").click()
    cards = clerk.locator("article.entry-card")
    count = cards.count()
    assert count >= 2
    for i in range(count):
        card = cards.nth(i)
        card.locator("select[name$='-status']").select_option("continuing")
        card.locator("textarea[name$='-results']").fill(f"Đã triển khai nội dung số {i + 1} trong năm 2025.")
    clerk.locator("textarea[name='main_results']").fill("Hoàn thành các nhiệm vụ được giao.")
    expect(clerk.locator(".savebar .dirty")).to_be_visible()
    clerk.get_by_role("button", name="Lưu bản nháp").click()
    expect(clerk.locator(".messages")).to_contain_text("Đã lưu lúc")
    expect(clerk.locator(".savebar .saved")).to_contain_text("Đã lưu lúc")
    # The clerk cannot send: only the head can.
    expect(clerk.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)

    # 2. The head reads it and sends it.
    head = head_page
    head.goto(live_url("reporting:report_detail", pk))
    expect(head.locator(".entry-card").first).to_contain_text("Đã triển khai nội dung số 1")
    head.get_by_role("button", name="Gửi báo cáo").click()
    expect(head.locator(".messages")).to_contain_text("Đã gửi báo cáo")
    expect(head.locator("header .state").first).to_contain_text("Đã gửi")

    # 3. The coordinator sees it on the cycle page and returns it with a remark on the first task.
    coordinator = coordinator_page
    coordinator.get_by_role("link", name="Kỳ báo cáo", exact=True).click()
    coordinator.get_by_role("row").filter(has_text="năm 2025").get_by_role("link", name="386/KH-UBND").click()
    row = coordinator.locator("table.cycle-table tr", has_text="Sở Tài chính")
    expect(row.locator(".state")).to_contain_text("Đã gửi")
    row.get_by_role("link", name="Xem xét").click()
    coordinator.get_by_role("link", name="Trả lại để chỉnh sửa").click()
    coordinator.locator("textarea[name='comment']").fill("Đề nghị bổ sung số liệu cụ thể.")
    coordinator.locator("article.entry-card").first.locator("textarea").fill("Nêu rõ số văn bản đã ban hành.")
    coordinator.get_by_role("button", name="Trả lại báo cáo").click()
    expect(coordinator.locator(".messages")).to_contain_text("Đã trả lại báo cáo")
    row = coordinator.locator("table.cycle-table tr", has_text="Sở Tài chính")
    expect(row.locator(".state")).to_contain_text("Bị trả lại")

    # 4. The clerk sees the remarks and fixes the task concerned.
    clerk.goto(live_url("reporting:report_edit", pk))
    expect(clerk.locator(".review-comment").first).to_contain_text("Đề nghị bổ sung số liệu cụ thể.")
    first = clerk.locator("article.entry-card").first
    expect(first.locator(".review-comment")).to_contain_text("Nêu rõ số văn bản đã ban hành.")
    first.locator("textarea[name$='-results']").fill("Đã ban hành 3 văn bản (số 12, 45, 78/STC).")
    clerk.get_by_role("button", name="Lưu bản nháp").click()
    expect(clerk.locator(".messages")).to_contain_text("Đã lưu lúc")

    # 5. The head sends it again.
    head.goto(live_url("reporting:report_detail", pk))
    head.get_by_role("button", name="Gửi lại báo cáo").click()
    expect(head.locator(".messages")).to_contain_text("Đã gửi báo cáo")

    # 6. The coordinator accepts it.
    coordinator.goto(live_url("reporting:report_detail", pk))
    expect(coordinator.locator(".entry-card").first).to_contain_text("Đã ban hành 3 văn bản")
    coordinator.get_by_role("button", name="Tiếp nhận").click()
    expect(coordinator.locator(".messages")).to_contain_text("Đã tiếp nhận báo cáo")
    expect(
        coordinator.locator("table.cycle-table tr", has_text="Sở Tài chính").locator(".state")
    ).to_contain_text("Đã tiếp nhận")

    # 7. Frozen: the clerk is sent back to the read-only page, with no way to edit or send.
    clerk.goto(live_url("reporting:report_edit", pk))
    assert clerk.url == live_url("reporting:report_detail", pk)
    expect(clerk.locator("header .state").first).to_contain_text("Đã tiếp nhận")
    expect(clerk.locator("#report-form")).to_have_count(0)
    expect(clerk.get_by_role("link", name="Soạn, sửa báo cáo")).to_have_count(0)
    expect(clerk.get_by_role("button", name=re.compile("Gửi"))).to_have_count(0)
    head.goto(live_url("reporting:report_detail", pk))
    expect(head.get_by_role("button", name=re.compile("Gửi"))).to_have_count(0)

    # The accepted submission is the second one, and its snapshot holds the fixed text.
    from plantrack.reporting.models import AgencyReport

    report = AgencyReport.objects.get(pk=pk)
    assert report.state == "accepted" and report.accepted_submission.number == 2
    assert "Đã ban hành 3 văn bản" in report.accepted_submission.snapshot["entries"][0]["results"]
