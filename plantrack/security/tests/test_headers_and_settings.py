"""Response headers (CSP without external sources, frame-ancestors, nosniff, referrer policy…), and production
settings that pass `check --deploy` and fail closed."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
LOCAL_SOURCES = {"'self'", "'none'", "data:"}


def parse_csp(header: str) -> dict[str, list[str]]:
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


@pytest.fixture
def pages(people):
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(people.reporter_a)
    return [anonymous.get(reverse("login")), signed_in.get("/"), signed_in.get(reverse("accounts:account"))]


def test_csp_names_no_external_source(pages):
    for response in pages:
        policy = parse_csp(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        for directive, sources in policy.items():
            for source in sources:
                assert source in LOCAL_SOURCES or source.startswith("'nonce-"), (directive, source)
            assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources


def test_nonce_is_available_to_templates(rf):
    # Templates that need an inline script write <script nonce="{{ CSP_NONCE }}">; the header then carries it.
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ CSP_NONCE }}"></script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    request = rf.get("/")
    middleware = CSPMiddleware(view)
    response = middleware(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in parse_csp(response["Content-Security-Policy"])["script-src"]


def test_security_headers_present(pages):
    for response in pages:
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_signed_in_pages_are_not_cached(pages):
    login_page, home, account = pages
    for response in (home, account):
        assert "no-store" in response["Cache-Control"]


def test_session_cookie_flags(people):
    from .conftest import login_post

    client = Client()
    response = login_post(client, "reporter_a")
    from django.conf import settings

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def production_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PLANTRACK_", "DJANGO_", "SECRET_KEY", "DEBUG", "DATABASE_URL"))
    }
    env.update(
        {
            "PLANTRACK_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "plantrack.example.vn",
            "PLANTRACK_DATA_DIR": "/nonexistent-plantrack",
        }
    )
    env.update(extra)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,  # noqa: S603
        timeout=120,
    )


def test_production_passes_check_deploy():
    result = manage("check", "--deploy", "--tag", "security", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_NAME.startswith('__Host-'), s.PLANTRACK_DEMO_PASSWORD == '')"
    )
    result = manage("shell", "-c", code, env=production_env())
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "True",
        "True",
    ], result.stderr


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "at least 50 characters"),
        ({"DEBUG": "1"}, "DEBUG must be off"),
    ],
)
def test_production_fails_closed(extra, message):
    result = manage("check", env=production_env(**extra))
    assert result.returncode != 0
    assert message in result.stderr
