"""Reads of monitoring: the cycle dashboard (agency rows, task matrix, group summary), schedule and log views.

Every read here runs a fixed number of queries whatever the number of agencies: rows come from one query on the
cycle's reports (with the last reminder as a subquery), the task matrix from one query on entries and one on
submissions. Drafts never leave the agency: entry statuses shown to the department come from the last *submission*
snapshot, never from the live entries of a draft or of a returned report being corrected.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from plantrack.core.text import fold, vi_sort_key, vi_sort_string
from plantrack.orgs.models import Agency, GroupMembership
from plantrack.plans.models import AssignmentRole, Task, TaskGroup
from plantrack.reporting.facts import FactTotals, cycle_facts_totals, facts_totals_from_snapshots
from plantrack.reporting.models import (
    DASHBOARD_STATES,
    AgencyReport,
    EntryStatus,
    ReportEntry,
    ReportingCycle,
    ReportState,
    ReportSubmission,
)
from plantrack.reporting.task_status import TaskStatus, cycle_task_statuses

from .models import ReminderLog, ReminderSchedule
from .schedule import DEFAULT_RULE, ScheduleRule, Step

# --- states in words --------------------------------------------------------------------------------------------

# The dashboard's codes and words are reporting's (plantrack.reporting.models.ReportDisplayState).
STATES = {state.value: label for state, label in DASHBOARD_STATES.items()}
# The states in which the agency still owes the department a report (a returned one owes a corrected report).
OWING_STATES = ("not_started", "draft", "returned", "missing")


def report_state(report: AgencyReport, *, due_date: datetime.date, today: datetime.date) -> str:
    """The dashboard's code for ``report`` on ``today`` (``AgencyReport.dashboard_state``)."""
    return report.dashboard_state(due_date=due_date, today=today)


def timing_text(
    *, state: str, report: AgencyReport, due_date: datetime.date, today: datetime.date
) -> tuple[int | None, str]:
    """``(days, words)``: for a report still owed, days left (negative: overdue); for a sent one, days late."""
    if state in OWING_STATES:
        days = (due_date - today).days
        if days > 0:
            return days, ngettext("còn %(n)s ngày", "còn %(n)s ngày", days) % {"n": days}
        if days == 0:
            return 0, _("hôm nay là hạn")
        return days, ngettext("quá hạn %(n)s ngày", "quá hạn %(n)s ngày", -days) % {"n": -days}
    if report.first_submitted_at is None:
        return None, ""
    late_by = (timezone.localtime(report.first_submitted_at).date() - due_date).days
    if late_by > 0:
        return late_by, ngettext("nộp muộn %(n)s ngày", "nộp muộn %(n)s ngày", late_by) % {"n": late_by}
    return None, _("đúng hạn")


# --- schedule ---------------------------------------------------------------------------------------------------


def schedule_for(cycle: ReportingCycle) -> tuple[ReminderSchedule | None, ScheduleRule]:
    """The cycle's saved schedule (None when it follows the default) and the rule in force."""
    schedule = ReminderSchedule.objects.filter(cycle=cycle).first()
    return schedule, (schedule.rule if schedule else DEFAULT_RULE)


def schedule_overview(
    *, cycle: ReportingCycle, today: datetime.date, rule: ScheduleRule, keep_repeats: int = 2
) -> list[dict]:
    """The steps of the schedule up to the first one after ``today``, each marked past, current or next. Of the
    weekly repeats already past only the last ``keep_repeats`` are listed; the others are summed up in one row
    (``{"skipped": n}``)."""
    current = rule.current_step(due_date=cycle.due_date, today=today)
    rows = []
    for step in rule.steps(due_date=cycle.due_date, until=max(today, cycle.due_date)):
        if step.day > today:
            when = "next"
        elif current and step == current:
            when = "current"
        else:
            when = "past"
        rows.append({"step": step, "when": when})
    past_repeats = [i for i, r in enumerate(rows) if r["when"] == "past" and r["step"].repeat]
    hidden = past_repeats[:-keep_repeats] if keep_repeats else past_repeats
    if hidden:
        first = hidden[0]
        rows = (
            rows[:first]
            + [{"skipped": len(hidden), "when": "past"}]
            + [r for i, r in enumerate(rows) if i > first and i not in set(hidden)]
        )
    return rows


