"""Settings that must hold for an operator: production fails closed; SQLite is set up for concurrent use.

Each case starts a fresh Python process with its own environment, because settings are read once at start-up.
"""

import json
import os
import secrets
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import connection

PROBE_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in %r}))
"""
PRODUCTION_SETTINGS = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "PLANTRACK_DEMO_PASSWORD",
]
# Variables the settings read: cleared so the developer's or CI's own environment cannot leak into a case.
SETTINGS_VARIABLES = {
    "PLANTRACK_ENV",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "PLANTRACK_DATA_DIR",
    "PLANTRACK_DEMO_PASSWORD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SQLITE_BUSY_TIMEOUT_SECONDS",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "PLANTRACK_SITE_URL",
    "PLANTRACK_IMPORT_MAX_BYTES",
    "PLAN_IMPORT_OCR_MODE",
    "CONSOLIDATION_BUILD_MODE",
    "CONSOLIDATED_CHART_CACHE_DIR",
    "CONSOLIDATED_CHART_PREPARE",
}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    environ.update(DJANGO_SETTINGS_MODULE="plantrack.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def production_env(**extra: str) -> dict[str, str]:
    return {
        "PLANTRACK_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "plantrack.example.gov.vn",
        **extra,
    }


@pytest.mark.parametrize("plantrack_env", ["production", None], ids=["production", "unset-means-production"])
def test_production_refuses_to_start_without_secret_key(plantrack_env):
    env = {"PLANTRACK_ENV": plantrack_env} if plantrack_env else {}

    result = run_python("import django; django.setup()", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_secret_key_debug_off_and_secure_cookies():
    result = run_python(PROBE_SETTINGS % PRODUCTION_SETTINGS, **production_env())

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["PLANTRACK_DEMO_PASSWORD"] == ""  # load_default creates no demo accounts in production


def test_development_defaults_are_not_production():
    result = run_python(PROBE_SETTINGS % ["DEBUG", "PLANTRACK_DEMO_PASSWORD"], PLANTRACK_ENV="dev")

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is True
    assert values["PLANTRACK_DEMO_PASSWORD"]


@pytest.mark.parametrize("value", ["prod", "Production", "production ", " dev", "development", ""])
def test_an_unknown_environment_name_refuses_to_start_and_names_the_accepted_values(value):
    # These used to run with the development defaults: DEBUG on, the dev secret key, demo passwords.
    result = run_python(PROBE_SETTINGS % ["DEBUG"], PLANTRACK_ENV=value, SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PLANTRACK_ENV must be exactly one of dev, test, production" in result.stderr


@pytest.mark.parametrize(("value", "debug"), [("dev", True), ("test", True)])
def test_the_accepted_environment_names_start(value, debug):
    result = run_python(PROBE_SETTINGS % ["DEBUG", "PLANTRACK_ENV"], PLANTRACK_ENV=value)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"DEBUG": debug, "PLANTRACK_ENV": value}


SQLITE_PROBE = """
import json, sqlite3, threading
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY)")
    pragmas = {}
    for name in ("journal_mode", "busy_timeout", "foreign_keys"):
        cursor.execute(f"PRAGMA {name}")
        pragmas[name] = cursor.fetchone()[0]

# A transaction that has only read so far: with BEGIN IMMEDIATE it already holds the write lock, so a second
# writer is refused at once (busy timeout 0); with a deferred BEGIN the second writer would get through.
holding, release = threading.Event(), threading.Event()

def reader():
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM probe")
            cursor.fetchone()
        holding.set()
        release.wait(30)
    connection.close()

thread = threading.Thread(target=reader)
thread.start()
holding.wait(30)
other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
try:
    other.execute("INSERT INTO probe DEFAULT VALUES")
    blocked_while_reading = False
except sqlite3.OperationalError as exc:
    blocked_while_reading = "locked" in str(exc)
