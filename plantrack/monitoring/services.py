"""Writes of monitoring: the reminder schedule, sending reminders, and urging letters.

Reminders (docs/design/urging.md): ``reminders_due`` says what the schedule asks for on a day; ``reminders_send``
sends it, one agency per transaction. Each agency's log rows are inserted *before* its notifications, under a
unique constraint per step × agency × recipient, so a second run — or a concurrent one — fails on the insert,
rolls its transaction back and sends nothing; e-mails leave only when the transaction commits.
"""

import contextlib
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plantrack.accounts.models import AGENCY_ROLES, Role
from plantrack.accounts.permissions import is_coordinator_of, role_holders_by_agency
from plantrack.core.i18n import in_office_language
from plantrack.core.text import vi_sort_key
from plantrack.core.versions import bump
from plantrack.documents.official import archive_line, header_body_name
from plantrack.notifications.services import mail_suppressed, notify
from plantrack.reporting.models import AgencyReport, ReportingCycle, ReportState

from .cache_versions import cycle_key
from .models import ADDRESSEE_CLASS, ReminderLog, ReminderSchedule, UrgingLetter
from .schedule import MAX_OFFSET, ScheduleRule, Step
from .selectors import STATES, late_and_missing, report_state, schedule_for


class MonitoringError(Exception):
    """A refused action; ``str(error)`` is the Vietnamese message shown to the user."""


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- schedule ---------------------------------------------------------------------------------------------------


def _clean_days(values, *, label: str) -> list[int]:
    days = []
    for value in values:
        try:
            day = int(value)
        except (TypeError, ValueError):
            raise MonitoringError(
                _("%(label)s: “%(v)s” không phải là số ngày.") % {"label": label, "v": value}
            ) from None
        if not 0 <= day <= MAX_OFFSET:
            raise MonitoringError(
                _("%(label)s: số ngày phải từ 0 đến %(max)s.") % {"label": label, "max": MAX_OFFSET}
            )
        days.append(day)
    return sorted(set(days), reverse=True)


@transaction.atomic
def reminder_schedule_update(
    *,
    actor,
    cycle: ReportingCycle,
    days_before,
    days_after,
    repeat_every_days: int,
    repeat_limit: int = 0,
    is_active: bool = True,
) -> ReminderSchedule:
    """Save the cycle's schedule. ``days_before`` counts days before the due date (0: the due date itself),
    ``days_after`` days after it; ``repeat_every_days`` repeats the last urging (0: never)."""
    if not is_coordinator_of(actor, cycle.plan):
        raise MonitoringError(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được sửa lịch nhắc hạn.")
        )
    before = _clean_days(days_before, label=_("Nhắc trước hạn"))
    after = [d for d in _clean_days(days_after, label=_("Đôn đốc sau hạn")) if d > 0]
    if not 0 <= int(repeat_every_days) <= 365:
        raise MonitoringError(_("Chu kỳ nhắc lại phải từ 0 đến 365 ngày."))
    if not 0 <= int(repeat_limit) <= 100:
        raise MonitoringError(_("Số lần nhắc lại tối đa phải từ 0 đến 100."))
    if not before and not after and not repeat_every_days:
        raise MonitoringError(_("Lịch nhắc hạn cần ít nhất một bước; muốn dừng nhắc, hãy tắt lịch."))
    schedule, _created = ReminderSchedule.objects.get_or_create(cycle=cycle)
    schedule.days_before, schedule.days_after = before, sorted(after)
    schedule.repeat_every_days, schedule.repeat_limit = int(repeat_every_days), int(repeat_limit)
    schedule.is_active, schedule.updated_by = bool(is_active), actor
    schedule._change_reason = _("Sửa lịch nhắc hạn")
    schedule._history_user = actor
    schedule.save()
    return schedule


# --- reminders --------------------------------------------------------------------------------------------------


@dataclass
class Recipient:
    key: str
    name: str
    email: str
    user: object = None
    role: str = ""


@dataclass
class PlannedReminder:
    """One agency's reminder for one step: what would be sent, and to whom."""

    cycle: ReportingCycle
    report: AgencyReport
    step: Step
    state: str
    recipients: list[Recipient]
    subject: str
    body: str
    url: str

    @property
    def agency(self):
        return self.report.agency

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