# --- dashboard rows ---------------------------------------------------------------------------------------------


@dataclass
class DashboardFilters:
    state: str = ""
    kind: str = ""
    group: int | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.state or self.kind or self.group or self.q.strip())


@dataclass
class DashboardRow:
    report: AgencyReport
    agency: Agency
    state: str
    label: str
    days: int | None
    timing: str
    visible: bool  # whether the department may open the report (drafts stay in the agency)
    entries: int
    entries_with_status: int | None  # from the last submission; None for a report never sent
    last_reminder_at: datetime.datetime | None
    last_reminder_step: Step | None

    @property
    def owes(self) -> bool:
        return self.state in OWING_STATES

    @property
    def was_late(self) -> bool:
        return self.report.is_late


@dataclass
class Dashboard:
    cycle: ReportingCycle
    today: datetime.date
    rows: list[DashboardRow]
    all_counts: dict[str, int]
    snapshots: dict[int, dict] = field(default_factory=dict)  # report id → last submission snapshot

    @property
    def total(self) -> int:
        return sum(self.all_counts.values())


def _last_submissions(report_ids: list[int]) -> dict[int, dict]:
    """``{report_id: snapshot}`` of the latest submission of each report, in one query."""
    latest: dict[int, dict] = {}
    rows = (
        ReportSubmission.objects.filter(report_id__in=report_ids)
        .order_by("report_id", "number")
        .values_list("report_id", "snapshot")
    )
    for report_id, snapshot in rows:
        latest[report_id] = snapshot
    return latest


def dashboard(
    *, cycle: ReportingCycle, filters: DashboardFilters | None = None, today: datetime.date | None = None
) -> Dashboard:
    """Every expected agency of ``cycle`` with its state in words, its timing, its progress as last sent and the
    last reminder it was sent. Filters narrow the rows; the counts per state are over the whole cycle."""
    filters = filters or DashboardFilters()
    today = today or timezone.localdate()
    due = cycle.due_date
    last = ReminderLog.objects.filter(cycle_id=cycle.pk, agency_id=OuterRef("agency_id")).order_by(
        "-sent_at", "-pk"
    )
    reports = list(
        AgencyReport.objects.filter(cycle=cycle)
        .select_related("agency")
        .annotate(
            n_entries=Count("entries"),
            last_reminder_at=Subquery(last.values("sent_at")[:1]),
            last_reminder_offset=Subquery(last.values("step_offset")[:1]),
        )
        .order_by("agency__sort_key")
    )
    # In the Vietnamese order by the agencies' stored collation key (already the SQL order); a row written before
    # the key existed falls back to computing it.
    reports.sort(key=lambda r: r.agency.sort_key or vi_sort_string(r.agency.name))
    states = {r.pk: report_state(r, due_date=due, today=today) for r in reports}
    all_counts = Counter(states.values())

    selected = reports
    if filters.kind:
        selected = [r for r in selected if r.agency.kind == filters.kind]
    if filters.q.strip():
        needle = fold(filters.q)
        selected = [r for r in selected if needle in r.agency.search_text or needle in fold(r.agency.name)]
    if filters.group:
        members = set(
            GroupMembership.objects.valid_on(due)
            .filter(group_id=filters.group)
            .values_list("agency_id", flat=True)
        )
        selected = [r for r in selected if r.agency_id in members]
    if filters.state:
        selected = [r for r in selected if states[r.pk] == filters.state]

    sent_ids = [r.pk for r in selected if r.first_submitted_at is not None]
    snapshots = _last_submissions(sent_ids)
    rows = []
    for r in selected:
        state = states[r.pk]
        days, timing = timing_text(state=state, report=r, due_date=due, today=today)
        snapshot = snapshots.get(r.pk)
        with_status = sum(1 for e in snapshot["entries"] if e.get("status")) if snapshot else None
        step = None
        if r.last_reminder_offset is not None:
            step = Step(r.last_reminder_offset, due + datetime.timedelta(days=r.last_reminder_offset))
        rows.append(
            DashboardRow(
                report=r,
                agency=r.agency,
                state=state,
                label=str(STATES[state]),
                days=days,
                timing=timing,
                visible=r.state in (ReportState.SUBMITTED, ReportState.RETURNED, ReportState.ACCEPTED),
                entries=r.n_entries,
                entries_with_status=with_status,
                last_reminder_at=r.last_reminder_at,
                last_reminder_step=step,
            )
        )
    return Dashboard(cycle=cycle, today=today, rows=rows, all_counts=dict(all_counts), snapshots=snapshots)


