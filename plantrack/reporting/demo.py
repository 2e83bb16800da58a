"""The demo cycle of ``make run``: plan 386/KH-UBND, year 2025, with agencies in every state.

Everything is made through the real services (with past ``now`` values), labelled "DỮ LIỆU DEMO" wherever it
shows (``ReportingCycle.is_demo``) and removed by ``demo_cycle_remove``. Agencies without a demo account get a
sign-in-less demo head ("demo-lanhdao-<id>", unusable password) so their reports can be sent.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from plantrack.accounts.models import Role
from plantrack.accounts.permissions import role_holders
from plantrack.notifications.models import Notification
from plantrack.notifications.services import mail_suppressed
from plantrack.plans.models import Plan, Recurrence, Task
from plantrack.plans.services import task_deadline_change

from . import services
from .facts import DocumentIn, EntryFacts, EventIn, FundingIn, ProposalIn
from .models import (
    Addressee,
    AdHocRequest,
    AgencyReport,
    EntryStatus,
    EventKind,
    Evidence,
    ReportEntry,
    ReportingCycle,
    ReportState,
)

DEMO_PREFIX = "demo-lanhdao-"
VN = datetime.timezone(datetime.timedelta(hours=7))


class DemoError(Exception):
    pass


def _at(day: int, month: int = 11, hour: int = 9, minute: int = 0, year: int = 2025) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=VN)


RESULTS = {
    EntryStatus.CONTINUING: (
        "Đã ban hành văn bản triển khai; tổ chức {n} hội nghị quán triệt, tuyên truyền với khoảng "
        "{m} lượt cán bộ, công chức, viên chức tham dự. Nhiệm vụ tiếp tục thực hiện thường xuyên."
    ),
    EntryStatus.IN_PROGRESS: (
        "Đang phối hợp xây dựng đề án; đã hoàn thành khảo sát, tổng hợp {n} ý kiến góp ý của các đơn "
        "vị liên quan, dự kiến trình trong quý I năm sau."
    ),
    EntryStatus.DONE: "Đã hoàn thành: ban hành {n} văn bản hướng dẫn, bố trí {m} triệu đồng từ ngân sách sự nghiệp KH&CN.",
    EntryStatus.NOT_STARTED: "",
}
STATUS_CYCLE = [EntryStatus.CONTINUING, EntryStatus.IN_PROGRESS, EntryStatus.DONE, EntryStatus.CONTINUING]


def _fill(
    report: AgencyReport, actor, *, at, complete: bool = True, proposals: list | None = None
) -> AgencyReport:
    entries = {}
    for i, e in enumerate(report.entries.order_by("order")):
        if not complete and i % 2:
            continue
        status = STATUS_CYCLE[(i + report.agency_id) % len(STATUS_CYCLE)]
        entries[e.pk] = {
            "status": status,
            "results": RESULTS[status].format(n=2 + (i + report.agency_id) % 5, m=120 + 35 * i),
            "difficulties": "Kinh phí bố trí còn hạn chế." if i % 3 == 0 else "",
        }
    report.refresh_from_db()
    return services.report_save_draft(
        actor=actor,
        report=report,
        version=report.version,
        now=at,
        data_as_of=datetime.date(2025, 11, 30),
        entries=entries,
        sections={
            "main_results": "Triển khai kịp thời Kế hoạch 386/KH-UBND; nhận thức của cán bộ về vai trò của khoa học, "
            "công nghệ và đổi mới sáng tạo được nâng lên."
            if complete
            else "",
            "shortcomings": "Nguồn lực tài chính và nhân lực chuyên trách còn thiếu; phối hợp giữa các đơn vị có lúc "
            "chưa chặt chẽ."
            if complete
            else "",
            "next_year": "Tiếp tục thực hiện các nhiệm vụ thường xuyên; hoàn thành các đề án còn dở dang."
            if complete
            else "",
        },
        facts=_facts(report, entries) if complete else None,
        proposals=(proposals or PROPOSALS[report.agency_id % len(PROPOSALS)]) if complete else None,
    )


# Proposals of the demo reports: to the UBND tỉnh, to a Ministry, and to the department itself (answered by it,
# never forwarded).
PROPOSALS = [
    [
        ProposalIn(
            Addressee.PROVINCE,
            "Bố trí kinh phí sự nghiệp khoa học và công nghệ năm 2026 cho các nhiệm vụ chuyển đổi số cấp tỉnh.",
        ),
        ProposalIn(
            Addressee.DEPARTMENT, "Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn về chuyển đổi số."
        ),
    ],
    [
        ProposalIn(
            Addressee.MINISTRY,
            "Sớm ban hành hướng dẫn cơ chế thử nghiệm có kiểm soát đối với công nghệ mới.",
            addressee_name="Bộ Khoa học và Công nghệ",
        ),
        ProposalIn(
            Addressee.PROVINCE,
            "Bố trí kinh phí sự nghiệp khoa học và công nghệ năm 2026 cho các nhiệm vụ chuyển đổi số cấp tỉnh.",
        ),
    ],
    [
        ProposalIn(
            Addressee.PROVINCE,
            "Ban hành cơ chế khuyến khích doanh nghiệp đầu tư cho nghiên cứu, đổi mới sáng tạo.",
        ),
    ],
]


def _facts(report: AgencyReport, entries: dict) -> dict[int, EntryFacts]:
    """Documents, events and funding for the demo entries, varied by agency and task."""
    facts = {}
    for i, entry_id in enumerate(sorted(entries)):
        n = (i + report.agency_id) % 4
        facts[entry_id] = EntryFacts(
            documents=tuple(
                DocumentIn(
                    f"{100 + 7 * i + k}/KH-{report.agency_id}",
                    datetime.date(2025, 2 + (i + k) % 9, 3 + k),
                    f"triển khai nhiệm vụ của Kế hoạch 386/KH-UBND năm 2025 (văn bản {k + 1})",
                )
                for k in range(1 + n % 2)
            ),
            events=(EventIn(EventKind.TRAINING if n % 2 else EventKind.CONFERENCE, 1 + n, 60 + 40 * n),)
            if n
            else (),
            funding=(
                FundingIn(
                    2025,
                    provincial=Decimal(150 + 50 * n),
                    central=Decimal(100 * (n % 2)),
                    other=Decimal(25 * n),
                    spent=Decimal(120 + 40 * n),
                ),
            )
            if n != 1
            else (),
        )
    return facts


def _pdf(title: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% DU LIEU DEMO: " + title.encode("ascii", "ignore") + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _head_of(agency, heads: dict[int, object]):
    if agency.pk in heads:
        return heads[agency.pk]
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=f"{DEMO_PREFIX}{agency.pk}",
        defaults={
            "full_name": f"Lãnh đạo {agency.display_short} (demo)",
            "role": Role.HEAD,
            "agency": agency,
            "is_demo": True,
        },
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    heads[agency.pk] = user
    return user


@transaction.atomic
def demo_cycle_load(*, plan_code: str = "386/KH-UBND", year: int = 2025) -> tuple[ReportingCycle, bool]:
    """Create the demo cycle unless it exists. Returns ``(cycle, created)``."""
    plan = Plan.objects.by_code(plan_code).first()
    if plan is None:
        raise DemoError(f"Chưa có Kế hoạch {plan_code}: chạy `manage.py load_default` trước.")
    existing = ReportingCycle.objects.filter(plan=plan, year=year, period_type="yearly").first()
    if existing is not None:
        if not existing.is_demo:
            raise DemoError(
                f"Kỳ báo cáo {year} của Kế hoạch {plan_code} là dữ liệu thật; không nạp dữ liệu demo."
            )
        return existing, False
    coordinator = (
        role_holders(Role.COORDINATOR, plan.coordinator_agency_id, plan=plan)
        .order_by("-is_demo", "pk")
        .first()
    )
    if coordinator is None:
        raise DemoError(
            "Chưa có tài khoản điều phối của cơ quan theo dõi kế hoạch (tài khoản demo “dieuphoi”)."
        )
    with mail_suppressed():
        cycle = services.cycle_open(
            actor=coordinator,
            plan=plan,
            year=year,
            is_demo=True,
            now=_at(3),
            note="DỮ LIỆU DEMO — kỳ báo cáo dùng thử.",
        )
        _play(cycle, coordinator)
    demo_deadlines_load(plan=plan)
    return cycle, True


# Plan 386 gives every task as continuous; the demo gives a few of them a deadline so every timeliness state shows
# (docs/design/task-timeliness.md). Each change is in the task's history with this reason, and undone by
# ``demo_cycle_remove``. Dates relative to today keep "due soon" and "not yet due" true whenever the demo loads.
DEMO_DEADLINE_REASON = "DỮ LIỆU DEMO — thời hạn dùng thử"


def _demo_deadlines(today: datetime.date) -> list[datetime.date]:
    return [
        datetime.date(2025, 6, 30),  # before the 2025 reports: "done" is late, the rest overdue
        datetime.date(2025, 12, 31),  # after them: "done" is on time, the rest overdue
        today + datetime.timedelta(days=20),  # due soon
        today + datetime.timedelta(days=200),  # not yet due
    ]


def demo_deadlines_load(*, plan: Plan) -> int:
    """Give the first continuous tasks of ``plan`` the demo deadlines; the number of tasks changed."""
    continuous = list(plan.tasks.filter(recurrence=Recurrence.CONTINUOUS).order_by("order"))
    # The past deadlines go to tasks some agency reported done in an accepted demo report (so "done late" and
    # "done on time" show next to "overdue"), the others to the first remaining tasks.
    done = set(
        ReportEntry.objects.filter(
            task__plan=plan, status=EntryStatus.DONE, report__state=ReportState.ACCEPTED
        ).values_list("task_id", flat=True)
    )
    first = [t for t in continuous if t.pk in done][:2]
    tasks = first + [t for t in continuous if t not in first]
    deadlines = _demo_deadlines(timezone.localdate())
    for task, deadline in zip(tasks, deadlines, strict=False):
        task_deadline_change(actor=None, task=task, deadline=deadline, reason=DEMO_DEADLINE_REASON)
    return min(len(tasks), len(deadlines))


def demo_deadlines_remove() -> int:
    """Put back what the tasks were before the demo gave them a deadline; the number of tasks restored."""
    restored = 0
    changed = Task.history.filter(history_change_reason=DEMO_DEADLINE_REASON).values_list("id", flat=True)
    for task in Task.objects.filter(pk__in=set(changed)):
        latest = task.history.order_by("-history_date", "-history_id").first()
        if latest.history_change_reason != DEMO_DEADLINE_REASON or latest.prev_record is None:
            continue  # changed by someone since: theirs to keep
        before = latest.prev_record
        task_deadline_change(
            actor=None,
            task=task,
            deadline=before.deadline,
            recurrence=before.recurrence,
            reason="Xóa DỮ LIỆU DEMO",
        )
        restored += 1
    return restored


def _play(cycle: ReportingCycle, coordinator) -> None:
    User = get_user_model()
    reports = list(
        AgencyReport.objects.filter(cycle=cycle)
        .select_related("agency", "cycle__plan")
        .order_by("agency__name")
    )
    by_name = {r.agency.name: r for r in reports}
    heads: dict[int, object] = {}
    for u in User.objects.filter(role=Role.HEAD, agency__in=[r.agency for r in reports], is_active=True):
        heads.setdefault(u.agency_id, u)
    reporters = {u.agency_id: u for u in User.objects.filter(role=Role.REPORTER, is_active=True)}

    # The agencies of the demo accounts are left for the visitor to play with.
    stc, snv = by_name.get("Sở Tài chính"), by_name.get("Sở Nội vụ")
    if stc is not None:
        _fill(stc, reporters.get(stc.agency_id) or _head_of(stc.agency, heads), at=_at(20), complete=False)
    if snv is not None:
        actor = reporters.get(snv.agency_id) or _head_of(snv.agency, heads)
        _fill(snv, actor, at=_at(24))
        services.report_submit(actor=_head_of(snv.agency, heads), report=snv, now=_at(28, hour=15))
        snv.refresh_from_db()
        first = snv.entries.order_by("order").first()
        services.report_return(
            actor=coordinator,
            report=snv,
            now=_at(2, month=12),
            comment="Đề nghị bổ sung số liệu cụ thể (số hội nghị, số lượt người tham dự) và "
            "minh chứng kèm theo.",
            entry_comments={first.pk: "Nêu rõ số văn bản đã ban hành và thời gian ban hành."},
        )

    # The department in charge reports on the tasks it leads like any agency; in the demo its report is accepted,
    # so the consolidated report shows its results (issue 12 point 5).
    own = next((r for r in reports if r.agency_id == cycle.plan.coordinator_agency_id), None)
    if own is not None:
        head = _head_of(own.agency, heads)
        _fill(
            own,
            reporters.get(own.agency_id) or head,
            at=_at(21),
            # The department's own proposals go to the body above it, never to itself.
            proposals=[
                ProposalIn(
                    Addressee.PROVINCE,
                    "Bố trí kinh phí sự nghiệp khoa học và công nghệ năm sau cho các nhiệm vụ chuyển đổi số của Kế "
                    "hoạch.",
                )
            ],
        )
        services.report_submit(actor=head, report=own, now=_at(26, hour=10))
        own.refresh_from_db()
        services.report_accept(actor=coordinator, report=own, now=_at(27, hour=9))

    others = [r for r in reports if r not in (stc, snv, own)]
    plan_states = [
        "accepted",
        "accepted",
        "accepted",
        "submitted",
        "submitted",
        "late",
        "accepted_late",
        "returned",
        "draft",
    ]
    for i, report in enumerate(others[: len(plan_states) * 2]):
        state = plan_states[i % len(plan_states)]
        head = _head_of(report.agency, heads)
        if state == "draft":
            _fill(report, head, at=_at(18), complete=False)
            continue
        _fill(report, head, at=_at(10 + i % 10))
        first = report.entries.order_by("order").first()
        if first is not None and i % 2 == 0:
            services.evidence_add_file(
                actor=head,
                report=report,
                entry=first,
                upload=ContentFile(_pdf(report.agency.name), name="bao-cao-ket-qua.pdf"),
                title="Báo cáo kết quả (DỮ LIỆU DEMO)",
            )
        late = state in ("late", "accepted_late")
        when = _at(8, month=12, hour=10) if late else _at(25 + i % 5, hour=14)
        services.report_submit(actor=head, report=report, now=when)
        report.refresh_from_db()
        if state.startswith("accepted"):
            items = list(report.proposal_items.all())
            services.proposals_decide(
                actor=coordinator,
                report=report,
                include=[p.pk for p in items if p.is_higher],
                answers={
                    p.pk: "Sở sẽ tổ chức lớp tập huấn trong quý I năm 2026." for p in items if not p.is_higher
                },
                now=when + datetime.timedelta(days=2),
            )
            services.report_accept(actor=coordinator, report=report, now=when + datetime.timedelta(days=2))
        elif state == "returned":
            services.report_return(
                actor=coordinator,
                report=report,
                now=when + datetime.timedelta(days=1),
                comment="Báo cáo chưa đánh giá tồn tại, hạn chế; đề nghị bổ sung.",
            )


@transaction.atomic
def demo_cycle_remove() -> dict[str, int]:
    """Remove every demo cycle with its reports, files, notifications, history rows and sign-in-less demo heads."""
    cycles = list(ReportingCycle.objects.filter(is_demo=True))
    counts = {"cycles": len(cycles), "reports": 0, "files": 0}
    ids = [c.pk for c in cycles]
    files = list(
        Evidence.objects.filter(report__cycle_id__in=ids).exclude(file="").values_list("file", flat=True)
    )
    counts["reports"] = AgencyReport.objects.filter(cycle_id__in=ids).count()
    report_ids = list(AgencyReport.objects.filter(cycle_id__in=ids).values_list("pk", flat=True))
    requests = [c.ad_hoc_request_id for c in cycles if c.ad_hoc_request_id]
    for cycle in cycles:
        cycle.delete()
    AdHocRequest.objects.filter(pk__in=requests).delete()
    AgencyReport.history.filter(cycle_id__in=ids).delete()
    ReportEntry.history.filter(report_id__in=report_ids).delete()
    ReportingCycle.history.filter(id__in=ids).delete()
    counts["notifications"] = Notification.objects.filter(is_demo=True).delete()[0]
    counts["deadlines"] = demo_deadlines_remove()
    counts["users"] = (
        get_user_model().objects.filter(username__startswith=DEMO_PREFIX, is_demo=True).delete()[0]
    )
    if files:
        from django.core.files.storage import default_storage

        def drop():
            for name in files:
                default_storage.delete(name)

        transaction.on_commit(drop)
        counts["files"] = len(files)
    return counts
