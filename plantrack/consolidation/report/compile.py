"""What the consolidated report says, gathered from the database: selectors only, no writes, no formatting.

Rules (docs/consolidated-report.md):

- **Results of tasks** come only from the snapshot (``ReportSubmission.snapshot``) of each report's *accepted*
  submission (``AgencyReport.accepted_submission``). Live report rows are never read, so a report being edited,
  a draft, a submitted-but-not-accepted or a returned report contributes nothing.
- **Figures of targets** (``indicators.YearlyFigure``) count when they were typed into a report that has been
  accepted, or entered outside any report (statistics typed by the department in charge, earlier years). A figure
  attached to a report that is not accepted (draft, submitted, returned) is left out. Every figure keeps its
  provenance: agency, report, accepted submission (id, number, time), who entered it and when, its source note,
  and whether it was changed after the submission was sent (only the department in charge can do that).
- A figure for a year after the cycle's year is ignored.

Everything here is plain data (dataclasses) consumed by ``docx.py`` and ``xlsx.py``; the number of queries does
not depend on the number of agencies or figures.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from plantrack.core.text import vi_sort_key
from plantrack.indicators.labels import goal_text
from plantrack.indicators.models import IndicatorComponent, IndicatorDefinition, YearlyFigure
from plantrack.indicators.selectors import IndicatorView, ScorecardRow, indicator_points, scorecard_rows
from plantrack.indicators.status import Status, Verdict
from plantrack.inspection.report import section as inspection_section
from plantrack.plans.models import AssignmentRole, Comparator, Plan, Target, Task, TaskGroup
from plantrack.plans.responsibility import PlanResponsibility
from plantrack.reporting.facts import (
    CycleFactTotals,
    ProposalGroup,
    cycle_facts_totals,
    cycle_proposal_groups,
)
from plantrack.reporting.models import AgencyReport, EntryStatus, ReportingCycle, ReportState
from plantrack.reporting.task_status import NO_REPORT, TaskStatus, cycle_owed_entries, task_statuses
from plantrack.reporting.timeliness import timeliness_summary

STATUS_LABELS = dict(EntryStatus.choices)
ROLE_LABELS = dict(AssignmentRole.choices)

# The task's overall status, when no accepted report covers it.
NO_REPORT_LABEL = "Chưa có báo cáo được tiếp nhận"


def fmt_dt(dt: datetime.datetime | None) -> str:
    return timezone.localtime(dt).strftime("%H:%M %d/%m/%Y") if dt else ""


def fmt_date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def with_unit(number: str, unit: str) -> str:
    """``54,0 %``, ``8,87 người/vạn dân``; the number alone when the target has no unit."""
    unit = (unit or "").strip()
    return f"{number} {unit}" if number and unit else number


@dataclass(frozen=True)
class Source:
    """One accepted submission the report draws on."""

    agency_id: int
    agency_name: str  # as it was in the snapshot
    report_id: int
    submission_id: int
    submission_number: int
    submitted_at: datetime.datetime
    accepted_at: datetime.datetime | None
    is_late: bool

    @property
    def label(self) -> str:
        """``Sở Tài chính — báo cáo #12, lần gửi 2 (mã 34) lúc 14:00 25/11/2025``."""
        return (
            f"{self.agency_name} — báo cáo #{self.report_id}, lần gửi {self.submission_number} "
            f"(mã {self.submission_id}) lúc {fmt_dt(self.submitted_at)}"
        )


@dataclass(frozen=True)
class Contribution:
    """One agency's account of one task, copied from its accepted submission."""

    source: Source
    task_id: int
    role: str
    status: str
    results: str
    difficulties: str
    evidence_count: int
    # Words for role and status, evaluated once per compilation (lazy translations are slow in bulk).
    role_label: str = ""
    status_label: str = ""


