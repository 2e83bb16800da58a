"""The demo inspection of ``make run`` (called by ``load_default``): plan 386/KH-UBND's 2025 inspection plan, one
visit to Sở Tài chính with its findings, one recommendation answered and closed, one still open and overdue.

Made through the real services with past ``now`` values, marked ``is_demo``; loading twice adds nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from plantrack.accounts.models import Role
from plantrack.notifications.services import mail_suppressed
from plantrack.orgs.models import Agency
from plantrack.plans.models import Plan

from . import services
from .models import InspectionPlan

VN = datetime.timezone(datetime.timedelta(hours=7))


def _at(day: int, month: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, 0, tzinfo=VN)


@transaction.atomic
def inspection_demo_load(*, plan_code: str = "386/KH-UBND") -> list[str]:
    number, _, symbol = plan_code.partition("/")
    plan = Plan.objects.filter(number=number, symbol=symbol).select_related("coordinator_agency").first()
    if plan is None:
        return [f"Kiểm tra demo: không có Kế hoạch {plan_code}, bỏ qua."]
    if InspectionPlan.objects.filter(plan=plan, is_demo=True).exists():
        return ["Kiểm tra, giám sát demo: đã có, giữ nguyên."]
    User = get_user_model()
    coordinator = User.objects.filter(
        role=Role.COORDINATOR, agency=plan.coordinator_agency, is_active=True
    ).first()
    agencies = {a.name: a for a in Agency.objects.filter(name__in=["Sở Tài chính", "Sở Nội vụ"])}
    stc = agencies.get("Sở Tài chính")
    if coordinator is None or stc is None:
        return ["Kiểm tra demo: thiếu tài khoản điều phối hoặc Sở Tài chính, bỏ qua."]
    reporter = User.objects.filter(role__in=[Role.REPORTER, Role.HEAD], agency=stc, is_active=True).first()
    with mail_suppressed():
        inspection = services.inspection_plan_create(
            actor=coordinator,
            plan=plan,
            agencies=list(agencies.values()),
            is_demo=True,
            year=2025,
            title=f"Kiểm tra việc thực hiện Kế hoạch số {plan.code} năm 2025 (DỮ LIỆU DEMO)",
            number="45/KH-SKHCN",
            document_date=datetime.date(2025, 3, 14),
            scope=(
                "Kiểm tra việc ban hành văn bản triển khai, bố trí kinh phí và kết quả thực hiện các nhiệm vụ "
                "được giao tại Kế hoạch; việc chấp hành chế độ báo cáo."
            ),
            team_lead="Phó Giám đốc Sở Khoa học và Công nghệ",
            team_members="Trưởng phòng Quản lý khoa học\nChuyên viên phòng Kế hoạch - Tài chính",
        )
        visit = services.visit_create(
            actor=coordinator,
            inspection=inspection,
            agency=stc,
            start_date=datetime.date(2025, 9, 10),
            end_date=datetime.date(2025, 9, 11),
            findings=(
                "Đơn vị đã ban hành kế hoạch triển khai và phân công đầu mối theo dõi. Chưa tổng hợp số liệu chi "
                "ngân sách cho khoa học, công nghệ theo nguồn; báo cáo định kỳ còn chậm so với thời hạn."
            ),
        )
        closed = services.recommendation_issue(
            actor=coordinator,
            visit=visit,
            text="Phân công đầu mối tổng hợp báo cáo định kỳ và gửi đúng thời hạn",
            deadline=datetime.date(2025, 10, 31),
            is_demo=True,
            now=_at(15, 9),
        )
        if reporter is not None:
            services.recommendation_respond(
                actor=reporter,
                recommendation=closed,
                text="Đã ban hành quyết định phân công đầu mối (Quyết định số 210/QĐ-STC ngày 20/10/2025).",
                now=_at(20, 10),
                is_demo=True,
            )
        services.recommendation_close(
            actor=coordinator, recommendation=closed, comment="Đơn vị đã khắc phục.", now=_at(27, 10)
        )
        services.recommendation_issue(
            actor=coordinator,
            visit=visit,
            text="Tổng hợp số liệu chi ngân sách cho khoa học, công nghệ năm 2025 theo từng nguồn",
            deadline=datetime.date(2025, 11, 30),
            is_demo=True,
            now=_at(15, 9),
        )
    return ["Kiểm tra, giám sát demo: 1 kế hoạch kiểm tra, 1 đợt kiểm tra, 2 kiến nghị (1 đã đóng)."]