# --- task progress ----------------------------------------------------------------------------------------------

# Each status has a letter and a pattern besides its colour, so the matrix reads in print and without colour.
CELL_STATUSES = {
    EntryStatus.DONE: (pgettext_lazy("chữ viết tắt tình trạng", "H"), EntryStatus.DONE.label),
    EntryStatus.CONTINUING: (pgettext_lazy("chữ viết tắt tình trạng", "T"), EntryStatus.CONTINUING.label),
    EntryStatus.IN_PROGRESS: (pgettext_lazy("chữ viết tắt tình trạng", "Đ"), EntryStatus.IN_PROGRESS.label),
    EntryStatus.NOT_STARTED: (pgettext_lazy("chữ viết tắt tình trạng", "C"), EntryStatus.NOT_STARTED.label),
    "unsent": (pgettext_lazy("chữ viết tắt tình trạng", "?"), gettext_lazy("Chưa gửi báo cáo")),
}
CELL_ORDER = [
    EntryStatus.DONE,
    EntryStatus.CONTINUING,
    EntryStatus.IN_PROGRESS,
    EntryStatus.NOT_STARTED,
    "unsent",
]


@dataclass
class MatrixCell:
    task: Task
    role: str = ""  # "lead", "coordinate" or "" (not owed)
    status: str = ""  # an EntryStatus value, "unsent", or "" when not owed

    @property
    def is_lead(self) -> bool:
        return self.role == AssignmentRole.LEAD

    @property
    def letter(self) -> str:
        return str(CELL_STATUSES[self.status][0]) if self.status else ""

    @property
    def label(self) -> str:
        return str(CELL_STATUSES[self.status][1]) if self.status else ""


@dataclass
class MatrixRow:
    row: DashboardRow
    cells: list[MatrixCell]
    counts: dict[str, int]
    cells_html: SafeString = SafeString("")  # the row's <td>s, built once per row by ``_cells_html``

    def summary(self) -> list[tuple[str, str, str, int]]:
        """``(status, letter, label, count)`` in legend order, for the statuses present in the row."""
        return [
            (s, str(CELL_STATUSES[s][0]), str(CELL_STATUSES[s][1]), self.counts[s])
            for s in CELL_ORDER
            if self.counts.get(s)
        ]


@dataclass
class GroupColumn:
    group: object
    tasks: list[Task]


@dataclass
class GroupProgress:
    group: object
    tasks: int
    counts: dict[str, int]  # status → number of (agency, task) entries
    total: int

    def share(self, status: str) -> int:
        return round(100 * self.counts.get(status, 0) / self.total) if self.total else 0

    def bars(self) -> list[dict]:
        """For the statuses present, in legend order: status, letter, label, count, rounded percent, and the
        segment's start and width (exact, in percent) for a stacked bar."""
        bars, start = [], 0.0
        for s in CELL_ORDER:
            n = self.counts.get(s, 0)
            if not n:
                continue
            width = 100 * n / self.total
            bars.append(
                {
                    "status": s,
                    "letter": str(CELL_STATUSES[s][0]),
                    "label": str(CELL_STATUSES[s][1]),
                    "count": n,
                    "percent": self.share(s),
                    "x": f"{start:.2f}",
                    "width": f"{width:.2f}",
                }
            )
            start += width
        return bars