@dataclass
class TaskBlock:
    task: Task
    lead_text: str
    coordinate_text: str
    contributions: list[Contribution] = field(default_factory=list)
    expected: dict[str, int] = field(default_factory=dict)  # role -> number of agencies owing it this cycle
    state: TaskStatus | None = None  # set by the compiler (plantrack.reporting.task_status)

    @property
    def status(self) -> str:
        """``done``, ``continuing``, ``in_progress``, ``not_started`` or ``no_report`` (the one shared rule)."""
        return self.state.code if self.state else NO_REPORT

    @property
    def status_label(self) -> str:
        """ "Hoàn thành", or "2/9 đơn vị chủ trì đã hoàn thành (3 đang triển khai, 4 chưa có báo cáo …)"."""
        if self.state is None or (self.state.code == NO_REPORT and not self.state.leads_total):
            return NO_REPORT_LABEL
        return self.state.text

    @property
    def lead_contributions(self) -> list[Contribution]:
        return [c for c in self.contributions if c.role == AssignmentRole.LEAD]

    @property
    def coordinate_contributions(self) -> list[Contribution]:
        return [c for c in self.contributions if c.role != AssignmentRole.LEAD]

    @property
    def coverage_text(self) -> str:
        """``3/12 đơn vị chủ trì; 2/5 đơn vị phối hợp đã có báo cáo được tiếp nhận``."""
        parts = []
        for role, label in ((AssignmentRole.LEAD, "chủ trì"), (AssignmentRole.COORDINATE, "phối hợp")):
            expected = self.expected.get(role, 0)
            got = len({c.source.agency_id for c in self.contributions if c.role == role})
            if expected or got:
                parts.append(f"{got}/{expected} đơn vị {label}")
        if not parts:
            return ""
        return "; ".join(parts) + " đã có báo cáo được tiếp nhận"


@dataclass
class GroupBlock:
    group: TaskGroup
    tasks: list[TaskBlock]

    @property
    def number(self) -> str:
        """III.2 → "2"."""
        return self.group.code.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class FigureSource:
    """Where one typed-in figure came from."""

    figure_id: int
    series: str  # the indicator or component name
    year: int
    value: Decimal
    agency_name: str
    entered_by: str
    entered_at: datetime.datetime | None
    source_note: str
    is_demo: bool
    report_id: int | None = None
    submission_id: int | None = None
    submission_number: int | None = None
    submitted_at: datetime.datetime | None = None
    accepted_at: datetime.datetime | None = None
    changed_after_submission: bool = False

    @property
    def label(self) -> str:
        if self.report_id:
            text = (
                f"{self.agency_name}: báo cáo #{self.report_id}, lần gửi {self.submission_number} "
                f"(mã {self.submission_id}) ngày {fmt_dt(self.submitted_at)[-10:]}"
            )
            if self.changed_after_submission:
                text += f"; điều chỉnh bởi {self.entered_by} lúc {fmt_dt(self.entered_at)}"
        else:
            who = self.agency_name or self.entered_by or "—"
            text = f"{who}: nhập trực tiếp" + (
                f" ngày {fmt_dt(self.entered_at)[-10:]}" if self.entered_at else ""
            )
        if self.source_note:
            text += f" ({self.source_note})"
        return text


@dataclass
class YearValue:
    year: int
    value: Decimal | None
    text: str
    sources: list[FigureSource] = field(default_factory=list)
    problem: str = ""