@dataclass
class SendResult:
    cycle: ReportingCycle
    today: datetime.date
    step: Step | None
    planned: list[PlannedReminder] = field(default_factory=list)
    sent: list[PlannedReminder] = field(default_factory=list)
    already_sent: list[PlannedReminder] = field(default_factory=list)  # lost the race to a concurrent run
    dry_run: bool = False

    @property
    def without_recipient(self) -> list[PlannedReminder]:
        return [p for p in self.planned if not p.recipients]

    @property
    def messages(self) -> int:
        return sum(len(p.recipients) for p in self.sent)


@in_office_language
def _message(*, cycle: ReportingCycle, report: AgencyReport, step: Step, state: str) -> tuple[str, str]:
    """Subject and body of one reminder, firmer at each grade of the schedule."""
    plan = cycle.plan
    demo = "[DỮ LIỆU DEMO] " if cycle.is_demo else ""
    values = {
        "year": cycle.year,
        "plan": plan.code,
        "due": _fmt(cycle.due_date),
        "agency": report.agency.name,
        "dept": plan.coordinator_agency.name,
        "issuer": plan.issuer.name,
        "state": str(STATES[state]).lower(),
    }
    if step.offset < 0:
        days = -step.offset
        subject = ngettext(
            "Nhắc hạn: còn %(n)s ngày gửi báo cáo năm %(year)s — Kế hoạch %(plan)s",
            "Nhắc hạn: còn %(n)s ngày gửi báo cáo năm %(year)s — Kế hoạch %(plan)s",
            days,
        )
        subject %= {**values, "n": days}
        body = (
            _(
                "Kính gửi %(agency)s.\n\nHạn gửi báo cáo kết quả thực hiện Kế hoạch %(plan)s năm %(year)s về "
                "%(dept)s là ngày %(due)s. Báo cáo của đơn vị hiện ở trạng thái: %(state)s. Đề nghị đơn vị hoàn thành "
                "và gửi báo cáo đúng hạn."
            )
            % values
        )
    elif step.offset == 0:
        subject = _("Hôm nay (%(due)s) là hạn gửi báo cáo năm %(year)s — Kế hoạch %(plan)s") % values
        body = (
            _(
                "Kính gửi %(agency)s.\n\nHôm nay là hạn gửi báo cáo kết quả thực hiện Kế hoạch %(plan)s năm %(year)s "
                "về %(dept)s. Báo cáo của đơn vị hiện ở trạng thái: %(state)s. Đề nghị đơn vị gửi báo cáo trong ngày."
            )
            % values
        )
    else:
        days = step.offset
        values["n"] = days
        if step.grade == 1:
            subject = _("Đôn đốc: báo cáo năm %(year)s — Kế hoạch %(plan)s đã quá hạn") % values
        else:
            subject = ngettext(
                "Đôn đốc lần %(k)s: báo cáo năm %(year)s — Kế hoạch %(plan)s quá hạn %(n)s ngày",
                "Đôn đốc lần %(k)s: báo cáo năm %(year)s — Kế hoạch %(plan)s quá hạn %(n)s ngày",
                days,
            )
            subject %= {**values, "k": step.repeat + 1}
        if state == "returned":
            situation = _("báo cáo của đơn vị đã bị trả lại để chỉnh sửa và chưa được gửi lại")
        else:
            situation = _("%(dept)s chưa nhận được báo cáo của đơn vị") % values
        body = ngettext(
            "Kính gửi %(agency)s.\n\nHạn gửi báo cáo kết quả thực hiện Kế hoạch %(plan)s năm %(year)s là ngày %(due)s; "
            "đã quá hạn %(n)s ngày nhưng %(situation)s. Đề nghị đơn vị khẩn trương hoàn thành và gửi báo cáo.",
            "Kính gửi %(agency)s.\n\nHạn gửi báo cáo kết quả thực hiện Kế hoạch %(plan)s năm %(year)s là ngày %(due)s; "
            "đã quá hạn %(n)s ngày nhưng %(situation)s. Đề nghị đơn vị khẩn trương hoàn thành và gửi báo cáo.",
            days,
        ) % {**values, "situation": situation}
        if step.grade >= 2:
            body += (
                " "
                + _(
                    "%(dept)s sẽ có công văn đôn đốc và tổng hợp, báo cáo %(issuer)s danh sách các đơn vị chậm "
                    "báo cáo."
                )
                % values
            )
    return demo + subject, body


