"""Test-wide settings: tests run with the development environment unless told otherwise.

- ``PLANTRACK_ENV`` defaults to ``dev`` (the settings fail closed in production: no default SECRET_KEY).
- Passwords are hashed with a fast hasher: loading the demo accounts with PBKDF2 costs about a second per account.
- Charts are not prepared when figures change (``CONSOLIDATED_CHART_PREPARE``), unless a test asks.
- Tests under ``tests/browser/`` get the ``browser`` marker and run last, after every other test: the Playwright
  event loop they start stays alive until the end of the session (see ``tests/browser/conftest.py``).
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("PLANTRACK_ENV", "dev")

BROWSER_DIR = Path(__file__).resolve().parent / "tests" / "browser"
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
    # Stable partition: everything else keeps its order, browser journeys go last.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    from django.test.utils import override_settings

    # Tests record figures by the hundred: drawing charts after each would only slow them down. The tests of the
    # chart preparation switch it on.
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS, CONSOLIDATED_CHART_PREPARE="off"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API throttling counts requests in the cache: each test starts with no request counted."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _office_language():
    """Each test starts in the office language: a request in English (LocaleMiddleware) leaves its language active
    in the thread, and a later test in the same worker (a management command's output, a document) would read
    English labels."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