@dataclass
class TargetRow:
    target: Target
    view: IndicatorView | None
    verdict: Verdict
    this_year: YearValue
    last_year: YearValue
    parts: list[TargetRow] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.target.short_name or self.target.text

    @property
    def unit(self) -> str:
        if self.view and self.view.definition.unit:
            return self.view.definition.unit
        return self.target.unit

    @property
    def goal(self) -> str:
        if self.target.comparator == Comparator.COMPOUND:
            # goal_text's "chỉ tiêu ghép" is a category name, not what the plan asks for.
            return (
                f"Gồm {len(self.parts)} chỉ tiêu thành phần" if self.parts else "Gồm các chỉ tiêu thành phần"
            )
        return goal_text(self.target)

    @property
    def assessment(self) -> str:
        if self.target.comparator == Comparator.QUALITATIVE:
            return "Định tính"
        return self.verdict.label

    @property
    def sources(self) -> list[FigureSource]:
        return [*self.last_year.sources, *self.this_year.sources]

    @property
    def source_text(self) -> str:
        if self.target.comparator == Comparator.COMPOUND:
            return "Theo các chỉ tiêu thành phần"
        labels = []
        for s in self.this_year.sources or self.last_year.sources:
            if s.label not in labels:
                labels.append(s.label)
        if not labels and self.view and self.view.definition.provider_id:
            return f"{self.view.definition.provider.name}: chưa có số liệu được tiếp nhận"
        return "; ".join(labels)


@dataclass
class Compilation:
    cycle: ReportingCycle
    plan: Plan
    issuer_name: str
    issuer_short: str
    coordinator_name: str
    parent_name: str
    place: str
    year: int
    sources: list[Source]
    groups: list[GroupBlock]
    targets: list[TargetRow]
    state_counts: dict[str, int]
    sections: dict[str, list[tuple[str, str]]]  # field -> [(agency name, text)] from accepted snapshots
    compiled_at: datetime.datetime
    # The department in charge reports on the tasks it leads like any agency (its results count like theirs), but
    # is never one of "the agencies" it received reports from or waits for (issue 12 point 5).
    own_report_state: str = ""  # display state code of the department's own report; "" when it owes none
    # Tasks with a deadline and how many were done on time, on the report's data date (issue 14, one rule).
    timeliness: dict = field(default_factory=dict)
    # "Công tác kiểm tra, giám sát": paragraphs from inspection.report.section (issue 14 point 4).
    inspection: list[str] = field(default_factory=list)

    @property
    def agency_sources(self) -> list[Source]:
        """The accepted reports of the agencies, the department's own left out."""
        return [s for s in self.sources if s.agency_id != self.plan.coordinator_agency_id]

    @property
    def agency_state_counts(self) -> dict[str, int]:
        """``state_counts`` of the agencies, the department's own report left out."""
        counts = dict(self.state_counts)
        if self.own_report_state:
            counts[self.own_report_state] -= 1
        return {code: n for code, n in counts.items() if n}

    # Documents, events and funding per task group and plan; section V's proposals by addressee (facts.py).
    facts: CycleFactTotals | None = None
    proposal_groups: list[ProposalGroup] = field(default_factory=list)
    # The same sections with the accepted submission each came from, for the composer (composer.py) and the
    # manifest's sentence sources: field -> [(source, text)].
    section_sources: dict[str, list[tuple[Source, str]]] = field(default_factory=dict)

    @property
    def tasks(self) -> list[TaskBlock]:
        return [t for g in self.groups for t in g.tasks]

    @property
    def as_of(self) -> datetime.date:
        """The day the report speaks of ("Đến ngày …"): the cycle's data cut-off, never the day of the build."""
        return self.cycle.data_as_of or self.cycle.due_date

    @property
    def expected_count(self) -> int:
        return sum(self.state_counts.values())

    @property
    def accepted_count(self) -> int:
        return len(self.sources)

    def task_status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for block in self.tasks:
            counts[block.status] += 1
        return dict(counts)

    def target_status_counts(self) -> dict[Status, int]:
        counts: dict[Status, int] = defaultdict(int)
        for row in self.targets:
            counts[row.verdict.status] += 1
        return dict(counts)

    def figure_sources(self) -> list[FigureSource]:
        seen: dict[int, FigureSource] = {}
        for row in self.targets:
            for r in [row, *row.parts]:
                for s in r.sources:
                    seen.setdefault(s.figure_id, s)
        return sorted(seen.values(), key=lambda s: (s.series, s.year))


