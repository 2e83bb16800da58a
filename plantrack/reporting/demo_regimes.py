"""The demo of reporting regimes (DỮ LIỆU DEMO), loaded after the demo cycle: plan 386's 6-month cycle of 2026
and one ad hoc request. Plan 386 itself reports yearly (05/12): the 6-month cycle is opened as a demo cycle of its
own and no regime is added to the plan. Removed with the other demo cycles (``demo_cycle_remove``)."""

import datetime

from django.db import transaction

from plantrack.accounts.models import Role
from plantrack.accounts.permissions import role_holders
from plantrack.notifications.services import mail_suppressed
from plantrack.plans.models import Plan

from . import services
from .demo import DemoError, _fill, _head_of
from .models import AgencyReport, CyclePeriod, ReportingCycle

VN = datetime.timezone(datetime.timedelta(hours=7))
YEAR = 2026


def _at(day: int, month: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, hour, tzinfo=VN)


@transaction.atomic
def demo_regimes_load(*, plan_code: str = "386/KH-UBND") -> list[ReportingCycle]:
    """Create the demo 6-month cycle of 2026 (some reports sent, some accepted) and a demo ad hoc request, unless
    there. Returns the cycles created."""
    plan = Plan.objects.by_code(plan_code).first()
    if plan is None:
        raise DemoError(f"Chưa có Kế hoạch {plan_code}: chạy `manage.py load_default` trước.")
    coordinator = (
        role_holders(Role.COORDINATOR, plan.coordinator_agency_id, plan=plan)
        .order_by("-is_demo", "pk")
        .first()
    )
    if coordinator is None:
        raise DemoError("Chưa có tài khoản điều phối của cơ quan theo dõi kế hoạch.")
    created = []
    with mail_suppressed():
        half = ReportingCycle.objects.filter(
            plan=plan, year=YEAR, period_type=CyclePeriod.HALF_YEARLY, period_index=1
        ).first()
        if half is None:
            half = services.cycle_open(
                actor=coordinator,
                plan=plan,
                year=YEAR,
                period_type=CyclePeriod.HALF_YEARLY,
                period_index=1,
                due_date=datetime.date(YEAR, 6, 15),
                is_demo=True,
                now=_at(2, 6),
                note="DỮ LIỆU DEMO — kỳ báo cáo 6 tháng đầu năm dùng thử (Kế hoạch 386 báo cáo hằng năm).",
            )
            _play_half(half, coordinator)
            created.append(half)
        if not ReportingCycle.objects.filter(
            plan=plan, is_demo=True, period_type=CyclePeriod.AD_HOC
        ).exists():
            agencies = [
                r.agency for r in AgencyReport.objects.filter(cycle=half).select_related("agency")[:3]
            ]
            request = services.adhoc_request_create(
                actor=coordinator,
                plan=plan,
                title="Báo cáo nhanh kết quả chuyển đổi số 9 tháng (DỮ LIỆU DEMO)",
                document_number="1234/UBND-KGVX",
                document_date=datetime.date(YEAR, 9, 20),
                issuer="UBND tỉnh Đồng Nai",
                due_date=datetime.date(YEAR, 10, 5),
                agencies=agencies,
                is_demo=True,
                now=_at(21, 9),
            )
            created.append(request.cycle)
    return created


def _play_half(cycle: ReportingCycle, coordinator) -> None:
    """A few agencies send their 6-month report; the department accepts some. The agencies of the demo accounts
    are left untouched for the visitor."""
    reports = list(
        AgencyReport.objects.filter(cycle=cycle)
        .exclude(agency__name__in=["Sở Tài chính", "Sở Nội vụ"])
        .exclude(agency_id=cycle.plan.coordinator_agency_id)
        .select_related("agency", "cycle__plan")
        .order_by("agency__name")[:6]
    )
    heads: dict[int, object] = {}
    for i, report in enumerate(reports):
        head = _head_of(report.agency, heads)
        _fill(report, head, at=_at(5 + i, 6))
        report.refresh_from_db()
        services.report_submit(actor=head, report=report, now=_at(10 + i, 6, hour=15))
        if i % 2 == 0:
            report.refresh_from_db()
            services.report_accept(actor=coordinator, report=report, now=_at(20, 6))