@dataclass
class TaskProgress:
    columns: list[GroupColumn]
    rows: list[MatrixRow]
    groups: list[GroupProgress]
    totals: dict[str, int]
    # Each task's status over the whole cycle (accepted reports only, whatever the filters): the shared rule.
    statuses: dict[int, TaskStatus] = field(default_factory=dict)

    def status_cells(self) -> list[tuple[Task, TaskStatus | None, str]]:
        """``(task, status, short)`` per column: short is the "done" letter, or "x/y" lead agencies done."""
        cells = []
        for col in self.columns:
            for t in col.tasks:
                status = self.statuses.get(t.pk)
                if status is None:
                    short = ""
                elif status.is_done:
                    short = str(CELL_STATUSES[EntryStatus.DONE][0])
                else:
                    short = f"{status.leads_done}/{status.leads_total}"
                cells.append((t, status, short))
        return cells


def _cell_template(status: str, role: str) -> tuple[str, str]:
    """The two halves of a matrix cell around the task's code, for one (status, role): the translated letter,
    label and role are looked up once per distinct pair, not once per cell."""
    label = escape(str(CELL_STATUSES[status][1]))
    letter = str(CELL_STATUSES[status][0])
    if role != AssignmentRole.LEAD:
        letter = letter.lower()
    role_label = AssignmentRole(role).label if role in AssignmentRole.values else role
    head = f'<td class="mx mx-{escape(status)} mx-{escape(role)}" title="'
    tail = f': {label} ({escape(str(role_label).lower())})">{escape(letter)}<span class="visually-hidden"> {label}</span></td>'
    return head, tail


EMPTY_CELL = '<td class="mx mx-none"></td>'


def _cells_html(cells: list[MatrixCell], codes: dict[int, str], parts: dict) -> SafeString:
    """One row of the matrix as HTML: ``codes`` holds each task's escaped code, ``parts`` memoises
    ``_cell_template`` across the rows of a page."""
    out = []
    for cell in cells:
        if not cell.status:
            out.append(EMPTY_CELL)
            continue
        key = (cell.status, cell.role)
        pair = parts.get(key)
        if pair is None:
            pair = parts[key] = _cell_template(*key)
        out.append(pair[0] + codes[cell.task.pk] + pair[1])
    return mark_safe("".join(out))  # noqa: S308 (every piece is escaped above)