# --- selectors ------------------------------------------------------------------------------------------------


def accepted_sources(*, cycle: ReportingCycle) -> tuple[list[Source], list[dict]]:
    """The accepted submissions of ``cycle`` with their snapshots, in the Vietnamese order of the agency names
    (as sent). One query."""
    reports = (
        AgencyReport.objects.filter(
            cycle=cycle, state=ReportState.ACCEPTED, accepted_submission__isnull=False
        )
        .select_related("accepted_submission")
        .order_by("agency__sort_key", "pk")
    )
    sources, snapshots = [], []
    for report in reports:
        submission = report.accepted_submission
        snapshot = submission.snapshot or {}
        agency = snapshot.get("agency") or {}
        sources.append(
            Source(
                agency_id=report.agency_id,
                agency_name=agency.get("name") or "",
                report_id=report.pk,
                submission_id=submission.pk,
                submission_number=submission.number,
                submitted_at=submission.submitted_at,
                accepted_at=report.accepted_at,
                is_late=submission.is_late,
            )
        )
        snapshots.append(snapshot)
    # The database sorts by code point ("Ủy ban" after "Văn phòng"); the document lists agencies as people read.
    order = sorted(range(len(sources)), key=lambda i: vi_sort_key(sources[i].agency_name))
    return [sources[i] for i in order], [snapshots[i] for i in order]


def _assignment_texts(plan: Plan, day: datetime.date) -> dict[int, dict[str, str]]:
    """``{task_id: {role: "names as written (nay: successor)"}}``."""
    responsibility = PlanResponsibility(plan=plan, day=day)
    names: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for assignment in responsibility.assignments:
        text = assignment.display_name
        if assignment.agency_id:
            now = responsibility.now(assignment)
            if now.changed:
                successor = ", ".join(now.names) or "không còn đơn vị kế thừa"
                text = f"{text} (nay: {successor})"
        if text and text not in names[assignment.task_id][assignment.role]:
            names[assignment.task_id][assignment.role].append(text)
    return {
        task_id: {role: "; ".join(values) for role, values in roles.items()}
        for task_id, roles in names.items()
    }


def _figure_source(figure: YearlyFigure, series_name: str) -> FigureSource:
    report = figure.report if figure.report_id else None
    agency_name = figure.agency.name if figure.agency_id else (report.agency.name if report else "")
    common = {
        "figure_id": figure.pk,
        "series": series_name,
        "year": figure.year,
        "value": figure.value,
        "agency_name": agency_name,
        "entered_by": figure.entered_by.display_name if figure.entered_by_id else "",
        "entered_at": figure.updated_at,
        "source_note": figure.source_note,
        "is_demo": figure.is_demo,
    }
    if report is None:
        return FigureSource(**common)
    submission = report.accepted_submission
    return FigureSource(
        **common,
        report_id=report.pk,
        submission_id=submission.pk,
        submission_number=submission.number,
        submitted_at=submission.submitted_at,
        accepted_at=report.accepted_at,
        # Only the department in charge may change a figure of a report once sent; say so when it did.
        changed_after_submission=bool(figure.updated_at and figure.updated_at > submission.submitted_at),
    )


def usable_figures(*, plan: Plan, year: int) -> list[YearlyFigure]:
    """Figures of ``plan`` up to ``year`` that the consolidated report may use (see the module docstring)."""
    figures = (
        YearlyFigure.objects.filter(definition__target__plan=plan, year__lte=year)
        .select_related("report__accepted_submission", "report__agency", "agency", "entered_by", "component")
        .order_by("definition_id", "component_id", "year")
    )
    return [f for f in figures if f.report_id is None or f.report.state == ReportState.ACCEPTED]


