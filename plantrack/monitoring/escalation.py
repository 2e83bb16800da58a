"""Escalation to the UBND tỉnh, the last grade of urging (docs/design/urging.md): after reminders and urging
letters, the department lists the agencies still late or without a report, with how many times each was reminded
(from ``ReminderLog``) and urged by letter (from ``UrgingLetter.listed_agencies``), and sends that list up.

``escalation_rows`` reads; ``escalation_record`` is the one write (coordinators of the plan only), storing the
rows as they stood and every printed field; ``escalation_docx.py`` makes the Decree 30 document.
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plantrack.accounts.models import Role
from plantrack.accounts.permissions import is_coordinator_of, role_holders
from plantrack.documents.official import archive_line, header_body_name
from plantrack.orgs.models import Agency
from plantrack.reporting.models import ReportingCycle

from .letter import REASONS
from .models import EscalationRecord, ReminderLog, UrgingLetter
from .selectors import late_and_missing
from .services import MonitoringError, _abbreviation


@dataclass
class EscalationRow:
    agency_id: int
    name: str
    reason: str  # "missing", "returned" or "late" (as in urging letters)
    state_label: str
    reminders: int  # reminder steps sent to the agency for this cycle (each step counted once)
    letters: int  # urging letters that named the agency
    last_reminded: str  # dd/mm/yyyy of the last reminder, "" if none

    @property
    def urged(self) -> bool:
        return self.letters > 0


def escalation_rows(*, cycle: ReportingCycle, today: datetime.date) -> list[EscalationRow]:
    """The agencies an urging letter would name today, each with its reminder and letter counts. Three queries."""
    listed = late_and_missing(cycle=cycle, today=today)
    ids = [a["agency_id"] for a in listed]
    steps: dict[int, set] = defaultdict(set)
    last: dict[int, datetime.datetime] = {}
    for agency_id, due, offset, sent_at in ReminderLog.objects.filter(
        cycle=cycle, agency_id__in=ids
    ).values_list("agency_id", "due_date", "step_offset", "sent_at"):
        steps[agency_id].add((due, offset))
        if agency_id not in last or sent_at > last[agency_id]:
            last[agency_id] = sent_at
    letters: dict[int, int] = defaultdict(int)
    for named in UrgingLetter.objects.filter(cycle=cycle).values_list("listed_agencies", flat=True):
        for agency_id in {a.get("agency_id") for a in named or []}:
            letters[agency_id] += 1
    return [
        EscalationRow(
            agency_id=a["agency_id"],
            name=a["name"],
            reason=a["reason"],
            state_label=REASONS.get(a["reason"], ""),
            reminders=len(steps[a["agency_id"]]),
            letters=letters[a["agency_id"]],
            last_reminded=timezone.localtime(last[a["agency_id"]]).strftime("%d/%m/%Y")
            if a["agency_id"] in last
            else "",
        )
        for a in listed
    ]


def _default_body(cycle: ReportingCycle, rows: list[EscalationRow], today: datetime.date, note: str) -> str:
    plan = cycle.plan
    letters = UrgingLetter.objects.filter(cycle=cycle).count()
    urged = (
        _("đã %(n)s lần ban hành công văn đôn đốc") % {"n": letters}
        if letters
        else _("đã nhắc hạn qua hệ thống")
    )
    paragraphs = [
        _(
            "Thực hiện Kế hoạch số %(plan)s ngày %(date)s của %(issuer)s, %(dept)s đã đề nghị các cơ quan, đơn vị "
            "báo cáo kết quả thực hiện %(label)s trước ngày %(due)s. Đến ngày %(today)s, mặc dù %(dept)s %(urged)s, "
            "vẫn còn %(n)s cơ quan, đơn vị chậm hoặc chưa gửi báo cáo (danh sách dưới đây)."
        )
        % {
            "plan": plan.code,
            "date": plan.issued_on.strftime("%d/%m/%Y"),
            "issuer": plan.issuer.name,
            "dept": plan.coordinator_agency.name,
            "label": cycle.label,
            "due": cycle.due_date.strftime("%d/%m/%Y"),
            "today": today.strftime("%d/%m/%Y"),
            "urged": urged,
            "n": len(rows),
        },
        _(
            "%(dept)s kính báo cáo %(issuer)s xem xét, chỉ đạo các cơ quan, đơn vị nêu trên khẩn trương gửi báo cáo, "
            "bảo đảm thời hạn tổng hợp báo cáo chung của tỉnh."
        )
        % {"dept": plan.coordinator_agency.name, "issuer": plan.issuer.name},
    ]
    if note.strip():
        paragraphs.insert(1, note.strip())
    return "\n\n".join(paragraphs)


@transaction.atomic
def escalation_record(
    *,
    actor,
    cycle: ReportingCycle,
    agency_ids: list[int],
    today: datetime.date | None = None,
    number: str = "",
    note: str = "",
    is_demo: bool = False,
) -> EscalationRecord:
    """Record the coordinator's decision to report ``agency_ids`` (chosen among ``escalation_rows``) to the UBND
    tỉnh, with the document's fields filled from data."""
    if not is_coordinator_of(actor, cycle.plan):
        raise MonitoringError(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được báo cáo UBND tỉnh.")
        )
    today = today or timezone.localdate()
    rows = [r for r in escalation_rows(cycle=cycle, today=today) if r.agency_id in set(agency_ids)]
    if not rows:
        raise MonitoringError(_("Chọn ít nhất một đơn vị đang chậm hoặc chưa gửi báo cáo."))
    if len(rows) != len(set(agency_ids)):
        raise MonitoringError(
            _("Có đơn vị không còn chậm hoặc chưa gửi báo cáo; tải lại trang rồi chọn lại.")
        )
    plan = cycle.plan
    dept = plan.coordinator_agency
    unit = (actor.office_code or "").strip()
    symbol = _abbreviation(dept) or dept.display_short
    if unit:
        symbol = f"{symbol}-{unit}"
    record = EscalationRecord(
        cycle=cycle,
        listed=[asdict(r) for r in rows],
        decided_by=actor,
        decision_date=today,
        parent_body=header_body_name(dept.parent.name) if dept.parent_id else "",
        issuing_body=dept.name,
        number=number.strip(),
        symbol=symbol,
        place=plan.place,
        addressee=plan.issuer.name,
        subject=_(
            "V/v báo cáo danh sách cơ quan, đơn vị chậm, chưa báo cáo kết quả thực hiện Kế hoạch số %(plan)s"
        )
        % {"plan": plan.code},
        body=_default_body(cycle, rows, today, note),
        signer_authority=_("KT. GIÁM ĐỐC"),
        signer_title=_("PHÓ GIÁM ĐỐC"),
        recipients="\n".join(
            [
                _("- Như trên;"),
                _("- Lãnh đạo %(dept)s;") % {"dept": dept.display_short},
                f"- {archive_line(unit)}.",
            ]
        ),
        is_demo=is_demo,
    )
    record._history_user = actor
    record._change_reason = _("Báo cáo UBND tỉnh danh sách đơn vị chậm, chưa báo cáo")
    record.save()
    record.agencies.set(Agency.objects.filter(pk__in=[r.agency_id for r in rows]))
    return record


def escalation_demo_load() -> list[str]:
    """One escalation on the demo cycle (load_default): the agencies still without a report, decided by the demo
    coordinator. Loading twice adds nothing."""
    cycle = ReportingCycle.objects.filter(is_demo=True).select_related("plan").order_by("-year").first()
    if cycle is None:
        return []
    if EscalationRecord.objects.filter(cycle=cycle).exists():
        return ["Báo cáo UBND tỉnh đơn vị chậm (demo): đã có, giữ nguyên."]
    coordinator = (
        role_holders(Role.COORDINATOR, cycle.plan.coordinator_agency_id, plan=cycle.plan)
        .order_by("pk")
        .first()
    )
    today = max(timezone.localdate(), cycle.due_date + datetime.timedelta(days=15))
    rows = escalation_rows(cycle=cycle, today=today)
    if coordinator is None or not rows:
        return []
    record = escalation_record(
        actor=coordinator,
        cycle=cycle,
        agency_ids=[r.agency_id for r in rows if r.reason == "missing"][:10] or [rows[0].agency_id],
        today=today,
        is_demo=True,
    )
    return [f"Báo cáo UBND tỉnh đơn vị chậm (demo): {len(record.listed)} đơn vị."]