def _recipients_by_agency(agency_ids) -> dict[int, list[Recipient]]:
    """The active reporters and heads of each agency, by their primary role or an extra membership; each person
    once per agency."""
    holders = role_holders_by_agency(AGENCY_ROLES, agency_ids)
    return {
        agency_id: [
            Recipient(
                key=f"user:{u.pk}",
                name=u.display_name,
                email=u.email or "",
                user=u,
                role=str(Role(role).label),
            )
            for u, role in people
        ]
        for agency_id, people in holders.items()
    }


def reminders_due(*, cycle: ReportingCycle, today: datetime.date) -> list[PlannedReminder]:
    """What the schedule asks to send for ``cycle`` on ``today``: the current step (if any) to every agency that
    still owes its report (never sent, or returned) and has not yet been sent that step. Recipients are the
    agency's active reporters and heads; an agency with no account but a mailbox gets an e-mail there. A fixed
    number of queries whatever the number of agencies."""
    if not cycle.is_open:
        return []
    _schedule, rule = schedule_for(cycle)
    step = rule.current_step(due_date=cycle.due_date, today=today)
    if step is None:
        return []
    done = set(
        ReminderLog.objects.filter(cycle=cycle, due_date=cycle.due_date, step_offset=step.offset).values_list(
            "agency_id", flat=True
        )
    )
    reports = [
        r
        for r in AgencyReport.objects.filter(
            cycle=cycle, state__in=[ReportState.DRAFT, ReportState.RETURNED]
        ).select_related("agency")
        if r.agency_id not in done
    ]
    reports.sort(key=lambda r: vi_sort_key(r.agency.name))  # as people read, not by code point
    people = _recipients_by_agency({r.agency_id for r in reports})
    planned = []
    for report in reports:
        state = report_state(report, due_date=cycle.due_date, today=today)
        recipients = people[report.agency_id]
        if not recipients and report.agency.email:
            recipients = [
                Recipient(
                    key=f"email:{report.agency.email.lower()}",
                    name=report.agency.name,
                    email=report.agency.email,
                )
            ]
        subject, body = _message(cycle=cycle, report=report, step=step, state=state)
        planned.append(
            PlannedReminder(
                cycle=cycle,
                report=report,
                step=step,
                state=state,
                recipients=recipients,
                subject=subject,
                body=body,
                url=reverse("reporting:report_detail", args=[report.pk]),
            )
        )
    return planned


def _dispatch(item: PlannedReminder, *, actor, now: datetime.datetime) -> bool:
    """Send one agency's reminder in its own transaction. False when the step was already logged for one of its
    recipients (a concurrent or repeated run): nothing is then written or sent."""
    cycle = item.cycle
    try:
        with transaction.atomic():
            ReminderLog.objects.bulk_create(
                [
                    ReminderLog(
                        cycle=cycle,
                        agency_id=item.report.agency_id,
                        report=item.report,
                        due_date=cycle.due_date,
                        step_offset=item.step.offset,
                        step_day=item.step.day,
                        recipient=r.user,
                        recipient_key=r.key[:280],
                        recipient_name=r.name[:255],
                        email=r.email[:254],
                        report_state=item.state,
                        subject=item.subject[:255],
                        sent_at=now,
                        sent_by=actor,
                        is_demo=cycle.is_demo,
                    )
                    for r in item.recipients
                ]
            )
            bump(cycle_key(cycle.pk))  # bulk_create sends no post_save: the dashboard shows the last reminder
            suppress = mail_suppressed() if cycle.is_demo else contextlib.nullcontext()
            with suppress:
                notify(
                    recipients=[r.user for r in item.recipients if r.user is not None],
                    subject=item.subject,
                    body=item.body,
                    url=item.url,
                    is_demo=cycle.is_demo,
                )
            mailboxes = [r.email for r in item.recipients if r.user is None and r.email]
            if mailboxes and not cycle.is_demo:
                site = settings.PLANTRACK_SITE_URL.rstrip("/")
                text = item.body + (f"\n\n{site}{item.url}" if site else "")
                messages = [
                    (item.subject, text, settings.DEFAULT_FROM_EMAIL, [address]) for address in mailboxes
                ]
                transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    except IntegrityError:
        return False
    return True


