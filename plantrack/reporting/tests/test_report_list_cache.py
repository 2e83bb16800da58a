"""/api/v1/reports/ keeps each page in the cache (ReportViewSet.list): every change it shows is on the next request,
a deadline that passes turns "not sent" into "missing" on time, users who may read different reports never share a
page, and a page served from the cache is DRF's own envelope with links made for the request."""

import datetime
import json

import time_machine
from django.utils import timezone
from rest_framework.pagination import PageNumberPagination

from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport

from .conftest import fill

LIST = "/api/v1/reports/"


def _rows(client, **params) -> dict[int, dict]:
    response = client.get(LIST, params)
    assert response.status_code == 200, response.content
    return {r["id"]: r for r in response.json()["results"]}


def _send(world, report) -> AgencyReport:
    report = fill(report, world.reporter_a)
    return services.report_send(actor=world.head_a, report=report, version=report.version)


def test_a_saved_draft_shows_on_the_next_request_of_the_agency(client, world, cycle):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    before = _rows(client)[report.pk]
    fill(report, world.reporter_a)
    after = _rows(client)[report.pk]
    assert after["version"] == before["version"] + 1
    assert after["last_saved_at"] and not before["last_saved_at"]


def test_a_sent_report_reaches_the_coordinator_s_cached_list_on_the_next_request(client, world, cycle):
    report = world.report(cycle, world.a)
    client.force_login(world.coordinator)
    assert _rows(client) == {}
    _send(world, report)
    assert list(_rows(client)) == [report.pk]
    assert _rows(client)[report.pk]["state"] == "submitted"


def test_a_renamed_agency_shows_on_the_next_request(client, world, cycle):
    report = _send(world, world.report(cycle, world.a))
    client.force_login(world.coordinator)
    assert _rows(client)[report.pk]["agency_name"] == world.a.name
    world.a.name = "Sở Tài chính (đổi tên)"
    world.a.save()
    assert _rows(client)[report.pk]["agency_name"] == "Sở Tài chính (đổi tên)"


def test_users_who_read_different_reports_never_share_a_page(client, world, cycle):
    a, b = world.report(cycle, world.a), world.report(cycle, world.b)
    client.force_login(world.reporter_a)
    assert set(_rows(client)) == {a.pk}  # its own draft, now cached
    client.force_login(world.reporter_b)
    assert set(_rows(client)) == {b.pk}
    for outsider in (world.coordinator, world.viewer, world.other_coordinator):
        client.force_login(outsider)
        assert _rows(client) == {}  # drafts never leave the agency
    client.force_login(world.head_a)  # same agency, other role: the same reports
    assert set(_rows(client)) == {a.pk}


def test_filters_and_pages_are_keyed_and_a_bad_filter_still_answers_400(client, world, cycle):
    later = world.open_cycle(year=2026)
    client.force_login(world.reporter_a)
    assert {r["cycle"] for r in _rows(client, cycle=cycle.pk).values()} == {cycle.pk}
    assert {r["cycle"] for r in _rows(client, cycle=later.pk).values()} == {later.pk}
    assert _rows(client, state="submitted") == {}
    assert len(_rows(client)) == 2
    for _ in range(2):  # not cached
        assert client.get(LIST, {"cycle": "abc"}).status_code == 400
        assert client.get(LIST, {"page": 9}).status_code == 404


def test_a_deadline_passing_turns_not_sent_into_missing_without_any_write(client, world):
    today = timezone.localdate()
    cycle = world.open_cycle(year=today.year + 1, due_date=today + datetime.timedelta(days=2))
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    assert _rows(client)[report.pk]["is_missing"] is False
    with time_machine.travel(cycle.deadline - datetime.timedelta(minutes=1)):
        client.force_login(world.reporter_a)  # the idle session has ended meanwhile
        assert _rows(client)[report.pk]["is_missing"] is False
    with time_machine.travel(cycle.deadline + datetime.timedelta(seconds=1)):
        client.force_login(world.reporter_a)
        row = _rows(client)[report.pk]
        assert row["is_missing"] is True and row["display_state"] == "missing"


def test_a_cached_page_is_drf_s_envelope_with_links_for_the_request(client, world, cycle, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 1)
    world.open_cycle(year=2026)
    client.force_login(world.reporter_a)
    first = client.get(LIST, {"page": 2}, HTTP_HOST="localhost").json()
    again = client.get(LIST, {"page": 2, "format": "json"}, HTTP_HOST="127.0.0.1").json()
    assert first["count"] == again["count"] == 2 and first["results"] == again["results"]
    assert first["previous"].startswith("http://localhost/") and again["previous"].startswith(
        "http://127.0.0.1/"
    )
    assert again["next"] is None


def test_a_warm_page_reads_only_the_versions(client, world, cycle, django_assert_num_queries):
    _send(world, world.report(cycle, world.a))
    client.force_login(world.coordinator)
    _rows(client)
    # the session, the user (with agency, roles and unread count), the version tokens
    with django_assert_num_queries(3):
        assert len(_rows(client)) == 1


def test_a_draft_patched_through_the_api_shows_in_the_list(client, world, cycle):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    _rows(client)
    response = client.patch(
        f"{LIST}{report.pk}/",
        json.dumps({"version": report.version, "main_results": "Qua API"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert _rows(client)[report.pk]["version"] == report.version + 1