def _year_value(view: IndicatorView | None, year: int, series_names: dict) -> YearValue:
    if view is None:
        return YearValue(year, None, "")
    point = view.points.get(year)
    if point is None:
        return YearValue(year, None, "")
    sources = [
        _figure_source(f, series_names.get((f.definition_id, f.component_id), "")) for f in point.figures
    ]
    if point.value is None:
        return YearValue(year, None, "", sources, problem=point.problem)
    # Every number is printed with its unit: "54,0 %", "8,87 người/vạn dân".
    unit = view.definition.unit or view.target.unit
    text = with_unit(view.fmt(point.value), unit)
    if view.is_cumulative:
        text = f"{text} (cộng dồn {with_unit(view.fmt(view.cumulative(year)), unit)})"
    return YearValue(year, point.value, text, sources)


def _target_rows(plan: Plan, year: int) -> list[TargetRow]:
    targets = list(Target.objects.filter(plan=plan).order_by("order", "pk"))
    definitions = {
        d.target_id: d
        for d in IndicatorDefinition.objects.filter(target__plan=plan)
        .select_related("provider")
        .prefetch_related(Prefetch("components", queryset=IndicatorComponent.objects.order_by("order", "pk")))
    }
    figures: dict[int, list[YearlyFigure]] = defaultdict(list)
    for figure in usable_figures(plan=plan, year=year):
        figures[figure.definition_id].append(figure)

    by_id = {t.pk: t for t in targets}
    series_names: dict[tuple[int, int | None], str] = {}
    views: dict[int, IndicatorView] = {}
    for target_id, definition in definitions.items():
        if target_id not in by_id:
            continue
        definition.target = by_id[target_id]
        series_names[(definition.pk, None)] = definition.name
        for component in definition.components.all():
            series_names[(definition.pk, component.pk)] = component.label
        views[target_id] = IndicatorView(
            by_id[target_id], definition, indicator_points(definition, figures[definition.pk])
        )

    def row(scored: ScorecardRow) -> TargetRow:
        # A compound target has no view of its own, so its year values stay empty.
        return TargetRow(
            target=scored.target,
            view=scored.view,
            verdict=scored.verdict,
            this_year=_year_value(scored.view, year, series_names),
            last_year=_year_value(scored.view, year - 1, series_names),
            parts=[row(part) for part in scored.parts],
        )

    return [row(scored) for scored in scorecard_rows(targets=targets, views=views, year=year)]


def _sections(snapshots: list[dict], sources: list[Source]) -> dict[str, list[tuple[str, str]]]:
    result: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for snapshot, source in zip(snapshots, sources, strict=True):
        for name, text in (snapshot.get("sections") or {}).items():
            if text and text.strip():
                result[name].append((source.agency_name, text.strip()))
    return dict(result)