def reminders_send(
    *,
    cycle: ReportingCycle,
    today: datetime.date,
    dry_run: bool = False,
    actor=None,
    now: datetime.datetime | None = None,
) -> SendResult:
    """Send what ``reminders_due`` lists (in-app notification + e-mail on commit), logging one row per
    recipient. ``dry_run`` computes exactly the same list and writes and sends nothing. ``actor`` is the
    coordinator who pressed "send now", or None for the scheduled job. Agencies without any recipient are listed
    in the result and not logged, so they show again until someone can be reached (or a letter is sent)."""
    if actor is not None and not is_coordinator_of(actor, cycle.plan):
        raise MonitoringError(_("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được gửi nhắc hạn."))
    planned = reminders_due(cycle=cycle, today=today)
    _schedule, rule = schedule_for(cycle)
    result = SendResult(
        cycle=cycle,
        today=today,
        step=rule.current_step(due_date=cycle.due_date, today=today),
        planned=planned,
        dry_run=dry_run,
    )
    if dry_run:
        return result
    now = now or timezone.now()
    for item in planned:
        if not item.recipients:
            continue
        if _dispatch(item, actor=actor, now=now):
            result.sent.append(item)
        else:
            result.already_sent.append(item)
    return result


# --- urging letters ---------------------------------------------------------------------------------------------


def _abbreviation(agency) -> str:
    """The agency's symbol for document numbers: its first abbreviation without spaces or "&" ("SKHCN")."""
    for abbr in agency.abbreviation_list():
        if abbr.replace("-", "").isalnum() and abbr.isascii():
            return abbr
    return ""


def _numbered(names: list[str]) -> str:
    return "\n".join(
        f"{i}. {name};" if i < len(names) else f"{i}. {name}." for i, name in enumerate(names, 1)
    )


# More addressees than this, and "Kính gửi" names them as a class with the list in the letter's appendix.
LIST_IN_APPENDIX_OVER = 5


def contact_line(user) -> str:
    """ "Thông tin chi tiết xin liên hệ: Nguyễn Văn A, điện thoại: 0251 …, thư điện tử: a@… ." from the profile of
    the person who drafts the letter; "" when the profile has neither phone nor e-mail."""
    if user is None or not (user.phone or user.email):
        return ""
    parts = [user.display_name]
    if user.phone:
        parts.append(_("điện thoại: %(phone)s") % {"phone": user.phone})
    if user.email:
        parts.append(_("thư điện tử: %(email)s") % {"email": user.email})
    return _("Thông tin chi tiết xin liên hệ: %(who)s.") % {"who": ", ".join(parts)}


def letter_addressees(listed: list[dict]) -> str:
    """The "Kính gửi" field: the agencies one per line, or their class when there are more than five."""
    if len(listed) > LIST_IN_APPENDIX_OVER:
        return str(ADDRESSEE_CLASS)
    return "\n".join(a["name"] for a in listed)