def task_progress(*, board: Dashboard) -> TaskProgress:
    """The agency × task matrix of the rows on ``board`` and the progress of each task group, each entry counted
    once per (agency, task) with the status the agency last *sent* ("unsent" until it sends)."""
    cycle = board.cycle
    tasks = list(
        Task.objects.filter(plan_id=cycle.plan_id).select_related("group").order_by("group__order", "order")
    )
    columns: list[GroupColumn] = []
    for task in tasks:
        if not columns or columns[-1].group.pk != task.group_id:
            columns.append(GroupColumn(task.group, []))
        columns[-1].tasks.append(task)
    report_ids = [row.report.pk for row in board.rows]
    owed: dict[int, dict[int, str]] = defaultdict(dict)
    for report_id, task_id, role in ReportEntry.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "task_id", "role"
    ):
        owed[report_id][task_id] = role
    group_of = {t.pk: t.group_id for t in tasks}
    per_group: dict[int, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    codes = {t.pk: escape(t.code) for t in tasks}
    parts: dict[tuple[str, str], tuple[str, str]] = {}
    matrix = []
    for row in board.rows:
        snapshot = board.snapshots.get(row.report.pk)
        sent = {e["task_id"]: e.get("status") or "unsent" for e in snapshot["entries"]} if snapshot else {}
        counts: Counter = Counter()
        cells = []
        for task in tasks:
            role = owed[row.report.pk].get(task.pk, "")
            status = (sent.get(task.pk, "unsent") if snapshot else "unsent") if role else ""
            cells.append(MatrixCell(task, role, status))
            if status:
                counts[status] += 1
                per_group[group_of[task.pk]][status] += 1
                totals[status] += 1
        matrix.append(MatrixRow(row, cells, dict(counts), _cells_html(cells, codes, parts)))
    groups = [
        GroupProgress(
            col.group, len(col.tasks), dict(per_group[col.group.pk]), sum(per_group[col.group.pk].values())
        )
        for col in columns
    ]
    return TaskProgress(
        columns=columns,
        rows=matrix,
        groups=groups,
        totals=dict(totals),
        statuses=cycle_task_statuses(cycle=cycle),
    )


# --- reminder log -----------------------------------------------------------------------------------------------


def reminder_log_rows(*, cycle: ReportingCycle, user):
    """The cycle's reminder log, newest first, as a queryset (the page pages it, the export takes all of it)."""
    return (
        ReminderLog.objects.for_user(user)
        .filter(cycle=cycle)
        .select_related("agency", "recipient", "sent_by")
    )


def late_and_missing(*, cycle: ReportingCycle, today: datetime.date) -> list[dict]:
    """The agencies an urging letter names by default, in name order: those that have sent nothing although the
    due date has passed ("missing"), those whose returned report is still owed after the due date, and those that
    sent their report after the due date and are still waiting for it to be accepted ("late"); an accepted report
    is never named. The department in charge, which sends the letter, is never
    among them even when it owes a report itself."""
    reports = (
        AgencyReport.objects.filter(cycle=cycle)
        .exclude(agency_id=cycle.plan.coordinator_agency_id)
        .select_related("agency")
        .order_by("agency__sort_key")
    )
    result = []
    for r in reports:
        if r.state == ReportState.ACCEPTED:
            continue  # an accepted report is never chased, even one that came late
        state = report_state(r, due_date=cycle.due_date, today=today)
        if state == "missing":
            reason = "missing"
        elif state == "returned" and today > cycle.due_date:
            reason = "returned"
        elif r.is_late:
            reason = "late"
        else:
            continue
        result.append({"agency_id": r.agency_id, "name": r.agency.name, "state": state, "reason": reason})
    return sorted(result, key=lambda a: vi_sort_key(a["name"]))


# --- funding ------------------------------------------------------------------------------------------------------


@dataclass
class FundingRow:
    group: object  # plans.TaskGroup
    totals: FactTotals


@dataclass
class FundingBoard:
    """Money for the plan's tasks in the cycle's year, per task group and for the plan, from accepted reports;
    ``pending`` is what reports sent but not yet accepted add."""

    year: int
    rows: list[FundingRow]
    total: FactTotals
    pending: FactTotals

    @property
    def is_empty(self) -> bool:
        return not (self.total.allocated or self.total.spent or self.pending.allocated or self.pending.spent)

    @property
    def spent_percent(self) -> int | None:
        if not self.total.allocated:
            return None
        return round(self.total.spent * 100 / self.total.allocated)


def cycle_funding(*, cycle: ReportingCycle) -> FundingBoard:
    """Three queries: accepted snapshots, the latest snapshot of reports awaiting review, the plan's groups."""
    totals = cycle_facts_totals(cycle=cycle)
    waiting = list(
        AgencyReport.objects.filter(cycle=cycle, state=ReportState.SUBMITTED).values_list("pk", flat=True)
    )
    task_groups = dict(Task.objects.filter(plan_id=cycle.plan_id).values_list("pk", "group_id"))
    pending = facts_totals_from_snapshots(
        _last_submissions(waiting).values(), task_groups=task_groups, year=cycle.year
    ).plan
    groups = TaskGroup.objects.filter(plan_id=cycle.plan_id).order_by("order", "pk")
    rows = [FundingRow(g, totals.for_group(g.pk)) for g in groups]
    return FundingBoard(year=cycle.year, rows=rows, total=totals.plan, pending=pending)
