"""Settings for more than one machine: the cache follows REDIS_URL/CACHE_URL, sessions stay in the database, the
task lease outlasts the task timeout, and logs are JSON lines with the request id when asked (production default).

Each case starts a fresh Python process with its own environment, because settings are read once at start-up.
"""

import json
import logging
import os
import secrets
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

VARIABLES = {
    "PLANTRACK_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "CACHE_URL",
    "CACHE_KEY_PREFIX", "TASK_TIMEOUT_SECONDS", "TASK_RETRY_SECONDS", "TASK_WORKERS", "TASK_MAX_ATTEMPTS",
    "LOG_FORMAT", "LOG_LEVEL", "HEALTHZ_QUEUE_MAX_WAIT_SECONDS",
}  # fmt: skip
PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"],
    "session_engine": settings.SESSION_ENGINE,
    "q": {k: settings.Q_CLUSTER[k] for k in ("orm", "timeout", "retry", "workers", "max_attempts")},
    "log_format": settings.LOG_FORMAT,
    "healthz_wait": settings.HEALTHZ_QUEUE_MAX_WAIT_SECONDS,
}))
"""


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    environ.update(DJANGO_SETTINGS_MODULE="plantrack.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def probe(**env: str) -> dict:
    result = run_python(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_one_machine_defaults_need_no_redis():
    values = probe(PLANTRACK_ENV="dev")

    assert values["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["session_engine"] == "django.contrib.sessions.backends.db"
    assert values["q"] == {"orm": "default", "timeout": 120, "retry": 180, "workers": 2, "max_attempts": 3}
    assert values["log_format"] == "plain" and values["healthz_wait"] == 300


@pytest.mark.parametrize("variable", ["REDIS_URL", "CACHE_URL"])
def test_a_redis_url_puts_the_cache_on_redis(variable):
    values = probe(PLANTRACK_ENV="dev", **{variable: "redis://10.0.0.5:6379/1"})

    assert values["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["cache"]["LOCATION"] == "redis://10.0.0.5:6379/1"
    assert values["session_engine"] == "django.contrib.sessions.backends.db"  # sessions stay in the database


def test_task_settings_are_read_from_the_environment():
    values = probe(
        PLANTRACK_ENV="dev", TASK_TIMEOUT_SECONDS="600", TASK_RETRY_SECONDS="660", TASK_WORKERS="4"
    )

    assert values["q"]["timeout"] == 600 and values["q"]["retry"] == 660 and values["q"]["workers"] == 4


def test_a_lease_shorter_than_the_timeout_stops_the_process():
    # The task would be handed to a second worker while the first is still running it.
    result = run_python(
        "import django; django.setup()",
        PLANTRACK_ENV="dev",
        TASK_TIMEOUT_SECONDS="300",
        TASK_RETRY_SECONDS="200",
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "TASK_RETRY_SECONDS" in result.stderr


def test_production_logs_json_lines_with_the_request_id():
    code = """
    import django, logging
    django.setup()
    from plantrack.core import request_id
    with request_id.bound("0123456789abcdef0123456789abcdef"):
        logging.getLogger("plantrack.probe").warning("Xây dựng báo cáo %s", 7)
    """
    result = run_python(
        code, PLANTRACK_ENV="production", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.gov.vn"
    )

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "Xây dựng báo cáo 7"
    assert line["level"] == "WARNING" and line["logger"] == "plantrack.probe"
    assert line["request_id"] == "0123456789abcdef0123456789abcdef"
    assert {"time", "pid"} <= set(line)


def test_plain_logs_carry_the_request_id_too():
    result = run_python(
        "import django, logging; django.setup(); logging.getLogger('plantrack.probe').warning('hello')",
        PLANTRACK_ENV="dev",
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("WARNING plantrack.probe [-] hello")


def test_the_log_filter_leaves_an_existing_request_id_alone():
    from plantrack.core.request_id import RequestIdLogFilter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    record.request_id = "given"
    assert RequestIdLogFilter().filter(record) and record.request_id == "given"