@in_office_language
def urging_letter_default_body(
    *,
    cycle: ReportingCycle,
    listed: list[dict],
    today: datetime.date,
    new_deadline: datetime.date,
    contact: str = "",
) -> str:
    """The default text: the plan and its reporting rule, the agencies that have not reported, those that
    reported late, and the new deadline. Names of plans and bodies come from the data."""
    plan = cycle.plan
    dept = plan.coordinator_agency.name
    owing = [a["name"] for a in listed if a["reason"] in ("missing", "returned")]
    late = [a["name"] for a in listed if a["reason"] == "late"]
    # A title typed in capitals (as printed under the plan's heading) cannot be put back in sentence case
    # without mangling proper names, so it is then left out.
    title = " ".join((plan.title or "").split())
    about = (
        " " + _("về %(title)s") % {"title": _lower_first(title)}
        if title and not _mostly_capitals(title)
        else ""
    )
    paragraphs = [
        _(
            "Thực hiện Kế hoạch số %(plan)s ngày %(date)s của %(issuer)s%(about)s, các cơ quan, đơn vị được giao nhiệm "
            "vụ báo cáo kết quả thực hiện năm %(year)s gửi về %(dept)s trước ngày %(due)s để tổng hợp, báo cáo "
            "%(issuer)s."
        )
        % {
            "plan": plan.code,
            "date": _fmt(plan.issued_on),
            "issuer": plan.issuer.name,
            "about": about,
            "year": cycle.year,
            "dept": dept,
            "due": _fmt(cycle.due_date),
        },
    ]
    # The agencies are named once: under "Kính gửi" (up to LIST_IN_APPENDIX_OVER of them) or in the appendix;
    # the body only refers to them.
    whom = (
        _("các cơ quan, đơn vị có tên tại danh sách kèm theo")
        if len(listed) > LIST_IN_APPENDIX_OVER
        else _("Quý cơ quan, đơn vị")
    )
    late_sentence = (
        ngettext(
            "%(n)s cơ quan, đơn vị đã gửi báo cáo nhưng chậm so với thời hạn quy định.",
            "%(n)s cơ quan, đơn vị đã gửi báo cáo nhưng chậm so với thời hạn quy định.",
            len(late),
        )
        % {"n": len(late)}
        if late
        else ""
    )
    if owing:
        text = _(
            "Đến ngày %(today)s, %(dept)s chưa nhận được báo cáo năm %(year)s (hoặc báo cáo đã chỉnh sửa theo yêu "
            "cầu) của %(whom)s."
        ) % {"today": _fmt(today), "dept": dept, "year": cycle.year, "whom": whom}
        if late_sentence:  # one paragraph: the late ones are a remark on the same state of reporting
            text += " " + _("Ngoài ra, %(sentence)s") % {"sentence": late_sentence}
        paragraphs.append(text)
    elif late_sentence:
        paragraphs.append(
            _("Đến ngày %(today)s, %(sentence)s") % {"today": _fmt(today), "sentence": late_sentence}
        )
    paragraphs.append(
        _(
            "Để kịp thời tổng hợp, báo cáo %(issuer)s, %(dept)s đề nghị các cơ quan, đơn vị chưa gửi báo cáo khẩn trương "
            "hoàn thành, gửi báo cáo kết quả thực hiện Kế hoạch năm %(year)s về %(dept)s trước ngày %(deadline)s, đồng "
            "thời cập nhật trên Hệ thống theo dõi thực hiện kế hoạch. Các cơ quan, đơn vị gửi báo cáo chậm rút kinh "
            "nghiệm trong các kỳ báo cáo sau."
        )
        % {"issuer": plan.issuer.name, "dept": dept, "year": cycle.year, "deadline": _fmt(new_deadline)}
    )
    if contact:
        paragraphs.append(contact)
    paragraphs.append(
        _(
            "Quá thời hạn trên, %(dept)s sẽ tổng hợp, báo cáo %(issuer)s danh sách các cơ quan, đơn vị chưa thực hiện "
            "chế độ báo cáo. Rất mong nhận được sự quan tâm, phối hợp của Quý cơ quan, đơn vị./."
        )
        % {"dept": dept, "issuer": plan.issuer.name}
    )
    return "\n\n".join(paragraphs)


def _mostly_capitals(text: str) -> bool:
    """ "TRIỂN KHAI … 709/QĐ-TTg …" is a title in capitals even with the odd lower-case letter of a symbol."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else ""


@in_office_language
@transaction.atomic
def urging_letter_prepare(
    *, actor, cycle: ReportingCycle, today: datetime.date | None = None
) -> UrgingLetter:
    """A new urging letter for ``cycle`` with every field filled from data: addressed to the agencies that are
    missing, owe a returned report after the due date, or reported late; a new deadline a week from today."""
    if not is_coordinator_of(actor, cycle.plan):
        raise MonitoringError(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được soạn công văn đôn đốc.")
        )
    today = today or timezone.localdate()
    plan = cycle.plan
    dept = plan.coordinator_agency
    listed = late_and_missing(cycle=cycle, today=today)
    new_deadline = max(today, cycle.due_date) + datetime.timedelta(days=7)
    sequence = (
        UrgingLetter.objects.filter(cycle=cycle)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
        or 0
    ) + 1
    abbr = _abbreviation(dept)
    # Decree 30: a letter's symbol is the body's abbreviation and the drafting unit's ("SKHCN-QLKH"), and the
    # archive line names the drafting unit too ("Lưu: VT, QLKH.").
    unit = (actor.office_code or "").strip()
    symbol = abbr or dept.display_short
    if unit:
        symbol = f"{symbol}-{unit}"
    recipients = [
        _("- Như trên;"),
        _("- %(issuer)s (để báo cáo);") % {"issuer": plan.issuer.name},
        _("- Lãnh đạo %(dept)s;") % {"dept": dept.display_short},
        f"- {archive_line(unit)}.",
    ]
    letter = UrgingLetter(
        cycle=cycle,
        sequence=sequence,
        parent_body=header_body_name(dept.parent.name) if dept.parent_id else "",
        issuing_body=dept.name,
        number="",
        symbol=symbol,
        place=plan.place,
        letter_date=today,
        subject=_("V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch số %(plan)s") % {"plan": plan.code},
        addressees=letter_addressees(listed),
        body=urging_letter_default_body(
            cycle=cycle, listed=listed, today=today, new_deadline=new_deadline, contact=contact_line(actor)
        ),
        new_deadline=new_deadline,
        signer_authority=_("KT. GIÁM ĐỐC"),
        signer_title=_("PHÓ GIÁM ĐỐC"),
        signer_name="",
        recipients="\n".join(recipients),
        listed_agencies=listed,
        prepared_by=actor,
    )
    letter._change_reason = _("Soạn công văn đôn đốc")
    letter._history_user = actor
    letter.save()
    return letter


LETTER_FIELDS = (
    "parent_body",
    "issuing_body",
    "number",
    "symbol",
    "place",
    "letter_date",
    "subject",
    "addressees",
    "body",
    "new_deadline",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
)


def _normalise_recipients(text: str, *, symbol: str = "") -> str:
    """One "- …" per line, every line but the last ending in ";", the last being "- Lưu: VT, …" (added if
    missing) and ending in ".". A bare "- Lưu: VT" gets the drafting unit of the symbol ("SKHCN-QLKH" → QLKH)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    lines = [line if line.startswith(("-", "–")) else f"- {line}" for line in lines]
    store = [line for line in lines if line.lstrip("-– ").lower().startswith("lưu")]
    others = [line for line in lines if line not in store]
    last = store[-1].rstrip(".;, ") if store else "- Lưu: VT"
    unit = symbol.split("-", 1)[1].strip() if "-" in symbol else ""
    if last.replace(" ", "").lower() == "-lưu:vt" and unit:
        last = f"- Lưu: VT, {unit}"
    result = [line.rstrip(".;, ") + ";" for line in others] + [last + "."]
    return "\n".join(result)


