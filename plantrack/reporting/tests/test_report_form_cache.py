"""The report form's body is cached (``views._report_edit_page``): every write it shows is on the very next GET,
users with the same rights share the body but each gets their own CSRF token and id, users with different rights
get different bodies, another agency still gets nothing, and a warm GET reads little."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plantrack.core.page_cache import request_mark
from plantrack.reporting import services, views
from plantrack.reporting.facts import DocumentIn, EntryFacts
from plantrack.reporting.models import ReportState

from .conftest import fill
from .factories import UserFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
USER = re.compile(r'data-user="([^"]*)"')


def _url(report) -> str:
    return reverse("reporting:report_edit", args=[report.pk])


def _page(client, report) -> str:
    response = client.get(_url(report))
    assert response.status_code == 200
    return response.content.decode()


def _body(page: str) -> str:
    """The page with what is per request (CSRF tokens, the user's id) and per user (the header) taken out."""
    start, end = page.index("<main"), page.index("</main>")
    body = TOKEN.sub('name="csrfmiddlewaretoken" value="-"', page[start:end])
    return USER.sub('data-user="-"', body)


@pytest.fixture
def renders(monkeypatch):
    """How many times the body was rendered (a cache miss)."""
    calls = []
    real = views.render_to_string

    def counting(template, *args, **kwargs):
        if template == "reporting/_report_edit_body.html":
            calls.append(template)
        return real(template, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", counting)
    return calls


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_two_reporters_share_the_body_but_each_gets_their_own_token(world, cycle, renders):
    report = world.report(cycle, world.a)
    second = UserFactory(username="reporter_a2", role="reporter", agency=world.a)
    first_client, second_client = _client(world.reporter_a), _client(second)
    first, other = _page(first_client, report), _page(second_client, report)
    assert len(renders) == 1  # the second user was served the cached body
    assert _body(first) == _body(other)
    for page, client, user in ((first, first_client, world.reporter_a), (other, second_client, second)):
        assert request_mark("csrf") not in page and request_mark("user") not in page
        assert USER.findall(page) == [str(user.pk)]
        tokens = TOKEN.findall(page)
        assert len(tokens) >= 3  # the form, the signed report upload, the header's hand-over
        # Each token is one of this session's: a POST carrying it passes the CSRF check and saves.
        response = client.post(
            _url(report),
            {"csrfmiddlewaretoken": tokens[0], "version": report.version, "main_results": f"Bởi {user.pk}"},
        )
        assert response.status_code == 302, response.status_code
        report.refresh_from_db()
        assert report.main_results == f"Bởi {user.pk}"
    # A token of the other session is refused: the page does not carry someone else's token.
    refused = second_client.post(
        _url(report), {"csrfmiddlewaretoken": "x" * 64, "version": report.version, "main_results": "?"}
    )
    assert refused.status_code == 403


def test_a_draft_save_shows_on_the_next_get(client, world, cycle):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    assert "Bản nháp mới nhất" not in _page(client, report)
    response = client.post(_url(report), {"version": report.version, "main_results": "Bản nháp mới nhất"})
    assert response.status_code == 302
    page = _page(client, report)
    assert "Bản nháp mới nhất" in page
    report.refresh_from_db()
    assert f'name="version" value="{report.version}"' in page  # the optimistic lock follows the save


def test_an_autosave_shows_on_the_next_get(client, world, cycle):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    _page(client, report)
    response = client.post(
        reverse("reporting:report_autosave", args=[report.pk]),
        {"version": report.version, "main_results": "Tự lưu lúc gõ"},
    )
    assert response.status_code == 200
    assert "Tự lưu lúc gõ" in _page(client, report)


def test_facts_and_evidence_show_on_the_next_get(client, world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.first()
    client.force_login(world.reporter_a)
    _page(client, report)
    services.report_save_draft(
        actor=world.reporter_a,
        report=report,
        version=report.version,
        sections={},
        entries={},
        facts={
            entry.pk: EntryFacts(
                documents=(DocumentIn("77/QĐ-STC", datetime.date(2025, 3, 4), "Trích yếu mới"),)
            )
        },
    )
    assert "77/QĐ-STC" in _page(client, report)
    report.refresh_from_db()
    services.evidence_add_link(
        actor=world.reporter_a, report=report, entry=entry, url="https://example.vn/a", title="Minh chứng mới"
    )
    assert "Minh chứng mới" in _page(client, report)


def test_hand_over_and_hand_back_show_on_the_next_get(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    client.force_login(world.head_a)
    assert "Trả lại chuyên viên" not in _page(client, report)
    services.report_hand_over(actor=world.reporter_a, report=report, version=report.version)
    report.refresh_from_db()
    assert "Trả lại chuyên viên" in _page(client, report)  # the head edits it now, and may hand it back
    client.force_login(world.reporter_a)
    assert client.get(_url(report)).status_code == 302  # no longer the reporter's to edit
    services.report_hand_back(
        actor=world.head_a, report=report, version=report.version, comment="Sửa lại mục 2"
    )
    page = _page(client, report)
    assert "Trả lại chuyên viên" not in page and 'value="hand_over"' in page


def test_a_returned_report_shows_the_return_on_the_next_get(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    client.force_login(world.reporter_a)
    _page(client, report)
    report = services.report_submit(actor=world.head_a, report=report, version=report.version)
    report = services.report_return(
        actor=world.coordinator, report=report, version=report.version, comment="Thiếu số liệu quý IV"
    )
    assert report.state == ReportState.RETURNED
    assert "Thiếu số liệu quý IV" in _page(client, report)


def test_a_head_and_a_reporter_get_different_bodies(client, world, cycle, renders):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    as_reporter = _page(client, report)
    client.force_login(world.head_a)
    as_head = _page(client, report)
    assert len(renders) == 2
    assert 'value="hand_over"' in as_reporter and 'value="send"' not in as_reporter
    assert 'value="send"' in as_head and 'value="hand_over"' not in as_head


@pytest.mark.parametrize("persona", ["reporter_b", "head_c"])
def test_another_agency_never_gets_the_cached_body(client, world, cycle, persona):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    _page(client, report)  # cached
    client.force_login(getattr(world, persona))
    assert client.get(_url(report)).status_code == 404


def test_a_form_with_errors_is_never_served_from_the_cache(client, world, cycle, renders):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    _page(client, report)
    response = client.post(_url(report), {"version": report.version, "data_as_of": "không phải ngày"})
    assert response.status_code == 200
    assert "không phải ngày" in response.content.decode()
    assert "không phải ngày" not in _page(client, report)


def test_a_warm_get_reads_little(client, world, cycle, renders):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    with CaptureQueriesContext(connection) as cold:
        _page(client, report)
    with CaptureQueriesContext(connection) as warm:
        _page(client, report)
    assert len(renders) == 1
    # The session, the user (with their roles), the report (with its cycle, plan and agency), the version tokens.
    assert len(warm) == 4, [q["sql"][:90] for q in warm.captured_queries]
    assert len(warm) < len(cold) / 2