release.set()
thread.join(30)
other.execute("INSERT INTO probe DEFAULT VALUES")
print(json.dumps({**pragmas, "blocked_while_reading": blocked_while_reading}))
"""


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip(f"SQLite settings; this run uses {connection.vendor}")


def test_default_sqlite_database_uses_wal_busy_timeout_and_foreign_keys(sqlite_only, tmp_path):
    result = run_python(SQLITE_PROBE, PLANTRACK_ENV="dev", PLANTRACK_DATA_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert (tmp_path / "plantrack.sqlite3").exists()
    assert values["journal_mode"] == "wal"
    assert values["busy_timeout"] >= 5000
    assert values["foreign_keys"] == 1


def test_default_sqlite_transactions_take_the_write_lock_at_begin(sqlite_only, tmp_path):
    """transaction_mode=IMMEDIATE: writers queue at BEGIN instead of failing with "database is locked" later."""
    result = run_python(SQLITE_PROBE, PLANTRACK_ENV="dev", PLANTRACK_DATA_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["blocked_while_reading"] is True


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        (" Yes ", True),
        ("ON", True),
        ("true", True),
        ("0", False),
        ("no", False),
        (" Off", False),
    ],
)
def test_boolean_variables_accept_the_usual_words_in_any_case(raw, expected):
    result = run_python(
        PROBE_SETTINGS % ["SESSION_EXPIRE_AT_BROWSER_CLOSE"],
        PLANTRACK_ENV="dev",
        SESSION_EXPIRE_AT_BROWSER_CLOSE=raw,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is expected


def test_an_unknown_boolean_word_stops_the_process_and_names_the_variable():
    # "ture" used to read as false: a typo silently kept sessions alive after the browser closed.
    result = run_python(
        "import django; django.setup()", PLANTRACK_ENV="dev", SESSION_EXPIRE_AT_BROWSER_CLOSE="ture"
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SESSION_EXPIRE_AT_BROWSER_CLOSE" in result.stderr


DECLARED_SETTINGS = [
    "PLANTRACK_SITE_URL",
    "PLANTRACK_IMPORT_MAX_BYTES",
    "PLAN_IMPORT_OCR_MODE",
    "CONSOLIDATION_BUILD_MODE",
    "CONSOLIDATED_CHART_CACHE_DIR",
]


def test_application_settings_have_declared_defaults(tmp_path):
    result = run_python(
        PROBE_SETTINGS % DECLARED_SETTINGS, PLANTRACK_ENV="dev", PLANTRACK_DATA_DIR=str(tmp_path)
    )

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "PLANTRACK_SITE_URL": "",
        "PLANTRACK_IMPORT_MAX_BYTES": 10 * 1024 * 1024,
        "PLAN_IMPORT_OCR_MODE": "queue",
        "CONSOLIDATION_BUILD_MODE": "queue",
        "CONSOLIDATED_CHART_CACHE_DIR": str(tmp_path / "cache" / "charts"),
    }


def test_application_settings_are_read_from_the_environment(tmp_path):
    result = run_python(
        PROBE_SETTINGS % DECLARED_SETTINGS,
        PLANTRACK_ENV="dev",
        PLANTRACK_SITE_URL="https://plantrack.example.gov.vn/",
        PLANTRACK_IMPORT_MAX_BYTES="2048",
        PLAN_IMPORT_OCR_MODE="inline",
        CONSOLIDATION_BUILD_MODE="inline",
        CONSOLIDATED_CHART_CACHE_DIR="",
    )

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "PLANTRACK_SITE_URL": "https://plantrack.example.gov.vn",
        "PLANTRACK_IMPORT_MAX_BYTES": 2048,
        "PLAN_IMPORT_OCR_MODE": "inline",
        "CONSOLIDATION_BUILD_MODE": "inline",
        "CONSOLIDATED_CHART_CACHE_DIR": "",
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONSOLIDATION_BUILD_MODE", "celery"),
        ("PLAN_IMPORT_OCR_MODE", "celery"),
        ("PLANTRACK_SITE_URL", "plantrack.example.gov.vn"),
    ],
)
def test_invalid_application_settings_stop_the_process(name, value):
    result = run_python("import django; django.setup()", PLANTRACK_ENV="dev", **{name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr
