"""The optimistic lock is never skipped: every form and API call that changes a report must say which version it
was built on, and is refused with a clear message when it does not."""

import json

from plantrack.reporting import services
from plantrack.reporting.forms import VERSION_MISSING
from plantrack.reporting.models import AgencyReport, ReportState

from .conftest import fill
from .test_views import form_data


def _fresh(report) -> AgencyReport:
    return AgencyReport.objects.get(pk=report.pk)


def _sent(world, cycle) -> AgencyReport:
    report = fill(world.report(cycle, world.a), world.reporter_a)
    return services.report_send(actor=world.head_a, report=report, version=report.version)


def test_page_submit_without_version_sends_nothing(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    client.force_login(world.head_a)
    response = client.post(f"/bao-cao/{report.pk}/gui/", {}, follow=True)
    assert _fresh(report).state == ReportState.DRAFT
    assert str(VERSION_MISSING) in response.content.decode()


def test_page_accept_without_version_accepts_nothing(client, world, cycle):
    report = _sent(world, cycle)
    client.force_login(world.coordinator)
    response = client.post(f"/bao-cao/{report.pk}/tiep-nhan/", {}, follow=True)
    assert _fresh(report).state == ReportState.SUBMITTED
    assert str(VERSION_MISSING) in response.content.decode()


def test_page_accept_with_the_version_read_accepts(client, world, cycle):
    report = _sent(world, cycle)
    client.force_login(world.coordinator)
    client.post(f"/bao-cao/{report.pk}/tiep-nhan/", {"version": _fresh(report).version})
    assert _fresh(report).state == ReportState.ACCEPTED


def test_page_return_without_version_returns_nothing(client, world, cycle):
    report = _sent(world, cycle)
    client.force_login(world.coordinator)
    response = client.post(f"/bao-cao/{report.pk}/tra-lai/", {"comment": "Bổ sung"})
    assert response.status_code == 200
    assert str(VERSION_MISSING) in response.content.decode()
    assert _fresh(report).state == ReportState.SUBMITTED


def test_page_save_without_version_saves_nothing(client, world, cycle):
    report = world.report(cycle, world.a)
    data = form_data(report, main_results="Không có phiên bản")
    del data["version"]
    client.force_login(world.reporter_a)
    response = client.post(f"/bao-cao/{report.pk}/sua/", data)
    assert response.status_code == 200
    assert str(VERSION_MISSING) in response.content.decode()
    assert _fresh(report).main_results != "Không có phiên bản"


def _post(client, path, payload):
    return client.post(path, json.dumps(payload), content_type="application/json")


def test_api_transitions_without_version_are_refused(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    client.force_login(world.head_a)
    response = _post(client, f"/api/v1/reports/{report.pk}/submit/", {})
    assert response.status_code == 400 and "version" in response.json()
    assert _post(client, f"/api/v1/reports/{report.pk}/submit/", {"version": None}).status_code == 400
    assert _fresh(report).state == ReportState.DRAFT
    report = services.report_send(actor=world.head_a, report=report, version=_fresh(report).version)
    client.force_login(world.coordinator)
    assert _post(client, f"/api/v1/reports/{report.pk}/return/", {"comment": "Bổ sung"}).status_code == 400
    assert _post(client, f"/api/v1/reports/{report.pk}/accept/", {}).status_code == 400
    assert _fresh(report).state == ReportState.SUBMITTED


def test_api_save_without_version_is_refused(client, world, cycle):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    response = client.patch(
        f"/api/v1/reports/{report.pk}/", json.dumps({"main_results": "x"}), content_type="application/json"
    )
    assert response.status_code == 400 and "version" in response.json()
    assert _fresh(report).main_results != "x"