@transaction.atomic
def urging_letter_update(
    *, actor, letter: UrgingLetter, regenerate_body: bool = False, **values
) -> UrgingLetter:
    """Save the coordinator's edits of ``letter``. ``regenerate_body`` rewrites the body from the current state of
    the cycle and the (possibly new) deadline, keeping every other field as edited."""
    cycle = letter.cycle
    if not is_coordinator_of(actor, cycle.plan):
        raise MonitoringError(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được sửa công văn đôn đốc.")
        )
    unknown = set(values) - set(LETTER_FIELDS)
    if unknown:
        raise MonitoringError(_("Trường không hợp lệ: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    for name, value in values.items():
        setattr(letter, name, value.strip() if isinstance(value, str) else value)
    if not letter.addressee_list():
        raise MonitoringError(_("Cần ít nhất một cơ quan, đơn vị ở mục “Kính gửi”."))
    if not letter.signer_title:
        raise MonitoringError(_("Cần ghi chức vụ người ký."))
    if letter.new_deadline < letter.letter_date:
        raise MonitoringError(_("Hạn mới phải sau ngày ban hành công văn."))
    letter.recipients = _normalise_recipients(letter.recipients, symbol=letter.symbol)
    if regenerate_body:
        today = letter.letter_date
        listed = late_and_missing(cycle=cycle, today=today)
        letter.listed_agencies = listed
        letter.body = urging_letter_default_body(
            cycle=cycle,
            listed=listed,
            today=today,
            new_deadline=letter.new_deadline,
            contact=contact_line(letter.prepared_by),
        )
    if not letter.body.strip():
        raise MonitoringError(_("Nội dung công văn không được để trống."))
    letter._change_reason = _("Sửa công văn đôn đốc")
    letter._history_user = actor
    letter.save()
    return letter


@transaction.atomic
def urging_letter_mark_exported(*, actor, letter: UrgingLetter) -> UrgingLetter:
    """Record who exported the letter and when (the DOCX itself is built on request, never stored)."""
    if not is_coordinator_of(actor, letter.cycle.plan):
        raise MonitoringError(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được xuất công văn đôn đốc.")
        )
    UrgingLetter.objects.filter(pk=letter.pk).update(exported_at=timezone.now(), exported_by=actor)
    letter.refresh_from_db(fields=["exported_at", "exported_by"])
    return letter


__all__ = [
    "MonitoringError",
    "PlannedReminder",
    "Recipient",
    "ScheduleRule",
    "SendResult",
    "reminder_schedule_update",
    "reminders_due",
    "reminders_send",
    "urging_letter_mark_exported",
    "urging_letter_prepare",
    "urging_letter_update",
]
