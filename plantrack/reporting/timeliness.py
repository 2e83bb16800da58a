"""Task timeliness: one state per (task, agency) pair, by one rule (docs/design/task-timeliness.md).

The pure rule is ``timeliness_state``; ``plan_task_timeliness`` applies it to every agency that owes a task of a plan
on a day (``plans.selectors.assignments_expanded``), reading the agency's latest accepted report entries; pages,
the API, ``manage.py task_status``, the reminders before a task's deadline and the consolidated report all read
it from here.

Inputs, as decided:

- the deadline: ``Task.deadline`` of a task with a deadline (``recurrence=once``); the plan import already turns
  "Quý II/2025" into 30/06/2025, "năm 2025" into 31/12/2025 and "trước tháng 6/2025" into 31/05/2025
  (``plans.importing.timing``), so the stored date is the normalised one. A yearly task ("hằng năm") is due on
  31/12 of each year and is judged on that year's reports only; a continuous task ("thường xuyên") has no due
  date and is shown as continuous.
- done: the agency's entry in its **latest accepted** report (accepted on or before the day) says "Hoàn thành".
  Entries have no completion date, so the day it was done is the day the report saying so was sent (the accepted
  submission's date); when several accepted reports in a row say "done", the first of them counts.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from plantrack.accounts.permissions import (
    follows_plan,
    is_administrator,
    is_agency_member,
    is_viewer,
    member_agency_ids,
)
from plantrack.core.text import vi_sort_key
from plantrack.core.versions import ORGS_KEY, plan_key, plan_reports_key, tokens
from plantrack.orgs.models import Agency
from plantrack.plans.models import AssignmentRole, Plan, Recurrence, Task
from plantrack.plans.selectors import assignments_expanded

from .models import EntryStatus, ReportEntry, ReportState


class TaskTimeliness(models.TextChoices):
    """The state of one task for one agency on a day. The words are in docs/glossary.md."""

    NOT_DUE = "not_due", _("Chưa đến hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    CONTINUOUS = "continuous", _("Thường xuyên")
    # A task written "có thời hạn" whose date the plan does not state: nothing to be late against.
    NO_DEADLINE = "no_deadline", _("Chưa xác định thời hạn")


# States that still call for action, most urgent first (the reminders, the dashboard summary).
OPEN_STATES = (TaskTimeliness.OVERDUE, TaskTimeliness.DUE_SOON, TaskTimeliness.NOT_DUE)
DONE_STATES = (TaskTimeliness.DONE_ON_TIME, TaskTimeliness.DONE_LATE)


def due_soon_days_setting() -> int:
    return settings.PLANTRACK_TASK_DUE_SOON_DAYS


def task_due_date(
    *, recurrence: str, deadline: datetime.date | None, as_of: datetime.date
) -> datetime.date | None:
    """The date a task is due by, seen on ``as_of``: its deadline, 31/12 of ``as_of``'s year for a yearly task,
    None for a continuous task (or one whose deadline is not stated)."""
    if recurrence == Recurrence.YEARLY:
        return datetime.date(as_of.year, 12, 31)
    if recurrence == Recurrence.ONCE:
        return deadline
    return None


def timeliness_state(
    *,
    deadline: datetime.date | None,
    recurrence: str,
    done_on: datetime.date | None,
    as_of: datetime.date,
    due_soon_days: int,
) -> TaskTimeliness:
    """The one rule. ``deadline`` is the due date (``task_due_date``), ``done_on`` the day the agency reported the
    task done (None: not done as of ``as_of``).

    continuous → continuous; no date → no deadline; done by the deadline → done on time, after it → done late;
    not done: past the deadline → overdue, within ``due_soon_days`` of it (the deadline day included) → due soon,
    otherwise not yet due."""
    if recurrence == Recurrence.CONTINUOUS:
        return TaskTimeliness.CONTINUOUS
    if deadline is None:
        return TaskTimeliness.NO_DEADLINE
    if done_on is not None:
        return TaskTimeliness.DONE_ON_TIME if done_on <= deadline else TaskTimeliness.DONE_LATE
    if as_of > deadline:
        return TaskTimeliness.OVERDUE
    if (deadline - as_of).days <= due_soon_days:
        return TaskTimeliness.DUE_SOON
    return TaskTimeliness.NOT_DUE


@dataclass
class TimelinessRow:
    """One (task, agency) pair on ``as_of``."""

    task: Task
    agency: Agency
    roles: list[str]
    state: TaskTimeliness
    due_date: datetime.date | None
    status: str  # the latest accepted entry status ("" when no accepted report mentions the task)
    done_on: datetime.date | None
    as_of: datetime.date

    @property
    def state_label(self) -> str:
        return str(self.state.label)

    @property
    def is_lead(self) -> bool:
        return AssignmentRole.LEAD in self.roles

    @property
    def status_label(self) -> str:
        return str(EntryStatus(self.status).label) if self.status else ""

    @property
    def days_left(self) -> int | None:
        """Days until the due date (negative: days overdue); None once done or without a date."""
        if self.due_date is None or self.state in DONE_STATES:
            return None
        return (self.due_date - self.as_of).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _accepted_statuses(
    *,
    plan: Plan | None = None,
    as_of: datetime.date,
    agency_id: int | None = None,
    task_ids: list[int] | None = None,
) -> dict[tuple[int, int], list[tuple]]:
    """``{(agency_id, task_id): [(year, accepted_at, submitted_on, status), …]}`` from the entries of the reports
    accepted on or before ``as_of`` (of ``plan``, of one agency, of some tasks when given), oldest first. One
    query."""
    end = datetime.datetime.combine(as_of, datetime.time.max, tzinfo=timezone.get_default_timezone())
    entries = ReportEntry.objects.all()
    if plan is not None:
        entries = entries.filter(task__plan=plan)
    if agency_id is not None:
        entries = entries.filter(report__agency_id=agency_id)
    if task_ids is not None:
        entries = entries.filter(task_id__in=task_ids)
    rows = (
        entries.filter(
            report__state=ReportState.ACCEPTED,
            report__accepted_at__lte=end,
        )
        .values_list(
            "report__agency_id",
            "task_id",
            "report__cycle__year",
            "report__accepted_at",
            "report__accepted_submission__submitted_at",
            "status",
        )
        .order_by()
    )
    history: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for agency_id, task_id, year, accepted_at, submitted_at, status in rows:
        submitted_on = timezone.localtime(submitted_at).date() if submitted_at else None
        history[(agency_id, task_id)].append((year, accepted_at, submitted_on, status))
    for items in history.values():
        items.sort(key=lambda i: (i[0], i[1]))
    return history


def _done_on(items: list[tuple]) -> tuple[str, datetime.date | None]:
    """(latest status, the day it was first reported done in the unbroken run of "done" that ends the list)."""
    if not items:
        return "", None
    status = items[-1][3]
    if status != EntryStatus.DONE:
        return status, None
    first = items[-1]
    for item in reversed(items):
        if item[3] != EntryStatus.DONE:
            break
        first = item
    return status, first[2]


def _row(
    task: Task, agency: Agency, roles, items: list[tuple], *, as_of, due_soon_days: int
) -> TimelinessRow:
    """The pair (task, agency) on ``as_of`` from the accepted history ``items`` of the pair."""
    due = task_due_date(recurrence=task.recurrence, deadline=task.deadline, as_of=as_of)
    if task.recurrence == Recurrence.YEARLY:
        # Each year is judged on its own reports: last year's "done" does not carry over.
        items = [i for i in items if i[0] == as_of.year]
    status, done_on = _done_on(items)
    return TimelinessRow(
        task=task,
        agency=agency,
        roles=[r for r in (AssignmentRole.LEAD, AssignmentRole.COORDINATE) if r in roles],
        state=timeliness_state(
            deadline=due,
            recurrence=task.recurrence,
            done_on=done_on,
            as_of=as_of,
            due_soon_days=due_soon_days,
        ),
        due_date=due,
        status=status,
        done_on=done_on,
        as_of=as_of,
    )


def agency_task_timeliness(
    *,
    agency: Agency,
    owed: list[tuple[Task, list[str]]],
    as_of: datetime.date,
    due_soon_days: int | None = None,
) -> dict[int, TimelinessRow]:
    """``{task_id: row}`` for the tasks ``agency`` owes across plans (``owed``: (task, roles), as the agency page
    lists them), from one query on its accepted reports: the agency page's badges without expanding every plan.
    The caller makes sure the agency answers for itself on ``as_of`` (no succession in force); not scoped to a
    user (``rows_visible_to``)."""
    due_soon_days = due_soon_days_setting() if due_soon_days is None else due_soon_days
    if not owed:
        return {}
    history = _accepted_statuses(as_of=as_of, agency_id=agency.pk, task_ids=[t.pk for t, _roles in owed])
    return {
        task.pk: _row(
            task,
            agency,
            roles,
            history.get((agency.pk, task.pk), []),
            as_of=as_of,
            due_soon_days=due_soon_days,
        )
        for task, roles in owed
    }


def plan_task_timeliness(
    *,
    plan: Plan,
    as_of: datetime.date,
    due_soon_days: int | None = None,
    tasks: list[Task] | None = None,
    agency_id: int | None = None,
) -> list[TimelinessRow]:
    """Every (task, agency) pair of ``plan`` owed on ``as_of`` with its state, in outline then agency order.
    ``tasks``: the plan's tasks when the caller has them already (one query less); ``agency_id``: only that
    agency's pairs (the agency page), reading only its reports.

    Not scoped to a user: pass the result through ``rows_visible_to``. A constant number of queries whatever the
    plan's size."""
    due_soon_days = due_soon_days_setting() if due_soon_days is None else due_soon_days
    owed = assignments_expanded(plan=plan, day=as_of)
    if agency_id is not None:
        owed = {agency_id: owed[agency_id]} if agency_id in owed else {}
    if tasks is None:
        tasks = Task.objects.filter(plan=plan).select_related("group")
    tasks = {t.pk: t for t in tasks}
    agencies = Agency.objects.in_bulk(list(owed))
    history = _accepted_statuses(plan=plan, as_of=as_of, agency_id=agency_id)
    rows = []
    for agency_id, per_task in owed.items():
        agency = agencies[agency_id]
        for task_id, roles in per_task.items():
            task = tasks[task_id]
            items = history.get((agency_id, task_id), [])
            rows.append(_row(task, agency, roles, items, as_of=as_of, due_soon_days=due_soon_days))
    rows.sort(key=lambda r: (r.task.order, r.task.pk, not r.is_lead, vi_sort_key(r.agency.name)))
    return rows


