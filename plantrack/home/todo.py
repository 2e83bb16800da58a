"""The home page's to-do blocks, one per role a user holds (accounts.permissions.hats): a user with two roles sees
both blocks. Each block is one function with a fixed number of aggregate queries, whatever the number of reports,
agencies or tasks; only the viewer's summary costs a few queries per visible plan (plans are few).

- ``reporter_block``: what the user's agencies owe now, across plans, with progress and due dates;
- ``head_block``: the reports handed to the user as head ("Chờ lãnh đạo duyệt"), from the same rows;
- ``coordinator_block``: reports waiting for review, late agencies, reminders sent, recent builds;
- ``plan_summaries``: per plan, reported %, tasks by state, targets by status, the latest consolidated report.
"""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from plantrack.accounts.permissions import (
    coordinated_plans_q,
    headed_agency_ids,
    is_administrator,
    is_coordinator,
    member_agency_ids,
)
from plantrack.consolidation.models import BuildRun, BuildState
from plantrack.core.versions import plan_figures_key, plan_key, plan_reports_key, tokens
from plantrack.indicators.querysets import figure_visibility_key
from plantrack.indicators.selectors import plan_scorecard, scorecard_default_year
from plantrack.indicators.status import Status
from plantrack.monitoring.models import ReminderLog
from plantrack.plans.models import Plan
from plantrack.reporting.models import AgencyReport, CycleState, EntryStatus, ReportingCycle, ReportState
from plantrack.reporting.task_status import NO_REPORT, cycle_task_statuses
from plantrack.security.lockout import usernames_locked_out

REVIEW_LIMIT = 10
LATE_LIMIT = 10
SENT_STATES = (ReportState.SUBMITTED, ReportState.ACCEPTED, ReportState.RETURNED)


def _open_reports(queryset):
    """Reports of open cycles with their progress: entries with a status out of all entries (one query)."""
    return list(
        queryset.filter(cycle__state=CycleState.OPEN)
        .select_related("cycle__plan", "cycle__ad_hoc_request", "agency")
        .annotate(n_entries=Count("entries"), n_status=Count("entries", filter=~Q(entries__status="")))
        .order_by("cycle__due_date", "agency__name", "pk")
    )


def _with_progress(report: AgencyReport, today: datetime.date) -> AgencyReport:
    report.percent = round(100 * report.n_status / report.n_entries) if report.n_entries else 0
    report.days_left = (report.cycle.due_date - today).days
    report.days_overdue = max(0, -report.days_left)
    report.state_shown = report.display_state(for_agency=True)
    return report


def reporter_block(*, user, today: datetime.date) -> list[AgencyReport]:
    """The open-cycle reports of every agency the user is a reporter or head of, soonest due first (one query)."""
    agencies = member_agency_ids(user)
    if not agencies:
        return []
    rows = _open_reports(AgencyReport.objects.for_user(user).filter(agency_id__in=agencies))
    return [_with_progress(r, today) for r in rows]


def head_block(*, user, reports: list[AgencyReport]) -> list[AgencyReport]:
    """Of ``reporter_block``'s rows, those awaiting this user's decision as head (no query)."""
    headed = headed_agency_ids(user)
    return [r for r in reports if r.agency_id in headed and r.state == ReportState.WITH_HEAD]


@dataclass
class CoordinatorBlock:
    cycles: list[ReportingCycle] = field(default_factory=list)
    to_review: list[AgencyReport] = field(default_factory=list)
    to_review_total: int = 0
    late: list[AgencyReport] = field(default_factory=list)
    late_total: int = 0
    reminders: list[dict] = field(default_factory=list)
    builds: list[BuildRun] = field(default_factory=list)


