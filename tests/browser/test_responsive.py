"""Phones: at 390 × 844 (a common phone) no main page of any persona scrolls sideways.

Wide tables scroll inside their own box (``.table-scroll``, with the hint "Vuốt ngang để xem thêm"); the page
itself must stay within the screen: ``document.documentElement.scrollWidth <= 390``. The top menu collapses into
a button that opens it (a ``<details>``, so it works without JavaScript).
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import demo_username
from tests.browser.main_pages import PERSONAS, main_pages

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _overflow(page) -> dict:
    """The page's scroll width and the widest elements sticking out past the screen (to say what to fix)."""
    return page.evaluate(
        """() => {
          const limit = document.documentElement.clientWidth;
          const culprits = [];
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right > limit + 1 && r.width > 0) {
              let inScroller = false;
              for (let p = el.parentElement; p; p = p.parentElement) {
                const s = getComputedStyle(p).overflowX;
                if (s === 'auto' || s === 'scroll' || s === 'hidden') { inScroller = true; break; }
              }
              if (!inScroller) culprits.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).replace(/ +/g, '.') : '') + ' ' + Math.round(r.right));
            }
          }
          return {scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 6)};
        }"""
    )


@pytest.mark.parametrize("role", PERSONAS)
def test_no_main_page_scrolls_sideways_at_390px(role, login, live_url):
    page = login(demo_username(role))
    page.set_viewport_size(PHONE)
    too_wide = []
    for url in main_pages(role, live_url):
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
        measured = _overflow(page)
        if measured["scrollWidth"] > PHONE["width"]:
            too_wide.append(
                f"{url}: scrollWidth {measured['scrollWidth']} ({', '.join(measured['culprits'])})"
            )
    assert too_wide == [], "\n".join(too_wide)


def test_menu_collapses_into_a_button_on_a_phone(login, live_url):
    page = login(demo_username("coordinator"))
    page.set_viewport_size(PHONE)
    page.goto(live_url("home"))
    menu_link = page.locator(".mainnav").get_by_role("link", name="Kỳ báo cáo")
    expect(menu_link).to_be_hidden()
    page.get_by_text("Trình đơn").click()
    expect(menu_link).to_be_visible()


def test_wide_table_scrolls_in_its_own_box_with_a_hint(login, live_url, demo_data):
    page = login(demo_username("coordinator"))
    page.set_viewport_size(PHONE)
    page.goto(live_url("plans:matrix", pk=demo_data.pk))
    box = page.locator(".table-scroll").first
    expect(box).to_be_visible()
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the matrix should be wider than the phone"
    expect(page.get_by_text("Vuốt ngang để xem thêm").first).to_be_visible()