def rows_visible_to(*, user, plan: Plan, rows: list[TimelinessRow]) -> list[TimelinessRow]:
    """The pairs ``user`` may see, by the rule of the reports they come from (``AgencyReport.objects.for_user``):
    the plan's coordinators, viewers and administrators every pair; an agency's people their agency's pairs;
    anyone else none."""
    if follows_plan(user, plan) or is_viewer(user) or is_administrator(user):
        return rows
    if is_agency_member(user):
        agencies = member_agency_ids(user)
        return [r for r in rows if r.agency.pk in agencies]
    return []


def state_counts(rows: list[TimelinessRow]) -> list[tuple[str, str, int]]:
    """``[(state, label, count)]`` in the order of ``TaskTimeliness``, states with no pair left out."""
    counts = Counter(r.state for r in rows)
    return [(s.value, str(s.label), counts[s]) for s in TaskTimeliness if counts[s]]


def counts_by_task(rows: list[TimelinessRow]) -> dict[int, list[tuple[str, str, int]]]:
    """``{task_id: state_counts(its rows)}``."""
    per_task: dict[int, list[TimelinessRow]] = defaultdict(list)
    for r in rows:
        per_task[r.task.pk].append(r)
    return {task_id: state_counts(items) for task_id, items in per_task.items()}