def coordinator_block(*, user, today: datetime.date, builds: bool = True) -> CoordinatorBlock | None:
    """What the plans' coordinators act on: open cycles with their counts, reports waiting for review, agencies
    past the due date with nothing sent, the latest reminders sent and the latest builds (five queries; four
    without ``builds``, which ``coordinator_builds`` then reads)."""
    if not is_coordinator(user):
        return None
    block = CoordinatorBlock()
    block.cycles = list(
        ReportingCycle.objects.filter(coordinated_plans_q(user, via="plan__"), state=CycleState.OPEN)
        .select_related("plan", "ad_hoc_request")
        .annotate(
            expected=Count("reports"),
            sent=Count("reports", filter=Q(reports__state__in=SENT_STATES)),
            waiting=Count("reports", filter=Q(reports__state=ReportState.SUBMITTED)),
            accepted=Count("reports", filter=Q(reports__state=ReportState.ACCEPTED)),
        )
        .order_by("due_date", "pk")
    )
    for c in block.cycles:
        c.percent = round(100 * c.sent / c.expected) if c.expected else 0
    reports = AgencyReport.objects.filter(
        coordinated_plans_q(user, via="cycle__plan__"), cycle__state=CycleState.OPEN
    ).select_related("cycle__plan", "cycle__ad_hoc_request", "agency")
    review = reports.filter(state=ReportState.SUBMITTED).order_by("submitted_at", "pk")
    late = reports.filter(
        state__in=(ReportState.DRAFT, ReportState.WITH_HEAD),
        first_submitted_at__isnull=True,
        cycle__due_date__lt=today,
    ).order_by("cycle__due_date", "agency__name")
    block.to_review = list(review[:REVIEW_LIMIT])
    block.late = list(late[:LATE_LIMIT])
    counts = reports.aggregate(
        review=Count("pk", filter=Q(state=ReportState.SUBMITTED)),
        late=Count(
            "pk",
            filter=Q(
                state__in=(ReportState.DRAFT, ReportState.WITH_HEAD),
                first_submitted_at__isnull=True,
                cycle__due_date__lt=today,
            ),
        ),
    )
    block.to_review_total, block.late_total = counts["review"], counts["late"]
    for r in block.late:
        r.days_late = (today - r.cycle.due_date).days
    block.reminders = list(
        # Urging after the due date (positive steps): to whom, how many agencies, when last.
        ReminderLog.objects.filter(
            coordinated_plans_q(user, via="cycle__plan__"), cycle__state=CycleState.OPEN, step_offset__gt=0
        )
        .values("cycle_id", "cycle__plan__number", "cycle__plan__symbol", "step_offset")
        .annotate(agencies=Count("agency", distinct=True), last=Max("sent_at"))
        .order_by("-last")[:5]
    )
    if builds:
        block.builds = coordinator_builds(user=user)
    return block


def coordinator_builds(*, user) -> list[BuildRun]:
    """The latest three builds of the plans ``user`` coordinates, in any state (one query)."""
    return list(
        BuildRun.objects.filter(coordinated_plans_q(user, via="report__cycle__plan__"))
        .select_related("report__cycle__plan")
        .order_by("-created_at", "-pk")[:3]
    )


@dataclass
class PlanSummary:
    plan: Plan
    cycle: ReportingCycle | None
    percent: int
    expected: int
    sent: int
    tasks: list[tuple[str, str, int]]
    targets: list[tuple[str, str, int]]
    year: int
    latest_build: BuildRun | None
    html: str = ""  # the summary rendered but for its latest build (home.cached)


TASK_STATES = [
    (EntryStatus.DONE.value, EntryStatus.DONE.label),
    (EntryStatus.CONTINUING.value, EntryStatus.CONTINUING.label),
    (EntryStatus.IN_PROGRESS.value, EntryStatus.IN_PROGRESS.label),
    (EntryStatus.NOT_STARTED.value, EntryStatus.NOT_STARTED.label),
    (NO_REPORT, gettext_lazy("Chưa có báo cáo được tiếp nhận")),
]


SUMMARY_CACHE_SECONDS = 6 * 3600  # a version change makes an entry unreachable long before; this frees memory


