"""Reminders before a task's deadline (docs/design/task-timeliness.md): 30, 7 and 1 days before it and the day
after, to every agency that owes the task and has not reported it done (``reporting.timeliness``: overdue or due
soon). One message per agency and plan a day, listing its tasks; one log row per task × step × recipient under a
unique constraint (``TaskReminderLog``), so a step is never sent twice for the same deadline, even by two runs at
once. The step rule is the report reminders' (``schedule.ScheduleRule``): a missed step is not sent late.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plantrack.core.i18n import in_office_language
from plantrack.core.text import vi_sort_key
from plantrack.notifications.services import notify
from plantrack.plans.models import Plan
from plantrack.reporting.timeliness import TaskTimeliness, TimelinessRow, plan_task_timeliness

from .models import TaskReminderLog
from .schedule import ScheduleRule, Step
from .services import Recipient, _recipients_by_agency

TASK_RULE = ScheduleRule(days_before=(30, 7, 1), days_after=(1,), repeat_every=0)
# Only tasks not reported done are chased; a task not yet "due soon" waits for its state to change.
CHASED_STATES = (TaskTimeliness.OVERDUE, TaskTimeliness.DUE_SOON)


@dataclass
class TaskReminderItem:
    row: TimelinessRow
    step: Step


@dataclass
class PlannedTaskReminder:
    """One agency's message of the day for one plan: its tasks at a step today, and who receives it."""

    plan: Plan
    agency: object
    items: list[TaskReminderItem]
    recipients: list[Recipient]
    subject: str = ""
    body: str = ""
    url: str = ""


@dataclass
class TaskSendResult:
    plan: Plan
    today: datetime.date
    planned: list[PlannedTaskReminder] = field(default_factory=list)
    sent: list[PlannedTaskReminder] = field(default_factory=list)
    already_sent: list[PlannedTaskReminder] = field(default_factory=list)
    dry_run: bool = False


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@in_office_language
def _message(*, plan: Plan, agency, items: list[TaskReminderItem]) -> tuple[str, str]:
    overdue = sum(1 for i in items if i.step.offset > 0)
    soon = len(items) - overdue
    parts = []
    if soon:
        parts.append(ngettext("%(n)s nhiệm vụ sắp đến hạn", "%(n)s nhiệm vụ sắp đến hạn", soon) % {"n": soon})
    if overdue:
        parts.append(ngettext("%(n)s nhiệm vụ quá hạn", "%(n)s nhiệm vụ quá hạn", overdue) % {"n": overdue})
    subject = _("Nhắc thời hạn nhiệm vụ — Kế hoạch %(plan)s: %(what)s") % {
        "plan": plan.code,
        "what": ", ".join(parts),
    }
    lines = [
        _("Kính gửi %(agency)s.") % {"agency": agency.name},
        "",
        _("Theo Kế hoạch %(plan)s, đơn vị có nhiệm vụ sau cần hoàn thành:") % {"plan": plan.code},
    ]
    for item in items:
        task, due = item.row.task, item.row.due_date
        if item.step.offset < 0:
            when = ngettext(
                "thời hạn %(due)s, còn %(n)s ngày", "thời hạn %(due)s, còn %(n)s ngày", -item.step.offset
            ) % {"due": _fmt(due), "n": -item.step.offset}
        else:
            when = _("thời hạn %(due)s, đã quá hạn") % {"due": _fmt(due)}
        lines.append(f"- {task.code} {task.text[:160]} ({when})")
    lines += [
        "",
        _(
            "Đề nghị đơn vị khẩn trương hoàn thành và báo cáo kết quả (tình trạng “Hoàn thành”) trong báo cáo gửi "
            "%(dept)s."
        )
        % {"dept": plan.coordinator_agency.name},
    ]
    return subject, "\n".join(lines)