def task_state(
    task: Task, rows: list[TimelinessRow], *, as_of: datetime.date, due_soon_days: int
) -> TaskTimeliness:
    """A task's own state from its pairs: the lead agencies answer for it (every owing agency when none leads).
    Not yet done by one of them → that one's open state; done by all → done late if any was late."""
    leads = [r for r in rows if r.is_lead] or rows
    if not leads:
        due = task_due_date(recurrence=task.recurrence, deadline=task.deadline, as_of=as_of)
        return timeliness_state(
            deadline=due, recurrence=task.recurrence, done_on=None, as_of=as_of, due_soon_days=due_soon_days
        )
    states = {r.state for r in leads}
    for state in (
        *OPEN_STATES,
        TaskTimeliness.DONE_LATE,
        TaskTimeliness.NO_DEADLINE,
        TaskTimeliness.CONTINUOUS,
    ):
        if state in states:
            return state
    return TaskTimeliness.DONE_ON_TIME


def timeliness_summary(plan: Plan, as_of: datetime.date) -> dict:
    """For the consolidated report: how the tasks with a deadline ("nhiệm vụ có thời hạn", recurrence once with a
    date) stand on ``as_of``. ``text`` is the sentence "x/y nhiệm vụ có thời hạn hoàn thành đúng hạn"; ``tasks``
    counts tasks by their own state (``task_state``), ``pairs`` the (task, agency) pairs by state."""
    due_soon_days = due_soon_days_setting()
    rows = plan_task_timeliness(plan=plan, as_of=as_of, due_soon_days=due_soon_days)
    by_task: dict[int, list[TimelinessRow]] = defaultdict(list)
    for r in rows:
        by_task[r.task.pk].append(r)
    with_deadline = list(
        Task.objects.filter(plan=plan, recurrence=Recurrence.ONCE, deadline__isnull=False).order_by("order")
    )
    task_states = Counter(
        task_state(t, by_task.get(t.pk, []), as_of=as_of, due_soon_days=due_soon_days) for t in with_deadline
    )
    done_on_time = task_states[TaskTimeliness.DONE_ON_TIME]
    return {
        "as_of": as_of,
        "with_deadline": len(with_deadline),
        "done_on_time": done_on_time,
        "tasks": {s.value: task_states[s] for s in TaskTimeliness if s in task_states},
        "pairs": {state: n for state, _label, n in state_counts(rows)},
        "text": gettext("%(x)s/%(y)s nhiệm vụ có thời hạn hoàn thành đúng hạn")
        % {"x": done_on_time, "y": len(with_deadline)},
    }


