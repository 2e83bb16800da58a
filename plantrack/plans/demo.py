"""The demo amendment of plan 386 (DỮ LIỆU DEMO), loaded by ``load_default`` with the other demo data: one applied
amendment that adds a task to Sở Tài chính, cancels one and gives another a deadline, so a visitor sees the plan
page "as amended" and the closed and added entries of the open demo cycles. Idempotent (by the document's number)."""

import datetime

from django.db import transaction

from plantrack.orgs.models import Agency

from .amendments import amendment_apply, amendment_change_add, amendment_create
from .models import Amendment, ChangeKind, Plan

DEMO_NUMBER = "150/KH-UBND"


@transaction.atomic
def demo_amendment_load(*, plan_code: str = "386/KH-UBND") -> Amendment | None:
    """Create and apply the demo amendment unless the plan already has it; returns it when created, else None."""
    plan = Plan.objects.by_code(plan_code).first()
    if plan is None or Amendment.objects.filter(plan=plan, number=DEMO_NUMBER).exists():
        return None
    finance = Agency.objects.filter(name="Sở Tài chính").first()
    group = plan.task_groups.filter(code="III.2").first()
    cancelled = plan.tasks.filter(code="III.1.c").first()
    moved = plan.tasks.filter(code="III.4.c").first()
    if not (finance and group and cancelled and moved):
        return None
    amendment = amendment_create(
        actor=None,
        plan=plan,
        number=DEMO_NUMBER,
        issued_on=datetime.date(2026, 5, 25),
        issuer="Ủy ban nhân dân tỉnh Đồng Nai",
        title=f"Sửa đổi, bổ sung một số nội dung Kế hoạch số {plan.code} (DỮ LIỆU DEMO)",
        effective_on=datetime.date(2026, 6, 1),
    )
    amendment_change_add(
        actor=None,
        amendment=amendment,
        kind=ChangeKind.TASK_ADD,
        payload={
            "group": group.code,
            "code": "III.2.e",
            "text": (
                "Sở Tài chính tham mưu UBND tỉnh bố trí kinh phí sự nghiệp khoa học và công nghệ, đổi mới sáng tạo "
                "và chuyển đổi số hằng năm bảo đảm tối thiểu theo quy định."
            ),
            "deadline": "2026-12-31",
            "leads": [finance.pk],
        },
    )
    amendment_change_add(actor=None, amendment=amendment, kind=ChangeKind.TASK_CANCEL, task=cancelled)
    amendment_change_add(
        actor=None,
        amendment=amendment,
        kind=ChangeKind.TASK_CHANGE,
        task=moved,
        payload={"deadline": "2026-12-31"},
    )
    return amendment_apply(actor=None, amendment=amendment)
