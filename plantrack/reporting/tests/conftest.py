"""A small world for reporting tests: one plan, three agencies, the personas of STYLE.md.

Plan "99/KH-UBND" coordinated by the department D:
  T1  lead A, coordinate B
  T2  lead B, coordinate the group G (A, B, C) — B keeps the lead role, A and C coordinate
  T3  lead "G liên quan" — related_only, so nobody in particular owes it
Expected reports on opening: A (T1 lead, T2 coordinate), B (T1 coordinate, T2 lead), C (T2 coordinate).
"""

import datetime
from dataclasses import dataclass

import pytest

from plantrack.orgs.tests.factories import AgencyFactory, AgencyGroupFactory, GroupMembershipFactory
from plantrack.plans.models import Plan, Task
from plantrack.plans.tests.factories import AssignmentFactory, PlanFactory, TaskFactory, TaskGroupFactory
from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport, EntryStatus, ReportingCycle

from .factories import UserFactory


@dataclass
class World:
    plan: Plan
    dept: object
    a: object
    b: object
    c: object
    t1: Task
    t2: Task
    t3: Task
    reporter_a: object
    head_a: object
    reporter_b: object
    head_b: object
    head_c: object
    coordinator: object
    other_coordinator: object
    viewer: object
    admin: object

    def open_cycle(self, year: int = 2025, **kwargs) -> ReportingCycle:
        return services.cycle_open(actor=self.coordinator, plan=self.plan, year=year, **kwargs)

    def report(self, cycle: ReportingCycle, agency) -> AgencyReport:
        return AgencyReport.objects.get(cycle=cycle, agency=agency)


def fill(
    report: AgencyReport, actor, *, status: str = EntryStatus.IN_PROGRESS, text: str = "Đã triển khai"
) -> AgencyReport:
    """Give every entry a status and a result so the report can be sent."""
    report.refresh_from_db()
    entries = {
        e.pk: {"status": status, "results": f"{text} ({e.task.code})", "difficulties": ""}
        for e in report.entries.select_related("task")
    }
    return services.report_save_draft(
        actor=actor,
        report=report,
        version=report.version,
        sections={"main_results": "Kết quả nổi bật của năm"},
        entries=entries,
    )


@pytest.fixture
def world(db) -> World:
    dept = AgencyFactory(name="Sở Khoa học và Công nghệ (thử)", short_name="Sở KH&CN")
    a = AgencyFactory(name="Sở Tài chính (thử)", short_name="Sở Tài chính")
    b = AgencyFactory(name="Sở Nội vụ (thử)", short_name="Sở Nội vụ")
    c = AgencyFactory(name="Sở Y tế (thử)", short_name="Sở Y tế")
    plan = PlanFactory(number="99", coordinator_agency=dept)
    group = AgencyGroupFactory(name="Các sở, ban, ngành (thử)")
    for member in (a, b, c):
        GroupMembershipFactory(group=group, agency=member)
    tg = TaskGroupFactory(plan=plan, code="III.1")
    t1 = TaskFactory(group=tg, plan=plan, code="III.1.a", text="Tuyên truyền, phổ biến Kế hoạch", order=1)
    t2 = TaskFactory(group=tg, plan=plan, code="III.1.b", text="Phát triển nguồn nhân lực khoa học", order=2)
    t3 = TaskFactory(group=tg, plan=plan, code="III.1.c", text="Hợp tác quốc tế", order=3)
    AssignmentFactory(task=t1, role="lead", agency=a)
    AssignmentFactory(task=t1, role="coordinate", agency=b)
    AssignmentFactory(task=t2, role="lead", agency=b)
    AssignmentFactory(task=t2, role="coordinate", agency=None, group=group, as_written=group.name)
    AssignmentFactory(
        task=t3, role="lead", agency=None, group=group, related_only=True, as_written="liên quan"
    )
    return World(
        plan=plan,
        dept=dept,
        a=a,
        b=b,
        c=c,
        t1=t1,
        t2=t2,
        t3=t3,
        reporter_a=UserFactory(username="reporter_a", role="reporter", agency=a),
        head_a=UserFactory(username="head_a", role="head", agency=a),
        reporter_b=UserFactory(username="reporter_b", role="reporter", agency=b),
        head_b=UserFactory(username="head_b", role="head", agency=b),
        head_c=UserFactory(username="head_c", role="head", agency=c),
        coordinator=UserFactory(username="coordinator", role="coordinator", agency=dept),
        other_coordinator=UserFactory(username="other_coordinator", role="coordinator", agency=a),
        viewer=UserFactory(username="viewer", role="viewer"),
        admin=UserFactory(username="admin", role="admin", is_staff=True, is_superuser=True),
    )


@pytest.fixture
def cycle(world) -> ReportingCycle:
    return world.open_cycle()


DUE_2025 = datetime.date(2025, 12, 5)
VN = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture(autouse=True)
def before_due_date(time_machine):
    """Tests run on 20/11/2025 unless they travel elsewhere: the 2025 cycle is open and not yet due."""
    time_machine.move_to(datetime.datetime(2025, 11, 20, 9, 0, tzinfo=VN), tick=True)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