def _plan_counts(*, user, plans: list[Plan], cycles: dict) -> dict[int, tuple[dict, int, dict]]:
    """``{plan id: (tasks by status code, scorecard year, targets by status)}``, the costly part of a summary,
    cached per version of the plan, its reports and its figures (``core.versions``, bumped in the transaction of
    any change they show), per the figures the user may see (``figure_visibility_key``) and per day: the home
    page draws the task statuses and scorecard of each followed plan only when something changed."""
    keys = [
        k for plan in plans for k in (plan_key(plan.pk), plan_reports_key(plan.pk), plan_figures_key(plan.pk))
    ]
    versions = tokens(*keys).split(".")
    today = timezone.localdate().isoformat()
    wanted = {}
    for i, plan in enumerate(plans):
        cycle = cycles.get(plan.pk)
        parts = (plan.pk, cycle.pk if cycle else None, versions[3 * i : 3 * i + 3], today)
        digest = hashlib.sha256(repr((*parts, figure_visibility_key(user, plan))).encode()).hexdigest()[:32]
        wanted[plan.pk] = f"home:plan-counts:{plan.pk}:{digest}"
    found = cache.get_many(list(wanted.values()))
    result, missing = {}, {}
    for plan in plans:
        counts = found.get(wanted[plan.pk])
        if counts is None:
            cycle = cycles.get(plan.pk)
            tasks = dict(Counter(s.code for s in cycle_task_statuses(cycle=cycle).values())) if cycle else {}
            year = scorecard_default_year(plan=plan, user=user)
            targets = dict(
                Counter(str(r.verdict.status) for r in plan_scorecard(plan=plan, user=user, year=year))
            )
            counts = (tasks, year, targets)
            missing[wanted[plan.pk]] = counts
        result[plan.pk] = counts
    if missing:
        cache.set_many(missing, SUMMARY_CACHE_SECONDS)
    return result


def latest_builds(*, user, plans) -> dict[int, BuildRun]:
    """``{plan id: the latest finished consolidated report}`` of ``plans`` that ``user`` may see (one query)."""
    builds = {}
    for run in (
        BuildRun.objects.for_user(user)
        .filter(state=BuildState.DONE, report__cycle__plan__in=plans)
        .select_related("report__cycle")
        .order_by("-finished_at", "-pk")
    ):
        builds.setdefault(run.report.cycle.plan_id, run)
    return builds


def plan_summaries(*, user, plans: list[Plan], with_builds: bool = True) -> list[PlanSummary]:
    """One screen per plan for those who follow plans up: the latest yearly cycle's reported share, its tasks by
    status (reporting.task_status, accepted reports only), its targets by status (the scorecard of the latest year
    with figures) and the latest finished consolidated report. Two queries, then a few per plan."""
    if not plans:
        return []
    cycles = {}
    for c in (
        ReportingCycle.objects.filter(plan__in=plans, period_type="yearly")
        .annotate(
            expected=Count("reports"),
            sent=Count("reports", filter=Q(reports__state__in=SENT_STATES)),
        )
        .order_by("plan_id", "-year")
    ):
        cycles.setdefault(c.plan_id, c)
    builds = latest_builds(user=user, plans=plans) if with_builds else {}
    summaries = []
    counts = _plan_counts(user=user, plans=plans, cycles=cycles)
    for plan in plans:
        cycle = cycles.get(plan.pk)
        tasks_count, year, targets_count = counts[plan.pk]
        summaries.append(
            PlanSummary(
                plan=plan,
                cycle=cycle,
                expected=cycle.expected if cycle else 0,
                sent=cycle.sent if cycle else 0,
                percent=round(100 * cycle.sent / cycle.expected) if cycle and cycle.expected else 0,
                tasks=[
                    (code, str(label), tasks_count[code])
                    for code, label in TASK_STATES
                    if tasks_count.get(code)
                ],
                targets=[
                    (s.value, s.label, targets_count[s.value]) for s in Status if targets_count.get(s.value)
                ],
                year=year,
                latest_build=builds.get(plan.pk),
            )
        )
    return summaries


@dataclass
class AccountsBlock:
    active: int
    inactive: int
    must_change: int
    locked_out: int


def admin_block(*, user) -> AccountsBlock | None:
    """For administrators: accounts that need them (one aggregate query, plus the lockout list)."""
    if not is_administrator(user):
        return None
    counts = get_user_model().objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
        must_change=Count("pk", filter=Q(is_active=True, must_change_password=True)),
    )
    return AccountsBlock(**counts, locked_out=len(usernames_locked_out()))


def today_local() -> datetime.date:
    return timezone.localdate()
