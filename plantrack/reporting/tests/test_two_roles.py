"""A user with two roles does both jobs in one session (issue 15): coordinator of the plan (an extra
``accounts.Membership`` narrowed to the plan) and reporter of the department itself."""

import datetime

import pytest

from plantrack.accounts.models import Membership, Role, User
from plantrack.accounts.permissions import (
    hats,
    is_coordinator_of,
    is_head_of,
    is_member_of,
    role_holders,
)
from plantrack.plans.models import AssignmentRole
from plantrack.plans.tests.factories import AssignmentFactory, PlanFactory
from plantrack.reporting.models import AgencyReport, ReportState
from plantrack.reporting.services import report_submit

from .conftest import fill
from .factories import UserFactory
from .test_views import form_data


@pytest.fixture
def dual(world):
    """Reporter of the department (its primary role) and, in addition, coordinator of plan 99 only."""
    user = UserFactory(username="dual", role="reporter", agency=world.dept)
    Membership.objects.create(user=user, agency=world.dept, role="coordinator", plan=world.plan)
    return user


@pytest.fixture
def dept_owes(world):
    # The department leads T3 as well, so it has its own report in the cycle.
    AssignmentFactory(task=world.t3, role=AssignmentRole.LEAD, agency=world.dept)


def test_dual_user_reviews_another_agencys_report_and_fills_its_own_in_one_session(
    client, world, dept_owes, dual
):
    cycle = world.open_cycle()
    report_b = fill(world.report(cycle, world.b), world.reporter_b)
    report_submit(actor=world.head_b, report=report_b)
    own = world.report(cycle, world.dept)
    client.force_login(dual)

    # As coordinator: B's sent report is readable and can be returned with a comment.
    assert client.get(f"/bao-cao/{report_b.pk}/").status_code == 200
    assert client.get(f"/bao-cao/{report_b.pk}/tra-lai/").status_code == 200
    report_b.refresh_from_db()
    response = client.post(
        f"/bao-cao/{report_b.pk}/tra-lai/", {"version": report_b.version, "comment": "Bổ sung số liệu"}
    )
    assert response.status_code == 302
    report_b.refresh_from_db()
    assert report_b.state == ReportState.RETURNED

    # As reporter of the department, in the same session: its own draft is written.
    entry = own.entries.first()
    response = client.post(
        f"/bao-cao/{own.pk}/sua/",
        form_data(own, **{f"e{entry.pk}-status": "in_progress", f"e{entry.pk}-results": "Kết quả của Sở"}),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.results == "Kết quả của Sở"

    # Neither role opens a draft of another agency, nor edits B's report.
    assert client.get(f"/bao-cao/{world.report(cycle, world.c).pk}/").status_code == 404
    assert client.get(f"/bao-cao/{report_b.pk}/sua/").status_code in (403, 404)
    # Both lists: the department's own draft and B's returned report are on the report list.
    listed = set(AgencyReport.objects.for_user(User.objects.get(pk=dual.pk)).values_list("pk", flat=True))
    assert {own.pk, report_b.pk} <= listed


def test_a_coordinator_membership_narrowed_to_one_plan_does_not_reach_the_departments_other_plans(
    world, dual
):
    other = PlanFactory(number="100", coordinator_agency=world.dept)
    user = User.objects.get(pk=dual.pk)
    assert is_coordinator_of(user, world.plan)
    assert not is_coordinator_of(user, other)
    assert set(
        role_holders(Role.COORDINATOR, world.dept, plan=world.plan).values_list("username", flat=True)
    ) == {
        "coordinator",
        "dual",
    }
    assert "dual" not in set(
        role_holders(Role.COORDINATOR, world.dept, plan=other).values_list("username", flat=True)
    )


def test_an_extra_head_membership_makes_a_head_of_that_agency_only_while_it_is_valid(world):
    user = UserFactory(username="acting", role="reporter", agency=world.a)
    Membership.objects.create(
        user=user, agency=world.b, role="head", valid_to=datetime.date.today() + datetime.timedelta(days=1)
    )
    user = User.objects.get(pk=user.pk)
    assert is_member_of(user, world.a.pk) and not is_head_of(user, world.a.pk)
    assert is_head_of(user, world.b.pk) and not is_head_of(user, world.c.pk)
    assert set(role_holders(Role.HEAD, world.b).values_list("username", flat=True)) == {
        "head_b",
        "acting",
    }
    Membership.objects.filter(user=user).update(valid_to=datetime.date.today() - datetime.timedelta(days=1))
    user = User.objects.get(pk=user.pk)
    assert not is_head_of(user, world.b.pk)
    assert "acting" not in set(role_holders(Role.HEAD, world.b).values_list("username", flat=True))


def test_roles_are_read_once_per_user_object(world, dual, django_assert_num_queries):
    user = User.objects.get(pk=dual.pk)
    with django_assert_num_queries(1):
        hats(user)
        is_coordinator_of(user, world.plan)
        is_member_of(user, world.dept.pk)
