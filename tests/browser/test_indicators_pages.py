"""The indicator pages in a real browser: scorecard, a target page with its chart, the PNG for documents, and the
figure entry keeping a malformed number with its message."""

import io
import os
import tempfile

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Screenshots for a person to look at (not compared): the system temp folder unless PLANTRACK_SCREENSHOTS is set.
SCREENSHOTS = os.environ.get("PLANTRACK_SCREENSHOTS", tempfile.gettempdir())


def _local_only(page, live_server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return lambda: [url for url in requests if not url.startswith((live_server.url, "data:", "blob:"))]


def test_scorecard_and_target_page_render(coordinator_page, live_server, live_url, demo_data):
    page = coordinator_page
    foreign = _local_only(page, live_server)
    page.goto(live_url("home"))
    page.get_by_role("navigation").get_by_role("link", name="Chỉ tiêu").click()
    page.wait_for_url(live_url("indicators:scorecard", plan_pk=demo_data.pk) + "*")
    page.goto(live_url("indicators:scorecard", plan_pk=demo_data.pk) + "?nam=2025")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Bảng theo dõi chỉ tiêu năm 2025")
    expect(page.locator(".demo-banner")).to_be_visible()
    table = page.locator("table.scorecard")
    expect(table.locator("tbody tr:not(.part)")).to_have_count(9)
    # Status in words, not colour alone: each badge carries its label.
    for words in ("Đạt", "Đúng tiến độ", "Có nguy cơ", "Chậm"):
        expect(table.locator(".status", has_text=words).first).to_be_visible()
    # A qualitative part (II.2.9.1) says it is judged in words, not "no figures yet".
    qualitative = table.locator("tr", has_text="II.2.9.1")
    expect(qualitative).to_contain_text("Chỉ tiêu định tính — đánh giá bằng nhận xét")
    expect(qualitative).not_to_contain_text("Chưa có số liệu")
    expect(table.locator("tr", has_text="II.2.8")).to_contain_text("cộng dồn")
    page.screenshot(path=f"{SCREENSHOTS}/indicators-scorecard.png", full_page=True)

    table.get_by_role("link", name="Nhân lực nghiên cứu và phát triển có trình độ sau đại học").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("II.2.4")
    chart = page.locator("img.chart")
    expect(chart).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    expect(page.get_by_text("Phương pháp dự báo:")).to_be_visible()
    # The formula in words (issue 15), not as code.
    expect(
        page.get_by_text(
            "Nhân lực nghiên cứu và phát triển có trình độ sau đại học ÷ Dân số trung bình của tỉnh × 10.000"
        )
    ).to_be_visible()
    expect(page.locator("code", has_text="nhan_luc_rd")).to_have_count(0)
    expect(page.locator("table").first).to_contain_text("Bình Phước")  # the explained 2025 jump
    page.screenshot(path=f"{SCREENSHOTS}/indicators-target.png", full_page=True)
    assert foreign() == []


def test_png_chart_opens_as_an_image(viewer_page, live_url, demo_data):
    target = demo_data.targets.get(code="II.2.8")
    response = viewer_page.request.get(live_url("indicators:chart_png", pk=target.pk))
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    body = response.body()
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "PNG" and image.size[0] >= 600


def test_figure_entry_keeps_a_malformed_number_and_accepts_a_decimal_comma(
    reporter_page, live_url, demo_data
):
    page = reporter_page  # Sở Tài chính: provides the S&T share of the budget (II.2.6)
    page.goto(live_url("indicators:figure_entry") + "?nam=2025")
    row = page.locator("tr", has_text="Chi ngân sách tỉnh cho khoa học và công nghệ")
    value = row.locator("td.value input")
    expect(value).to_have_value("620000")
    expect(page.locator("tr", has_text="Dân số")).to_have_count(0)  # not provided by this agency

    value.fill("6,2,8")
    row.locator("td").nth(3).locator("input").fill("Báo cáo quyết toán 2025")
    page.get_by_role("button", name="Lưu số liệu").click()
    expect(row.locator(".errorlist")).to_contain_text("«6,2,8» không phải là một số hợp lệ")
    expect(value).to_have_value("6,2,8")
    expect(row.locator("td").nth(3).locator("input")).to_have_value("Báo cáo quyết toán 2025")
    page.screenshot(path=f"{SCREENSHOTS}/indicators-entry-error.png", full_page=True)

    value.fill("620000,5")
    page.get_by_role("button", name="Lưu số liệu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu 1 số liệu năm 2025")
    expect(
        page.locator("tr", has_text="Chi ngân sách tỉnh cho khoa học và công nghệ").locator("td.value input")
    ).to_have_value("620000,5")