def consolidated_compile(*, cycle: ReportingCycle, now: datetime.datetime | None = None) -> Compilation:
    """Everything the consolidated report of ``cycle`` shows, from accepted submissions and usable figures."""
    cycle = ReportingCycle.objects.select_related("plan__issuer", "plan__coordinator_agency__parent").get(
        pk=cycle.pk
    )
    plan = cycle.plan
    sources, snapshots = accepted_sources(cycle=cycle)

    groups = list(TaskGroup.objects.filter(plan=plan).order_by("order", "pk"))
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "pk"))
    texts = _assignment_texts(plan, cycle.due_date)
    owed = cycle_owed_entries(cycle=cycle)
    expected: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for task_id, _agency_id, _name, role in owed:
        expected[task_id][role] += 1
    states = task_statuses(
        owed=owed, accepted=[(s.agency_id, snap) for s, snap in zip(sources, snapshots, strict=True)]
    )

    blocks = {
        t.pk: TaskBlock(
            task=t,
            lead_text=texts.get(t.pk, {}).get(AssignmentRole.LEAD, ""),
            coordinate_text=texts.get(t.pk, {}).get(AssignmentRole.COORDINATE, ""),
            expected=dict(expected.get(t.pk, {})),
            state=states.get(t.pk),
        )
        for t in tasks
    }
    role_labels = {k: str(v) for k, v in ROLE_LABELS.items()}
    status_labels = {k: str(v) for k, v in STATUS_LABELS.items()}
    for snapshot, source in zip(snapshots, sources, strict=True):
        for entry in snapshot.get("entries") or []:
            block = blocks.get(entry.get("task_id"))
            if block is None:
                continue
            block.contributions.append(
                Contribution(
                    source=source,
                    task_id=block.task.pk,
                    role=entry.get("role") or "",
                    status=entry.get("status") or "",
                    results=(entry.get("results") or "").strip(),
                    difficulties=(entry.get("difficulties") or "").strip(),
                    evidence_count=len(entry.get("evidence") or []),
                    role_label=role_labels.get(entry.get("role") or "", entry.get("role") or ""),
                    status_label=status_labels.get(entry.get("status") or "", ""),
                )
            )
    for block in blocks.values():
        # Lead agencies first, then coordinating ones, each by name.
        block.contributions.sort(
            key=lambda c: (c.role != AssignmentRole.LEAD, vi_sort_key(c.source.agency_name))
        )
    by_group: dict[int, list[TaskBlock]] = defaultdict(list)
    for t in tasks:
        by_group[t.group_id].append(blocks[t.pk])

    state_counts: dict[str, int] = defaultdict(int)
    own_report_state = ""
    for report in AgencyReport.objects.filter(cycle=cycle).select_related("cycle"):
        code, _label = report.display_state(now)
        state_counts[code] += 1
        if report.agency_id == plan.coordinator_agency_id:
            own_report_state = code

    coordinator = plan.coordinator_agency
    return Compilation(
        cycle=cycle,
        plan=plan,
        issuer_name=plan.issuer.name,
        issuer_short=plan.issuer.short_name or plan.issuer.name,
        coordinator_name=coordinator.name,
        parent_name=coordinator.parent.name if coordinator.parent_id else "",
        place=plan.place,
        year=cycle.year,
        sources=sources,
        groups=[GroupBlock(g, by_group[g.pk]) for g in groups],
        targets=_target_rows(plan, cycle.year),
        state_counts=dict(state_counts),
        sections=_sections(snapshots, sources),
        compiled_at=now or timezone.now(),
        own_report_state=own_report_state,
        timeliness=timeliness_summary(plan, cycle.data_as_of or cycle.due_date),
        inspection=inspection_section(plan, cycle.year, cycle.data_as_of or cycle.due_date),
        **_facts_and_proposals(cycle, snapshots, sources),
        section_sources=_section_sources(snapshots, sources),
    )


def _section_sources(snapshots: list[dict], sources: list[Source]) -> dict[str, list[tuple[Source, str]]]:
    """The accepted reports' own sections with their submission (the composer's contributions)."""
    result: dict[str, list[tuple[Source, str]]] = defaultdict(list)
    for snapshot, source in zip(snapshots, sources, strict=True):
        for name, text in (snapshot.get("sections") or {}).items():
            if text and text.strip():
                result[name].append((source, text.strip()))
    return dict(result)


def _facts_and_proposals(cycle: ReportingCycle, snapshots: list[dict], sources: list[Source]) -> dict:
    """Totals of the structured facts and the proposals routed to section V, from the accepted snapshots."""
    return {
        "facts": cycle_facts_totals(cycle=cycle, snapshots=snapshots),
        "proposal_groups": cycle_proposal_groups(
            cycle=cycle, snapshots=snapshots, agency_names=[s.agency_name for s in sources]
        ),
    }


__all__ = [
    "Compilation",
    "Contribution",
    "FigureSource",
    "GroupBlock",
    "Source",
    "TargetRow",
    "TaskBlock",
    "YearValue",
    "accepted_sources",
    "consolidated_compile",
    "usable_figures",
]
