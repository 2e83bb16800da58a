"""Never lose typing, and the handover to the head, in a real browser on the demo cycle 2025.

- The clerk types, the session cookie disappears (as after the idle timeout), "Lưu bản nháp" lands on the login
  page with a message; after signing in the form comes back with the text, unsaved, saying so.
- "Lưu và trình lãnh đạo" hands the report to the head, who finds it on their home page and in notifications.
"""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .conftest import demo_username

pytestmark = pytest.mark.browser


def _report_id(demo_data) -> int:
    from plantrack.reporting.models import AgencyReport

    return AgencyReport.objects.get(cycle__plan=demo_data, cycle__year=2025, agency__name="Sở Tài chính").pk


def _drop_session_cookie(page) -> None:
    context = page.context
    kept = [c for c in context.cookies() if "session" not in c["name"]]
    context.clear_cookies()
    context.add_cookies(kept)


def test_text_typed_survives_an_expired_session(demo_data, live_url, reporter_page):
    pk = _report_id(demo_data)
    page = reporter_page
    page.goto(live_url("reporting:report_edit", pk))
    text = "Kết quả viết trong một giờ, không được mất."
    page.locator("textarea[name='main_results']").fill(text)
    _drop_session_cookie(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu bản nháp").click()
    assert "/dang-nhap/" in page.url
    expect(page.locator(".messages")).to_contain_text("chưa được lưu")
    page.locator("#id_username").fill(demo_username("reporter"))
    page.locator("#id_password").fill(settings.PLANTRACK_DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    assert f"/bao-cao/{pk}/sua/" in page.url
    expect(page.locator("textarea[name='main_results']")).to_have_value(text)
    expect(page.get_by_role("alert").first).to_contain_text("CHƯA được lưu")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu lúc")
    expect(page.locator("textarea[name='main_results']")).to_have_value(text)


def test_autosave_keeps_the_version_current(demo_data, live_url, reporter_page):
    pk = _report_id(demo_data)
    page = reporter_page
    page.goto(live_url("reporting:report_edit", pk))
    version = page.locator("#report-form input[name='version']")
    before = int(version.input_value())
    page.locator("textarea[name='next_year']").fill("Đề xuất gõ rồi để đó")
    page.locator("textarea[name='next_year']").blur()
    expect(page.locator(".autosave-status")).to_contain_text("Đã tự động lưu", timeout=10_000)
    assert int(version.input_value()) == before + 1
    # A manual save right after uses the new version: no conflict with our own autosave.
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu lúc")


def test_hand_over_notifies_the_head(demo_data, live_url, reporter_page, head_page):
    pk = _report_id(demo_data)
    clerk = reporter_page
    clerk.on("dialog", lambda dialog: dialog.accept())
    clerk.goto(live_url("reporting:report_edit", pk))
    clerk.locator("textarea[name='main_results']").fill("Kính trình lãnh đạo.")
    clerk.get_by_role("button", name="Lưu và trình lãnh đạo").click()
    expect(clerk.locator(".messages")).to_contain_text("Đã trình lãnh đạo")
    expect(clerk.locator("header .state").first).to_contain_text("Chờ lãnh đạo duyệt")

    head = head_page
    head.goto(live_url("home"))
    section = head.locator("section.awaiting-head")
    expect(section).to_contain_text("Chờ lãnh đạo duyệt")
    head.goto(live_url("notifications:list"))
    expect(head.locator("main")).to_contain_text("chờ lãnh đạo duyệt")
    head.goto(live_url("reporting:report_detail", pk))
    head.locator("details.hand-back summary").click()
    head.locator("#id_hand_back_comment").fill("Bổ sung số liệu cụ thể.")
    head.get_by_role("button", name="Trả lại chuyên viên").click()
    expect(head.locator(".messages")).to_contain_text("Đã trả lại báo cáo cho chuyên viên")
