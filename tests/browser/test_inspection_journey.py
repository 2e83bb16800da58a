"""An inspection from plan to closed recommendation, in a real browser on the demo data of ``make run``.

Sở KH&CN's coordinator plans an inspection of Sở Tài chính, records a visit with its minutes and findings and a
recommendation whose deadline has passed; the cycle dashboard lists it as overdue; Sở Tài chính's clerk answers
with evidence; the coordinator closes it and the dashboard no longer lists it.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
TEXT = "Rà soát, cập nhật danh mục nhiệm vụ khoa học năm 2025 (hành trình thử)"


def _pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def _cycle_id(plan) -> int:
    from plantrack.reporting.models import AgencyReport

    return AgencyReport.objects.get(cycle__plan=plan, cycle__year=2025, agency__name="Sở Tài chính").cycle_id


def test_inspection_journey(demo_data, live_url, coordinator_page, reporter_page):
    dashboard = live_url("monitoring:dashboard", _cycle_id(demo_data))

    # 1. The coordinator plans an inspection of Sở Tài chính from the menu.
    coord = coordinator_page
    coord.get_by_role("link", name="Kiểm tra, giám sát", exact=True).click()
    coord.get_by_role("link", name="Lập kế hoạch kiểm tra").click()
    coord.locator("#id_title").fill("Kiểm tra thực hiện Kế hoạch 386 tại Sở Tài chính (hành trình)")
    coord.locator("#id_year").fill("2025")
    coord.locator("#id_number").fill("77/KH-SKHCN")
    coord.locator("#id_document_date").fill("02/09/2025")
    coord.locator("#id_agencies").select_option(label="Sở Tài chính")
    coord.locator("#id_team_lead").fill("Nguyễn Văn Trưởng")
    coord.get_by_role("button", name="Lưu").click()
    expect(coord.locator(".messages")).to_contain_text("Đã lập kế hoạch kiểm tra")
    expect(coord.locator("h1")).to_contain_text("hành trình")
    expect(coord.locator(".meta")).to_contain_text("02/09/2025")

    # 2. A visit with its minutes and findings.
    coord.get_by_role("link", name="Thêm đợt kiểm tra").click()
    coord.locator("#id_agency").select_option(label="Sở Tài chính")
    coord.locator("#id_start_date").fill("01/10/2025")
    coord.locator("#id_end_date").fill("02/10/2025")
    coord.locator("#id_findings").fill("Danh mục nhiệm vụ chưa được cập nhật theo Kế hoạch.")
    coord.locator("#id_minutes_file").set_input_files(files=[_pdf("bien-ban-kiem-tra.pdf")])
    coord.get_by_role("button", name="Lưu đợt kiểm tra").click()
    expect(coord.locator(".messages")).to_contain_text("Đã lưu đợt kiểm tra")
    expect(coord.locator("#ket-luan")).to_contain_text("chưa được cập nhật")
    expect(coord.get_by_role("link", name="bien-ban-kiem-tra.pdf")).to_be_visible()

    # 3. A recommendation whose deadline has already passed.
    coord.locator("#id_text").fill(TEXT)
    coord.locator("#id_deadline").fill("15/11/2025")
    coord.get_by_role("button", name="Ghi kiến nghị").click()
    expect(coord.locator(".messages")).to_contain_text("Đã ghi kiến nghị")
    recommendation_url = coord.url

    # 4. The dashboard lists it as overdue.
    coord.goto(dashboard)
    overdue = coord.locator("table.overdue-recommendations")
    expect(overdue).to_contain_text(TEXT)
    expect(overdue).to_contain_text("15/11/2025")

    # 5. Sở Tài chính's clerk finds it among the agency's recommendations and answers with evidence.
    clerk = reporter_page
    clerk.get_by_role("link", name="Kiểm tra, giám sát", exact=True).click()
    clerk.get_by_role("row").filter(has_text=TEXT).get_by_role("link", name="Xem").click()
    clerk.locator("#id_text").fill("Đã cập nhật danh mục nhiệm vụ (Quyết định số 12/QĐ-STC).")
    clerk.locator("#id_files").set_input_files(files=[_pdf("quyet-dinh.pdf")])
    clerk.get_by_role("button", name="Gửi báo cáo khắc phục").click()
    expect(clerk.locator(".messages")).to_contain_text("Đã gửi báo cáo khắc phục")
    expect(clerk.locator("#trang-thai")).to_contain_text("Đơn vị đã báo cáo khắc phục")
    expect(clerk.get_by_role("link", name="quyet-dinh.pdf")).to_be_visible()
    expect(clerk.get_by_role("button", name="Đóng kiến nghị")).to_have_count(0)

    # 6. Awaiting review it is still overdue; the coordinator closes it and the dashboard drops it.
    coord.goto(dashboard)
    expect(coord.locator("table.overdue-recommendations")).to_contain_text(TEXT)
    coord.goto(recommendation_url)
    coord.locator("form[action$='/dong/'] textarea").fill("Đơn vị đã khắc phục đầy đủ.")
    coord.get_by_role("button", name="Đóng kiến nghị").click()
    expect(coord.locator(".messages")).to_contain_text("Đã đóng kiến nghị")
    expect(coord.locator("#trang-thai")).to_contain_text("Đã đóng")
    expect(coord.locator("#lich-su")).to_contain_text("Đóng kiến nghị")
    expect(coord.locator("#lich-su")).to_contain_text("Đơn vị báo cáo khắc phục")
    coord.goto(dashboard)
    expect(coord.locator("#kien-nghi-qua-han")).to_be_visible()
    expect(coord.locator("body")).not_to_contain_text(TEXT)
