"""One workflow path: the services say why a move is refused (not found, not allowed, wrong state), decide submit
versus resubmit themselves, and the API answers from the kind of refusal alone."""

import json

import pytest

from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport, ReportState, ReportTransition
from plantrack.reporting.services import (
    ReportingError,
    StaleReportError,
    WorkflowNotAllowed,
    WorkflowNotFound,
    WorkflowWrongState,
)

from .conftest import fill


def _fresh(report) -> AgencyReport:
    return AgencyReport.objects.get(pk=report.pk)


def test_the_three_refusals_are_distinct_reporting_errors():
    kinds = (WorkflowNotFound, WorkflowNotAllowed, WorkflowWrongState)
    assert all(issubclass(k, ReportingError) for k in kinds)
    for k in kinds:
        assert not any(issubclass(k, other) for other in kinds if other is not k)
    assert not issubclass(StaleReportError, WorkflowWrongState)


def test_sending_by_someone_else_than_the_head_is_not_allowed(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    with pytest.raises(WorkflowNotAllowed):
        services.report_send(actor=world.reporter_a, report=report, version=report.version)


def test_accepting_a_draft_is_the_wrong_state(world, cycle):
    report = world.report(cycle, world.a)
    with pytest.raises(WorkflowWrongState):
        services.report_accept(actor=world.coordinator, report=report, version=report.version)


def test_opening_a_cycle_of_a_plan_the_actor_cannot_read_is_not_found(world):
    world.plan.is_published = False
    world.plan.save()
    with pytest.raises(WorkflowNotFound):
        services.cycle_open(actor=world.coordinator, plan=world.plan, year=2026)


def test_opening_the_same_year_twice_is_the_wrong_state(world, cycle):
    with pytest.raises(WorkflowWrongState):
        world.open_cycle(year=cycle.year)


def test_report_send_resubmits_a_returned_report(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report = services.report_send(actor=world.head_a, report=report, version=report.version)
    services.report_return(actor=world.coordinator, report=report, comment="Bổ sung", version=report.version)
    report = _fresh(report)
    services.report_send(actor=world.head_a, report=report, version=report.version)
    moves = list(
        ReportTransition.objects.filter(report=report)
        .order_by("at", "pk")
        .values_list("from_state", flat=True)
    )
    assert moves == [ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED]
    assert _fresh(report).state == ReportState.SUBMITTED


def _open(client, plan, year):
    return client.post(
        "/api/v1/cycles/", json.dumps({"plan": plan.pk, "year": year}), content_type="application/json"
    )


def test_api_answers_not_allowed_with_403_even_for_a_year_already_open(client, world, cycle):
    # Before, the API looked again at the database and answered 400 here because the cycle existed.
    client.force_login(world.head_a)
    response = _open(client, world.plan, cycle.year)
    assert response.status_code == 403
    assert "điều phối" in response.json()["detail"]


def test_api_answers_not_found_with_404_for_a_plan_the_user_cannot_read(client, world):
    world.plan.is_published = False
    world.plan.save()
    client.force_login(world.coordinator)
    assert _open(client, world.plan, 2026).status_code == 404


def test_api_answers_wrong_state_with_400(client, world, cycle):
    report = world.report(cycle, world.a)
    client.force_login(world.coordinator)
    response = client.post(f"/api/v1/reports/{report.pk}/accept/", {"version": report.version})
    assert response.status_code == 404  # a draft is not visible outside its agency
    report = fill(report, world.reporter_a)
    report = services.report_send(actor=world.head_a, report=report, version=report.version)
    services.report_accept(actor=world.coordinator, report=report, version=report.version)
    response = client.post(f"/api/v1/reports/{report.pk}/accept/", {"version": _fresh(report).version})
    assert response.status_code == 400
    assert "đã tiếp nhận" in response.json()["detail"]
