"""Smoke journey in a real browser: deny by default, log in through the form, open plan 386/KH-UBND."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_coordinator_logs_in_and_opens_plan_386(new_page, live_server, live_url, demo_data):
    from tests.browser.conftest import demo_username

    page = new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    # Deny by default: the home page sends an anonymous visitor to the login form.
    page.goto(live_url("home"))
    assert page.url.startswith(live_url("login")), page.url
    expect(page.locator("#id_username")).to_be_visible()

    page.locator("#id_username").fill(demo_username("coordinator"))
    page.locator("#id_password").fill(settings.PLANTRACK_DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    assert page.url == live_url("home"), page.url

    # From the home page's plan card to the plan page.
    page.get_by_role("link", name="Kế hoạch số 386/KH-UBND").click()
    page.wait_for_url(live_url("plans:detail", pk=demo_data.pk))

    expect(page.locator("header.doc-head")).to_contain_text("386/KH-UBND")
    expect(page.locator("table.targets tbody tr:not(.part)")).to_have_count(9)
    expect(page.locator("section.task-group")).to_have_count(6)
    # 31 tasks as issued, plus III.2.e added by the demo amendment (III.1.c, cancelled by it, stays struck through).
    expect(page.locator("article.task")).to_have_count(32)
    expect(page.locator("#task-iii2b1")).to_contain_text("III.2.b.1")

    # Every asset comes from the application itself (no CDN), and the page runs without script errors.
    foreign = [url for url in requests if not url.startswith((live_server.url, "data:", "blob:"))]
    assert foreign == []
    assert console_errors == []
