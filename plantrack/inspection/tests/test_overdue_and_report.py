"""The selector behind the dashboard's overdue list and the consolidated report's section."""

import datetime

import time_machine

from plantrack.inspection import services
from plantrack.inspection.report import section
from plantrack.inspection.selectors import inspection_counts, overdue_recommendations
from plantrack.plans.tests.factories import PlanFactory

from .conftest import VN


def test_overdue_until_closed(world, recommendation, django_assert_num_queries):
    before, after = datetime.date(2025, 11, 15), datetime.date(2025, 11, 16)
    assert overdue_recommendations(plan=world.plan, as_of=before) == []
    with django_assert_num_queries(1):
        assert overdue_recommendations(plan=world.plan, as_of=after) == [recommendation]
    services.recommendation_respond(actor=world.reporter_a, recommendation=recommendation, text="Đã làm")
    assert overdue_recommendations(plan=world.plan, as_of=after) == [recommendation]  # awaiting review
    services.recommendation_close(actor=world.coordinator, recommendation=recommendation)
    assert overdue_recommendations(plan=world.plan, as_of=after) == []


def test_other_plans_are_not_listed(world, recommendation):
    other = PlanFactory(number="98", coordinator_agency=world.dept)
    assert overdue_recommendations(plan=other, as_of=datetime.date(2026, 1, 1)) == []


def test_counts_as_of_a_day(world, visit, recommendation):
    second = services.recommendation_issue(
        actor=world.coordinator, visit=visit, text="Cập nhật số liệu", deadline=datetime.date(2025, 12, 31)
    )
    with time_machine.travel(datetime.datetime(2025, 12, 10, 9, tzinfo=VN)):
        services.recommendation_close(actor=world.coordinator, recommendation=second)
    counts = inspection_counts(plan=world.plan, year=2025, as_of=datetime.date(2025, 12, 1))
    assert (counts.inspections, counts.visits, counts.agencies_visited) == (1, 1, 1)
    assert (counts.issued, counts.closed, counts.overdue) == (2, 0, 1)
    counts = inspection_counts(plan=world.plan, year=2025, as_of=datetime.date(2025, 12, 14))
    assert (counts.issued, counts.closed, counts.overdue) == (2, 1, 1)


def test_section_paragraphs(world, visit, recommendation):
    paragraphs = section(world.plan, 2025, datetime.date(2025, 12, 14))
    assert paragraphs[0] == (
        f"Trong năm 2025, {world.dept.name} ban hành 1 kế hoạch kiểm tra việc thực hiện Kế hoạch số "
        f"{world.plan.code}; đến ngày 14/12/2025 đã tiến hành 1 đợt kiểm tra tại 1 cơ quan, đơn vị."
    )
    assert paragraphs[1] == (
        "Qua kiểm tra, đã có 1 kiến nghị, yêu cầu khắc phục; 0 kiến nghị đã được khắc phục và đóng, 1 kiến nghị "
        "đang theo dõi, trong đó 1 kiến nghị đã quá thời hạn khắc phục."
    )
    assert paragraphs[3] == f"- {world.a.name}: Ban hành kế hoạch triển khai; thời hạn 15/11/2025 (quá hạn)."


def test_section_without_inspection(world):
    assert section(world.plan, 2025) == [
        f"Trong năm 2025, chưa có kế hoạch kiểm tra việc thực hiện Kế hoạch số {world.plan.code} được ghi nhận."
    ]