def open_task_counts(rows: list[TimelinessRow]) -> dict[str, int]:
    """``{"overdue": tasks, "due_soon": tasks}``: how many tasks have at least one pair in each state (the
    dashboard's summary "x nhiệm vụ quá hạn, y sắp đến hạn")."""
    return {
        state.value: len({r.task.pk for r in rows if r.state == state})
        for state in (TaskTimeliness.OVERDUE, TaskTimeliness.DUE_SOON)
    }


def _visibility(user, plan: Plan):
    """Who sees which pairs, as ``rows_visible_to`` decides: "all", an agency id, or None."""
    if follows_plan(user, plan) or is_viewer(user) or is_administrator(user):
        return "all"
    if is_agency_member(user):
        return tuple(sorted(member_agency_ids(user)))  # every agency whose pairs rows_visible_to keeps
    return None


def _plan_page_counts(*, user, plan: Plan, tasks: list[Task], as_of: datetime.date) -> dict:
    """``counts_by_task`` of the pairs ``user`` sees, cached per day, per visibility and per version of the plan,
    its reports and the agencies (``plantrack.core.versions``): the plan page does not expand the plan and read
    its accepted history on every view."""
    visibility = _visibility(user, plan)
    if visibility is None:
        return {}
    versions = tokens(plan_key(plan.pk), plan_reports_key(plan.pk), ORGS_KEY)
    raw = repr((versions, as_of.isoformat(), visibility, due_soon_days_setting(), get_language()))
    key = f"reporting:plan-timeliness:{plan.pk}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"
    per_task = cache.get(key)
    if per_task is None:
        rows = rows_visible_to(
            user=user, plan=plan, rows=plan_task_timeliness(plan=plan, as_of=as_of, tasks=tasks)
        )
        per_task = counts_by_task(rows)
        cache.set(key, per_task, 6 * 3600)
    return per_task


def plan_page_hook(*, request, plan: Plan, tasks: list[Task]) -> dict:
    """The plan page's badges (registered in ``plans.views.PLAN_PAGE_HOOKS``): on each task, ``timeliness`` is
    ``[(state, label, count)]`` of the pairs the user may see today; the context gets the link to the list page
    for those who follow the plan up."""
    per_task = _plan_page_counts(user=request.user, plan=plan, tasks=tasks, as_of=timezone.localdate())
    for task in tasks:
        # Continuous tasks say so already in their recurrence badge; only states with a date are worth a badge.
        task.timeliness = [c for c in per_task.get(task.pk, []) if c[0] not in _PLAIN_STATES]
    return {"timeliness_list": follows_plan(request.user, plan)}


def _plan_page_vary(*, request, plan: Plan):
    """What the badges and their links depend on for this user (the plan page caches its body by it): the pairs
    they see and whether they follow the plan up. The reports move "plan-reports:<id>", in the page's key."""
    return (_visibility(request.user, plan), follows_plan(request.user, plan), due_soon_days_setting())


plan_page_hook.vary = _plan_page_vary

_PLAIN_STATES = (TaskTimeliness.CONTINUOUS, TaskTimeliness.NO_DEADLINE)
