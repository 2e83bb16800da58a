"""Every error under /api/ is JSON and none is a 500: non-numeric ids, NUL characters in parameters, unknown
filter values; unauthenticated calls answer 401 with WWW-Authenticate."""

import json

import pytest
from django.test import Client

from plantrack.reporting.tests.conftest import fill
from plantrack.security.models import SecurityAction, SecurityEvent

DETAIL_PATHS = [
    "/api/v1/plans/{}/",
    "/api/v1/indicators/{}/",
    "/api/v1/indicators/{}/series/",
    "/api/v1/figures/{}/",
    "/api/v1/cycles/{}/",
    "/api/v1/cycles/{}/status/",
    "/api/v1/reports/{}/",
    "/api/v1/reports/{}/submissions/",
    "/api/v1/evidence/{}/",
    "/api/v1/evidence/{}/download/",
]


@pytest.fixture
def signed_in(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.coordinator)
    return client


@pytest.mark.parametrize("path", DETAIL_PATHS)
@pytest.mark.parametrize("bad_id", ["abc", "1.5", "%00", "-1", "1e3"])
def test_a_non_numeric_id_answers_a_json_404(signed_in, path, bad_id):
    response = signed_in.get(path.format(bad_id))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "query", ["state=%00", "state=nonsense", "cycle=%00", "cycle=abc", "state=submitted%00"]
)
def test_a_bad_filter_value_answers_400_never_500(signed_in, query):
    response = signed_in.get(f"/api/v1/reports/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


HUGE = "9" * 30


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("get", f"/api/v1/reports/?cycle={HUGE}", None, 400),
        ("get", f"/api/v1/evidence/?report=-{HUGE}", None, 400),
        ("get", "/api/v1/indicators/?plan=-1.7976931348623155e%2B308", None, 400),
        ("get", f"/api/v1/figures/?year={HUGE}", None, 400),
        ("get", f"/api/v1/reports/{HUGE}/", None, 404),
        ("post", "/api/v1/evidence/", {"report": int(HUGE), "url": "https://example.vn/x"}, 400),
        ("post", "/api/v1/cycles/", {"plan": int(HUGE), "year": 2026}, 400),
        ("post", "/api/v1/figures/", {"indicator": int(HUGE), "year": 2025, "value": "1"}, 400),
    ],
)
def test_a_number_too_large_for_the_database_answers_4xx_never_500(signed_in, method, path, body, expected):
    # Found by schemathesis: SQLite cannot compare such a number (OverflowError), PostgreSQL refuses it (DataError).
    if body is None:
        response = signed_in.get(path)
    else:
        response = signed_in.post(path, json.dumps(body), content_type="application/json")

    assert response.status_code == expected
    assert response["Content-Type"] == "application/json"


def test_a_good_filter_value_filters(signed_in, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    from plantrack.reporting.services import report_submit

    report_submit(actor=world.head_a, report=report)
    submitted = signed_in.get(f"/api/v1/reports/?state=submitted&cycle={cycle.pk}").json()
    accepted = signed_in.get("/api/v1/reports/?state=accepted").json()

    assert [row["id"] for row in submitted["results"]] == [report.pk]
    assert accepted["results"] == []


def test_an_unknown_api_path_answers_json(signed_in):
    response = signed_in.get("/api/v1/nothing-here/")

    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_pages_keep_their_html_404(signed_in):
    response = signed_in.get("/bao-cao/abc/")

    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_an_unauthenticated_call_answers_401_with_the_scheme(db):
    response = Client().get("/api/v1/reports/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_an_unexpected_error_under_the_api_answers_json(signed_in, monkeypatch):
    from plantrack.reporting import api

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(api.ReportViewSet, "get_queryset", broken)
    response = signed_in.get("/api/v1/reports/")

    assert response.status_code == 500
    assert response.json() == {"detail": "Lỗi máy chủ.", "code": "server_error"}


def test_search_with_a_nul_character_answers_the_page(signed_in):
    for url in ("/tim-kiem/?q=%00", "/tim-kiem/?q=s%00o", "/co-quan/?q=%00"):
        assert signed_in.get(url).status_code == 200, url


def test_api_evidence_downloads_are_in_the_security_log(world, cycle):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from knox.models import AuthToken

    from plantrack.reporting.services import evidence_add_file
    from plantrack.reporting.tests import samples

    report = world.report(cycle, world.a)
    evidence = evidence_add_file(
        actor=world.reporter_a, report=report, entry=None, upload=SimpleUploadedFile("a.pdf", samples.pdf())
    )
    _, token = AuthToken.objects.create(user=world.reporter_a)

    response = Client().get(f"/api/v1/evidence/{evidence.pk}/download/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.pdf()
    row = SecurityEvent.objects.get(action=SecurityAction.EXPORT, detail__evidence=evidence.pk)
    assert row.actor_username == world.reporter_a.username
    assert row.path == f"/api/v1/evidence/{evidence.pk}/download/"
