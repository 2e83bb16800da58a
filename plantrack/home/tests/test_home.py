"""The home page: visible plans and, for an agency user, a short "Việc của đơn vị" panel."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from plantrack.core.tests import pages_fixtures
from plantrack.plans.models import Plan

pytestmark = pytest.mark.django_db
ROLES = pages_fixtures.ROLES
default_data = pages_fixtures.default_data
personas = pages_fixtures.personas


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_home_lists_the_plan_for_every_role(client, personas):
    # One database load for every role: the default data takes seconds to load.
    for role in ROLES:
        client.force_login(personas[role])
        response = client.get(reverse("home"))
        assert response.status_code == 200
        text = _text(response)
        assert "Kế hoạch số 386/KH-UBND" in text
        assert "16/11/2024" in text
        assert "<strong>9</strong> chỉ tiêu" in text and "<strong>31</strong> nhiệm vụ" in text
        plan = response.context["plans"][0]
        assert (plan.target_count, plan.task_count, plan.group_count) == (9, 31, 6)


@time_machine.travel(datetime.datetime(2024, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_home_agency_panel_shows_own_agency_not_the_other(client, personas):
    client.force_login(personas["reporter"])
    response = client.get(reverse("home"))
    summary = response.context["agency_summary"]
    assert summary["agency"].name == "Sở Tài chính"
    # Sở Tài chính leads III.2.c by name and 6 tasks as one of "Các sở, ban, ngành"; coordinates III.5.b, III.6.b.
    assert (summary["lead"], summary["coordinate"]) == (7, 2)
    text = _text(response)
    assert "Việc của đơn vị" in text
    assert reverse("orgs:detail", args=[personas["reporter"].agency_id]) in text
    assert reverse("orgs:detail", args=[personas["other_reporter"].agency_id]) not in text


def test_home_has_no_agency_panel_for_admin_without_agency(client, personas):
    client.force_login(personas["admin"])
    response = client.get(reverse("home"))
    assert "agency_summary" not in response.context
    assert "Việc của đơn vị" not in _text(response)


def test_home_marks_the_plan_followed_by_the_coordinators_agency(client, personas):
    client.force_login(personas["coordinator"])
    assert "Đơn vị theo dõi" in _text(client.get(reverse("home")))
    client.force_login(personas["reporter"])
    assert "Đơn vị theo dõi" not in _text(client.get(reverse("home")))


def test_home_hides_unpublished_plans_from_non_admins(client, personas, default_data):
    Plan.objects.filter(pk=default_data.pk).update(is_published=False)
    client.force_login(personas["viewer"])
    response = client.get(reverse("home"))
    assert response.context["plans"] == []
    assert "Chưa có kế hoạch nào" in _text(response)
    client.force_login(personas["admin"])
    assert "Chưa công bố" in _text(client.get(reverse("home")))


def test_home_query_count_is_bounded(client, personas, django_assert_max_num_queries):
    client.force_login(personas["coordinator"])
    client.get(reverse("home"))
    # 20 before the to-do blocks (issue 15); the coordinator's block adds six aggregate queries and the plan summary
    # a few per plan. test_home_todo checks that the count does not grow with reports.
    with django_assert_max_num_queries(26):
        client.get(reverse("home"))


def test_agency_users_see_their_open_reports_and_others_do_not(client, plan_386):
    from plantrack.accounts.models import Role, User
    from plantrack.orgs.models import Agency
    from plantrack.reporting import services

    stc = Agency.objects.get(name="Sở Tài chính")
    coordinator = User.objects.create_user(
        "dp", password="x-Strong-Pass-2025", role=Role.COORDINATOR, agency=plan_386.coordinator_agency
    )
    clerk = User.objects.create_user("cv", password="x-Strong-Pass-2025", role=Role.REPORTER, agency=stc)
    other = User.objects.create_user(
        "cv2", password="x-Strong-Pass-2025", role=Role.REPORTER, agency=Agency.objects.get(name="Sở Y tế")
    )
    services.cycle_open(actor=coordinator, plan=plan_386, year=2026)
    client.force_login(clerk)
    text = client.get("/").content.decode()
    assert "Báo cáo của đơn vị" in text and "Năm 2026 — Kế hoạch 386/KH-UBND" in text
    report = stc.reports.get()
    assert f"/bao-cao/{report.pk}/sua/" in text
    client.force_login(other)
    assert f"/bao-cao/{report.pk}/" not in client.get("/").content.decode()


@time_machine.travel(datetime.datetime(2024, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_agency_panel_counts_agree_with_the_agency_task_rows(personas):
    """The home panel counts from assignment rows (agency_task_summary); the agency page lists agency_task_rows:
    both say the same for every agency of the default data, and the first tasks led are those naming it first."""
    from plantrack.orgs.models import Agency
    from plantrack.plans.selectors import agency_task_rows, agency_task_summary

    for agency in Agency.objects.all():
        rows = agency_task_rows(agency=agency)
        owed = [r for r in rows if not r.related_only]
        summary = agency_task_summary(agency=agency)
        assert (summary.lead, summary.coordinate, summary.maybe) == (
            sum(1 for r in owed if r.is_lead),
            sum(1 for r in owed if not r.is_lead),
            sum(1 for r in rows if r.related_only),
        ), agency.name
        leading = sorted((r for r in owed if r.is_lead), key=lambda r: not r.direct)[:5]
        assert [t.pk for t in summary.leading] == [r.task.pk for r in leading], agency.name


def test_home_lists_plans_a_page_at_a_time(client, personas, default_data):
    from plantrack.home.views import HOME_PLANS_PER_PAGE
    from plantrack.plans.tests.factories import PlanFactory

    for i in range(HOME_PLANS_PER_PAGE):
        PlanFactory(number=f"9{i:02d}", is_published=True)
    client.force_login(personas["viewer"])
    first = client.get(reverse("home"))
    assert len(first.context["plans"]) == HOME_PLANS_PER_PAGE
    assert "Trang 1/2" in _text(first)
    second = client.get(reverse("home"), {"trang": 2})
    assert len(second.context["plans"]) == 1
    shown = {p.pk for p in first.context["plans"]} | {p.pk for p in second.context["plans"]}
    assert len(shown) == HOME_PLANS_PER_PAGE + 1


def test_a_task_cancelled_by_an_amendment_is_no_longer_counted(client, personas, default_data):
    """From its effective date a cancelled task is owed by nobody: the plan's count on the home page says 30."""
    import datetime

    from plantrack.plans.amendments import amendment_apply, amendment_change_add, amendment_create
    from plantrack.plans.models import ChangeKind

    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    amendment = amendment_create(
        actor=personas["coordinator"],
        plan=default_data,
        number="77/KH-UBND",
        issued_on=yesterday,
        issuer="Ủy ban nhân dân tỉnh Đồng Nai",
        title="Sửa đổi Kế hoạch số 386/KH-UBND",
        effective_on=yesterday,
    )
    amendment_change_add(
        actor=personas["coordinator"],
        amendment=amendment,
        kind=ChangeKind.TASK_CANCEL,
        task=default_data.tasks.get(code="III.1.c"),
    )
    amendment_apply(actor=personas["coordinator"], amendment=amendment)
    client.force_login(personas["viewer"])
    plan = next(p for p in client.get("/").context["plans"] if p.pk == default_data.pk)
    assert plan.task_count == 30
