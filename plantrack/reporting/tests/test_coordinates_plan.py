""" "Coordinates this plan" has one home (accounts.permissions): the predicate, and the querysets of every app that
list a plan's rows for its coordinators, give the same answer for every persona."""

import pytest
from django.test import RequestFactory

from plantrack.accounts.context_processors import user_can
from plantrack.accounts.permissions import coordinated_plans_q, follows_plans, is_coordinator_of
from plantrack.plans.models import Plan
from plantrack.plans.tests.factories import PlanFactory
from plantrack.reporting.models import AgencyReport, ReportingCycle
from plantrack.reporting.services import report_send

from .conftest import fill

PERSONAS = [
    "reporter_a",
    "head_a",
    "reporter_b",
    "head_b",
    "head_c",
    "coordinator",
    "other_coordinator",
    "viewer",
    "admin",
]


@pytest.fixture
def two_plans(world, cycle):
    """The world's plan (coordinated by the department) and a plan coordinated by agency A, each with a cycle."""
    other = PlanFactory(number="98", coordinator_agency=world.a)
    other_cycle = ReportingCycle.objects.create(
        plan=other,
        year=2025,
        due_date=cycle.due_date,
        period_start=cycle.period_start,
        period_end=cycle.period_end,
        data_as_of=cycle.data_as_of,
    )
    return {world.plan.pk: cycle, other.pk: other_cycle}


@pytest.mark.parametrize("persona", PERSONAS)
def test_querysets_agree_with_the_predicate(world, two_plans, persona):
    user = getattr(world, persona)
    expected = {pk for pk in two_plans if is_coordinator_of(user, Plan.objects.get(pk=pk))}
    assert set(Plan.objects.filter(coordinated_plans_q(user)).values_list("pk", flat=True)) == expected
    cycles = ReportingCycle.objects.coordinated_by(user)
    assert {c.plan_id for c in cycles} == expected


def test_the_predicate_itself(world):
    plan = world.plan
    assert is_coordinator_of(world.coordinator, plan)
    assert not is_coordinator_of(world.other_coordinator, plan)  # a coordinator of another department
    assert not any(is_coordinator_of(getattr(world, p), plan) for p in PERSONAS if p != "coordinator")
    world.coordinator.is_active = False
    assert not is_coordinator_of(world.coordinator, plan)


def test_coordinators_read_the_submitted_reports_of_their_plans_only(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_send(actor=world.head_a, report=report, version=report.version)
    assert AgencyReport.objects.for_user(world.coordinator).filter(pk=report.pk).exists()
    assert not AgencyReport.objects.for_user(world.other_coordinator).filter(pk=report.pk).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_templates_get_the_same_answers(world, persona):
    user = getattr(world, persona)
    request = RequestFactory().get("/")
    request.user = user
    can = user_can(request)["user_can"]
    assert (
        can.follow_plans == follows_plans(user) == (persona in ("coordinator", "other_coordinator", "viewer"))
    )
    assert can.write_agency_reports == persona.startswith(("reporter", "head"))
    assert can.administer == (persona == "admin")