def task_reminders_due(*, plan: Plan, today: datetime.date) -> list[PlannedTaskReminder]:
    """What is to be sent for ``plan`` on ``today``: for each pair overdue or due soon whose deadline has a step
    today (``TASK_RULE.current_step``) not yet logged, grouped by agency. A constant number of queries."""
    rows = [
        r
        for r in plan_task_timeliness(plan=plan, as_of=today)
        if r.state in CHASED_STATES and r.due_date is not None
    ]
    candidates: list[TaskReminderItem] = []
    for row in rows:
        step = TASK_RULE.current_step(due_date=row.due_date, today=today)
        if step is not None:
            candidates.append(TaskReminderItem(row=row, step=step))
    if not candidates:
        return []
    logged = set(
        TaskReminderLog.objects.filter(
            task_id__in={i.row.task.pk for i in candidates},
            step_offset__in={i.step.offset for i in candidates},
        ).values_list("task_id", "agency_id", "deadline", "step_offset")
    )
    by_agency: dict[int, list[TaskReminderItem]] = defaultdict(list)
    for item in candidates:
        key = (item.row.task.pk, item.row.agency.pk, item.row.due_date, item.step.offset)
        if key not in logged:
            by_agency[item.row.agency.pk].append(item)
    people = _recipients_by_agency(set(by_agency))
    planned = []
    for agency_id, items in by_agency.items():
        agency = items[0].row.agency
        recipients = people[agency_id]
        if not recipients and agency.email:
            recipients = [
                Recipient(key=f"email:{agency.email.lower()}", name=agency.name, email=agency.email)
            ]
        subject, body = _message(plan=plan, agency=agency, items=items)
        planned.append(
            PlannedTaskReminder(
                plan=plan,
                agency=agency,
                items=items,
                recipients=recipients,
                subject=subject,
                body=body,
                url=reverse("orgs:detail", args=[agency_id]),
            )
        )
    planned.sort(key=lambda p: vi_sort_key(p.agency.name))
    return planned


def _dispatch(item: PlannedTaskReminder, *, now: datetime.datetime) -> bool:
    """Log, then notify, in one transaction; False (nothing written or sent) when a row was logged meanwhile."""
    try:
        with transaction.atomic():
            TaskReminderLog.objects.bulk_create(
                [
                    TaskReminderLog(
                        plan=item.plan,
                        task=i.row.task,
                        agency=item.agency,
                        deadline=i.row.due_date,
                        step_offset=i.step.offset,
                        step_day=i.step.day,
                        state=i.row.state,
                        recipient=r.user,
                        recipient_key=r.key[:280],
                        recipient_name=r.name[:255],
                        email=r.email[:254],
                        subject=item.subject[:255],
                        sent_at=now,
                    )
                    for i in item.items
                    for r in item.recipients
                ]
            )
            notify(
                recipients=[r.user for r in item.recipients if r.user is not None],
                subject=item.subject,
                body=item.body,
                url=item.url,
            )
            mailboxes = [r.email for r in item.recipients if r.user is None and r.email]
            if mailboxes:
                site = settings.PLANTRACK_SITE_URL.rstrip("/")
                text = item.body + (f"\n\n{site}{item.url}" if site else "")
                messages = [(item.subject, text, settings.DEFAULT_FROM_EMAIL, [a]) for a in mailboxes]
                transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    except IntegrityError:
        return False
    return True


def task_reminders_send(
    *, plan: Plan, today: datetime.date, dry_run: bool = False, now: datetime.datetime | None = None
) -> TaskSendResult:
    """Send what ``task_reminders_due`` lists (the scheduled job; no person presses a button for these).
    ``dry_run`` computes the same list and writes and sends nothing. Agencies nobody can be reached at are listed
    and not logged, so they show again while their step lasts."""
    result = TaskSendResult(
        plan=plan, today=today, planned=task_reminders_due(plan=plan, today=today), dry_run=dry_run
    )
    if dry_run:
        return result
    now = now or timezone.now()
    for item in result.planned:
        if not item.recipients:
            continue
        (result.sent if _dispatch(item, now=now) else result.already_sent).append(item)
    return result
