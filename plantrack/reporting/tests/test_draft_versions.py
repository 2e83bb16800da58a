"""A draft's content is seen by its agency only: once the draft has been saved, saving it again bumps the agency's
own version ("agency-reports:<id>") and leaves the versions of pages shown outside the agency (the cycle's, the
plan's reports') as they are — the coordinator's dashboard stays cached while 60 clerks autosave. Everything
seen outside (the first save, "not started" → "draft"; hand-over; send; a returned report's corrections) bumps them
as before, and the agency's own lists show every save at once."""

import json

import pytest

from plantrack.core.versions import agency_reports_key, cycle_key, plan_reports_key, tokens
from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport

from .conftest import fill

pytestmark = pytest.mark.django_db


def _outside(cycle) -> str:
    return tokens(cycle_key(cycle.pk), plan_reports_key(cycle.plan_id))


def _own(agency) -> str:
    return tokens(agency_reports_key(agency.pk))


def _save(world, report, text: str) -> AgencyReport:
    report.refresh_from_db()
    return services.report_save_draft(
        actor=world.reporter_a, report=report, version=report.version, sections={"main_results": text}
    )


def test_the_first_save_is_seen_outside_and_the_next_ones_only_by_the_agency(world, cycle):
    report = world.report(cycle, world.a)
    outside, own = _outside(cycle), _own(world.a)
    _save(world, report, "Lần lưu đầu")  # "not started" becomes "draft" on the dashboard
    assert _outside(cycle) != outside and _own(world.a) != own
    outside, own = _outside(cycle), _own(world.a)
    _save(world, report, "Lưu tự động")
    fill(report, world.reporter_a)  # entries too
    assert _outside(cycle) == outside
    assert _own(world.a) != own
    assert tokens(agency_reports_key(world.b.pk)) == "-"  # another agency's key is untouched


def test_hand_over_send_and_a_returned_report_s_corrections_are_seen_outside(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    outside = _outside(cycle)
    report = services.report_hand_over(actor=world.reporter_a, report=report, version=report.version)
    assert _outside(cycle) != outside
    outside = _outside(cycle)
    report = services.report_save_draft(
        actor=world.head_a, report=report, version=report.version, sections={"main_results": "Lãnh đạo sửa"}
    )
    assert _outside(cycle) == outside  # with the head: still the agency's own
    report = services.report_send(actor=world.head_a, report=report, version=report.version)
    assert _outside(cycle) != outside
    report = services.report_return(actor=world.coordinator, report=report, comment="Bổ sung")
    outside = _outside(cycle)
    report = services.report_save_draft(
        actor=world.reporter_a, report=report, version=report.version, sections={"main_results": "Đã sửa"}
    )
    assert _outside(cycle) != outside  # a returned report is read outside: its version and last save show


def test_the_coordinators_dashboard_stays_cached_while_a_draft_is_autosaved(client, world, cycle):
    report = world.report(cycle, world.a)
    _save(world, report, "Lần lưu đầu")
    client.force_login(world.coordinator)
    url = f"/theo-doi/ky/{cycle.pk}/"
    assert client.get(url).context["board"] is not None  # computed
    _save(world, report, "Lưu tự động")
    assert client.get(url).context["board"] is None  # still the cached body
    report.refresh_from_db()
    services.report_hand_over(actor=world.reporter_a, report=report, version=report.version)
    assert client.get(url).context["board"] is not None  # the hand-over is seen: rendered again


def test_the_agency_s_own_list_shows_every_save_at_once(client, world, cycle):
    report = world.report(cycle, world.a)
    _save(world, report, "Lần lưu đầu")
    client.force_login(world.reporter_a)
    listed = client.get("/api/v1/reports/").json()["results"]
    before = next(r for r in listed if r["id"] == report.pk)["version"]
    response = client.patch(
        f"/api/v1/reports/{report.pk}/",
        json.dumps({"version": before, "main_results": "Lưu qua API"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    listed = client.get("/api/v1/reports/").json()["results"]
    assert next(r for r in listed if r["id"] == report.pk)["version"] == before + 1
