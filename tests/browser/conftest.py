"""Browser fixtures: Debian's headless Chromium driven by Playwright's sync API against pytest-django's live server.

Never downloads a browser: Chromium is taken from ``PLANTRACK_CHROMIUM`` (default ``/usr/bin/chromium``). Where it
is missing the browser tests are skipped with the reason, unless ``PLANTRACK_REQUIRE_BROWSER=1`` (set by
``.ci/run``) turns that into an error.

Adding a journey::

    def test_reporter_sees_own_tasks(reporter_page, live_url):
        reporter_page.goto(live_url("home"))
        expect(reporter_page.get_by_role("heading", level=1)).to_be_visible()

Fixtures:
- ``demo_data`` — ``load_default`` (agencies, plan 386/KH-UBND, one demo account per role); returns the plan.
- ``live_url(name, *args, **kwargs)`` — absolute URL of a named route on the live server.
- ``new_page()`` — a fresh, anonymous page in its own browser context (own cookies).
- ``login(username)`` — a new page signed in through the login form as that demo account.
- ``anonymous_page``, ``coordinator_page``, ``reporter_page`` (Sở Tài chính), ``head_page`` (Sở Tài chính),
  ``other_reporter_page`` (Sở Nội vụ, the "other agency"), ``viewer_page``, ``admin_page``.

When a test fails, every page it opened is saved to ``test-artifacts/`` (PNG screenshot and HTML).
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

CHROMIUM = Path(os.environ.get("PLANTRACK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
DEFAULT_TIMEOUT_MS = 15_000


def _unavailable(reason: str):
    if os.environ.get("PLANTRACK_REQUIRE_BROWSER", "").lower() in {"1", "true", "yes"}:
        pytest.fail(
            f"{reason} (PLANTRACK_REQUIRE_BROWSER is set, so this is an error, not a skip)", pytrace=False
        )
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def _playwright():
    if not CHROMIUM.exists():
        _unavailable(
            f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install -y chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the dev lock file
        _unavailable("Python package playwright is not installed (make install)")
    # Playwright's sync API keeps an asyncio loop running in this thread; Django refuses ORM calls (the live
    # server's database flush between tests) while a loop runs, unless told that this is a synchronous context.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _artifact_stem(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150]


@pytest.fixture
def new_page(request, browser) -> Iterator[Callable]:
    """Factory: each call opens a page in a new context (own cookies), Vietnamese locale, laptop viewport."""
    contexts = []

    def make():
        context = browser.new_context(
            locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = _artifact_stem(request.node.nodeid)
        for c, context in enumerate(contexts):
            for p, page in enumerate(context.pages):
                suffix = f"{c}-{p}"
                try:
                    page.screenshot(path=str(ARTIFACTS / f"{stem}-{suffix}.png"), full_page=True)
                    (ARTIFACTS / f"{stem}-{suffix}.html").write_text(page.content(), encoding="utf-8")
                except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the test failure
                    print(f"could not save {stem}-{suffix}: {exc}")
    for context in contexts:
        context.close()


@pytest.fixture
def live_url(live_server) -> Callable[..., str]:
    def url(name: str, *args, **kwargs) -> str:
        return live_server.url + reverse(name, args=args or None, kwargs=kwargs or None)

    return url


@pytest.fixture
def demo_data(transactional_db):
    """The embedded default with the demo accounts, as ``make run`` loads it. Returns plan 386/KH-UBND."""
    from plantrack.plans.models import Plan

    call_command("load_default", verbosity=0)
    return Plan.objects.by_code("386/KH-UBND").get()


def demo_username(role: str, *, other_agency: bool = False) -> str:
    """The demo account of ``role``; ``other_agency`` picks one of the same role in a different agency."""
    from plantrack.accounts.services import DEMO_ACCOUNTS

    matches = [account for account in DEMO_ACCOUNTS if account.role == role]
    if other_agency:
        matches = [account for account in matches if account.agency_name != matches[0].agency_name]
    if not matches:
        raise LookupError(f"no demo account with role {role!r} (other_agency={other_agency})")
    return matches[0].username


@pytest.fixture
def login(new_page, live_url, demo_data) -> Callable:
    """Factory: ``login(username)`` signs in through the real login form and returns the page on the home page."""

    def sign_in(username: str, password: str | None = None):
        page = new_page()
        page.goto(live_url("login"))
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password or settings.PLANTRACK_DEMO_PASSWORD)
        with page.expect_navigation():
            page.locator("#id_password").press("Enter")
        if page.url.startswith(live_url("login")):
            pytest.fail(f"login as {username!r} failed: still on {page.url}", pytrace=False)
        return page

    return sign_in


@pytest.fixture
def anonymous_page(new_page, demo_data):
    return new_page()


@pytest.fixture
def coordinator_page(login):
    return login(demo_username("coordinator"))


@pytest.fixture
def reporter_page(login):
    return login(demo_username("reporter"))


@pytest.fixture
def head_page(login):
    return login(demo_username("head"))


@pytest.fixture
def other_reporter_page(login):
    return login(demo_username("reporter", other_agency=True))


@pytest.fixture
def viewer_page(login):
    return login(demo_username("viewer"))


@pytest.fixture
def admin_page(login):
    return login(demo_username("admin"))
