"""axe-core on the main pages of every persona: no serious or critical violation.

axe-core comes from the npm registry (pinned ``AXE_VERSION``), installed once into a cache folder by the ``axe``
fixture with ``npm install`` and injected from that local file with ``page.add_script_tag(path=...)``: no CDN, the
pages load nothing from outside. Why not vendored: docs/decisions.md ("axe-core for the accessibility test").
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import _unavailable, demo_username
from tests.browser.main_pages import PERSONAS, main_pages

pytestmark = pytest.mark.browser

AXE_VERSION = "4.10.2"
AXE_CACHE = Path(os.environ.get("PLANTRACK_AXE_DIR", Path.home() / ".cache" / "plantrack-axe")) / AXE_VERSION
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe() -> Path:
    """Path of ``axe.min.js`` from the npm package ``axe-core``, installed into the cache on first use."""
    script = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("npm not found: install Debian's package (apt-get install -y npm) for axe-core")
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_CACHE),
                f"axe-core@{AXE_VERSION}",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return script


def _violations(page, axe: Path) -> list[str]:
    page.add_script_tag(path=str(axe))
    result = page.evaluate(
        """async () => {
          // Swagger UI's own widget on the API docs page (#swagger-ui) is a third-party bundle whose colours are
          // the library's and which renders after load, so axe would judge it half drawn on one run and whole on
          // the next: it is left out; the page around it (lang, title) is checked like every other.
          const r = await axe.run({exclude: [['#swagger-ui']]}, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {', '.join(v['nodes'])}"
        for v in result
        if v["impact"] in BLOCKING
    ]


@pytest.fixture
def axe_page(browser, live_url, demo_data):
    """Factory: a page signed in as ``username`` (or anonymous) whose context lets Playwright add axe's script
    tag despite the site's Content-Security-Policy (``bypass_csp``; the pages' own scripts are unchanged)."""
    contexts = []

    def make(username: str | None = None):
        context = browser.new_context(
            locale="vi-VN", bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if username:
            page.goto(live_url("login"))
            page.locator("#id_username").fill(username)
            page.locator("#id_password").fill(settings.PLANTRACK_DEMO_PASSWORD)
            with page.expect_navigation():
                page.locator("#id_password").press("Enter")
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("role", PERSONAS)
def test_main_pages_have_no_serious_accessibility_violation(role, axe_page, live_url, axe):
    page = axe_page(demo_username(role))
    found = []
    for url in main_pages(role, live_url):
        page.goto(url)
        found += [f"{url}: {v}" for v in _violations(page, axe)]
    assert found == [], "\n".join(found)


def test_login_page_has_no_serious_accessibility_violation(axe_page, live_url, axe):
    page = axe_page()
    page.goto(live_url("login"))
    assert _violations(page, axe) == []
