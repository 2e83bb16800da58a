"""Monitoring tests reuse the small world of the reporting tests (plan "99/KH-UBND", agencies A, B, C, the
department D and the personas of STYLE.md); tests run on 20/11/2025 unless they travel elsewhere.

``big_world(n)`` builds a plan with ``n`` agencies for query-count tests."""

import datetime
from dataclasses import dataclass

import pytest

from plantrack.orgs.tests.factories import AgencyFactory, AgencyGroupFactory, GroupMembershipFactory
from plantrack.plans.tests.factories import AssignmentFactory, PlanFactory, TaskFactory, TaskGroupFactory
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport, ReportingCycle
from plantrack.reporting.tests.conftest import (  # noqa: F401  (fixtures)
    DUE_2025,
    VN,
    World,
    before_due_date,
    cycle,
    fast_passwords,
    fill,
    world,
)
from plantrack.reporting.tests.factories import UserFactory

__all__ = ["DUE_2025", "VN", "World", "at", "fill"]


def at(day: int, month: int = 12, year: int = 2025, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=VN)


@dataclass
class BigWorld:
    cycle: ReportingCycle
    coordinator: object
    viewer: object
    agencies: list


@pytest.fixture
def big_world(db):
    """``big_world(n)``: a plan with two task groups and ``n`` agencies, each leading one task and coordinating
    another, with a reporter and a head each; a third of the reports submitted (one of them late is not
    possible before the due date, so: submitted, accepted, returned, drafts saved, untouched)."""

    def build(n: int) -> BigWorld:
        dept = AgencyFactory(name="Sở KH&CN (lớn)", short_name="Sở KH&CN")
        plan = PlanFactory(number=f"7{n}", coordinator_agency=dept)
        groups = [TaskGroupFactory(plan=plan, code=f"III.{i}", order=i) for i in (1, 2)]
        tasks = [
            TaskFactory(plan=plan, group=groups[i % 2], code=f"III.{i % 2 + 1}.{i}", order=i)
            for i in range(8)
        ]
        group = AgencyGroupFactory(name=f"Các sở, ngành (lớn {n})")
        agencies, heads, reporters = [], [], []
        for i in range(n):
            agency = AgencyFactory(
                name=f"Đơn vị số {i:03d}", kind="department" if i % 2 else "commune_committee"
            )
            GroupMembershipFactory(group=group, agency=agency)
            AssignmentFactory(task=tasks[i % 8], role="lead", agency=agency)
            AssignmentFactory(task=tasks[(i + 3) % 8], role="coordinate", agency=agency)
            agencies.append(agency)
            reporters.append(UserFactory(role="reporter", agency=agency))
            heads.append(UserFactory(role="head", agency=agency))
        coordinator = UserFactory(role="coordinator", agency=dept)
        opened = reporting.cycle_open(actor=coordinator, plan=plan, year=2025)
        reports = {r.agency_id: r for r in AgencyReport.objects.filter(cycle=opened)}
        for i, agency in enumerate(agencies):
            report = reports[agency.pk]
            kind = i % 5
            if kind == 0:
                continue
            report = fill(report, reporters[i])
            if kind == 1:
                continue
            reporting.report_submit(actor=heads[i], report=report)
            if kind == 3:
                reporting.report_accept(actor=coordinator, report=AgencyReport.objects.get(pk=report.pk))
            elif kind == 4:
                reporting.report_return(
                    actor=coordinator,
                    report=AgencyReport.objects.get(pk=report.pk),
                    comment="Bổ sung số liệu",
                )
        return BigWorld(
            cycle=opened, coordinator=coordinator, viewer=UserFactory(role="viewer"), agencies=agencies
        )

    return build
