"""Reads over plans used by several apps."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from plantrack.core.text import fold, vi_sort_key, vi_sort_string
from plantrack.orgs.models import Agency, AgencyGroup, AgencyKind, GroupMembership

from .models import Assignment, AssignmentRole, Plan, Task, TaskGroup
from .responsibility import PlanResponsibility


def assignments_expanded(*, plan: Plan, day: datetime.date) -> dict[int, dict[int, set[str]]]:
    """``{agency_id: {task_id: {roles}}}`` for every agency that owes a task of ``plan`` on ``day``.

    Agencies named in the plan are followed to whoever answers for them on ``day`` (organisation changes); a group
    assignment means every member on ``day``; "… liên quan" (related_only) and unnamed assignments name nobody in
    particular and are not expanded. A fixed number of queries whatever the plan's size. Where an inherited task
    came from: ``plantrack.plans.responsibility.PlanResponsibility.owed()``.
    """
    owed = PlanResponsibility(plan=plan, day=day).owed()
    return {
        agency_id: {task_id: set(o.roles) for task_id, o in tasks.items()}
        for agency_id, tasks in owed.items()
    }


# --- pages: the agency's tasks and the assignment matrix ---------------------------------------------------------

_ROLE_ORDER = [AssignmentRole.LEAD, AssignmentRole.COORDINATE]


def _strongest(roles) -> str:
    """The role a task counts under when an agency holds both: leading outranks coordinating."""
    return AssignmentRole.LEAD if AssignmentRole.LEAD in roles else AssignmentRole.COORDINATE


@dataclass
class AgencyTaskRow:
    """One task an agency owes, and how: ``direct`` roles name the agency itself, ``via`` lists (group, role) for
    the groups that bring it; ``related_only`` rows come only from "… liên quan" and may or may not concern it."""

    task: Task
    roles: list[str] = field(default_factory=list)
    direct: set[str] = field(default_factory=set)
    via: list[tuple[AgencyGroup, str]] = field(default_factory=list)
    related_only: bool = False

    @property
    def is_lead(self) -> bool:
        return AssignmentRole.LEAD in self.roles

    @property
    def leads(self) -> list[Assignment]:
        return [a for a in self.task.assignments.all() if a.role == AssignmentRole.LEAD]

    @property
    def coordinates(self) -> list[Assignment]:
        return [a for a in self.task.assignments.all() if a.role == AssignmentRole.COORDINATE]


def agency_task_rows(*, agency: Agency, day: datetime.date | None = None, plans=None) -> list[AgencyTaskRow]:
    """What ``agency`` leads or coordinates across ``plans`` (default: published plans), directly or through the
    groups it belongs to on ``day``, plus the tasks given to "… liên quan" of those groups (``related_only``).

    Rows come in plan and outline order; each task's assignments are prefetched. A constant number of queries.
    """
    day = day or datetime.date.today()
    plans = plans if plans is not None else Plan.objects.filter(is_published=True)
    group_ids = list(
        GroupMembership.objects.valid_on(day).filter(agency=agency).values_list("group_id", flat=True)
    )
    own = (
        Assignment.objects.filter(task__plan__in=plans)
        .exclude(task__cancelled_on__lte=day)  # cancelled by an amendment: nobody owes it any more
        .filter(models.Q(agency=agency) | models.Q(group_id__in=group_ids))
        .select_related("group")
    )
    rows: dict[int, AgencyTaskRow] = {}
    maybe: dict[int, AgencyTaskRow] = {}
    for a in own:
        if a.agency_id:
            rows.setdefault(a.task_id, AgencyTaskRow(task=None)).direct.add(a.role)
        elif a.related_only:
            maybe.setdefault(a.task_id, AgencyTaskRow(task=None, related_only=True)).via.append(
                (a.group, a.role)
            )
        else:
            rows.setdefault(a.task_id, AgencyTaskRow(task=None)).via.append((a.group, a.role))
    for task_id in rows:
        maybe.pop(task_id, None)
    every = {**rows, **maybe}
    tasks = (
        Task.objects.filter(pk__in=every)
        .select_related("plan", "group")
        .prefetch_related(
            models.Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("agency", "group").order_by("order", "pk"),
            )
        )
        .order_by("-plan__issued_on", "plan_id", "order")
    )
    result = []
    for task in tasks:
        row = every[task.pk]
        row.task = task
        held = row.direct | {role for _, role in row.via}
        row.roles = [r for r in _ROLE_ORDER if r in held]
        result.append(row)
    return result


@dataclass
class AgencyTaskSummary:
    """How many tasks an agency leads, coordinates, or may be concerned by ("… liên quan"), and the first
    ``leading`` tasks it leads (those naming it directly first, then plan and outline order): the home page's panel."""

    lead: int
    coordinate: int
    maybe: int
    leading: list[Task]


def agency_task_summary(
    *, agency: Agency, day: datetime.date | None = None, plans=None, leading: int = 5
) -> AgencyTaskSummary:
    """The counts of ``agency_task_rows`` counted from the assignment rows alone (no task loaded), then the
    ``leading`` first led tasks in one query: three queries, none of which loads more than ``leading`` tasks."""
    day = day or datetime.date.today()
    plans = plans if plans is not None else Plan.objects.filter(is_published=True)
    group_ids = list(
        GroupMembership.objects.valid_on(day).filter(agency=agency).values_list("group_id", flat=True)
    )
    own = (
        Assignment.objects.filter(task__plan__in=plans)
        .filter(models.Q(agency=agency) | models.Q(group_id__in=group_ids))
        .exclude(
            task__cancelled_on__lte=day
        )  # as agency_task_rows: a task cancelled by an amendment is owed by none
        .values_list("task_id", "agency_id", "related_only", "role")
    )
    held: dict[int, set[str]] = defaultdict(set)
    direct: set[int] = set()
    maybe: set[int] = set()
    for task_id, agency_id, related_only, role in own:
        if agency_id:
            held[task_id].add(role)
            direct.add(task_id)
        elif related_only:
            maybe.add(task_id)
        else:
            held[task_id].add(role)
    led = [task_id for task_id, roles in held.items() if AssignmentRole.LEAD in roles]
    first: list[Task] = []
    if led and leading:
        # Tasks that name the agency itself come first; then plan and outline order, as agency_task_rows.
        order = models.Case(models.When(pk__in=[t for t in led if t in direct], then=0), default=1)
        first = list(
            Task.objects.filter(pk__in=led)
            .select_related("plan")
            .order_by(order, "-plan__issued_on", "plan_id", "order")[:leading]
        )
    return AgencyTaskSummary(
        lead=len(led), coordinate=len(held) - len(led), maybe=len(maybe - held.keys()), leading=first
    )


@dataclass
class MatrixCell:
    lead: int = 0
    coordinate: int = 0

    @property
    def total(self) -> int:
        return self.lead + self.coordinate

    def add(self, role: str) -> None:
        if role == AssignmentRole.LEAD:
            self.lead += 1
        else:
            self.coordinate += 1


@dataclass
class MatrixRow:
    """A row of the matrix: an agency, or a group / unnamed assignee as the plan writes it."""

    label: str
    cells: list[MatrixCell]
    agency: Agency | None = None
    group_code: str = ""
    kind: str = ""
    note: str = ""

    @property
    def total(self) -> MatrixCell:
        return MatrixCell(sum(c.lead for c in self.cells), sum(c.coordinate for c in self.cells))

    @property
    def kind_label(self) -> str:
        return AgencyKind(self.kind).label if self.kind in AgencyKind.values else ""


@dataclass
class AssignmentMatrix:
    task_groups: list[TaskGroup]
    rows: list[MatrixRow]
    general_rows: list[MatrixRow]
    tasks_per_group: list[int]
    day: datetime.date | None = None

    @property
    def column_totals(self) -> list[MatrixCell]:
        return [
            MatrixCell(sum(r.cells[i].lead for r in self.rows), sum(r.cells[i].coordinate for r in self.rows))
            for i in range(len(self.task_groups))
        ]

    @property
    def grand_total(self) -> MatrixCell:
        cols = self.column_totals
        return MatrixCell(sum(c.lead for c in cols), sum(c.coordinate for c in cols))

    @property
    def task_count(self) -> int:
        return sum(self.tasks_per_group)


def _as_written_key(a: dict) -> tuple:
    if a["agency_id"]:
        return ("agency", a["agency_id"])
    if a["group_id"]:
        return ("group", a["group_id"], a["related_only"])
    return ("written", fold(a["as_written"]))


def _as_written_label(a: dict) -> str:
    if a["agency_id"]:
        return a["agency__name"]
    if a["group_id"]:
        return f"{a['group__name']} liên quan" if a["related_only"] else a["group__name"]
    return a["as_written"]


def _fold_sort(text: str) -> tuple:
    return vi_sort_key(text)


def plan_assignment_matrix(
    *, plan: Plan, day: datetime.date | None = None, as_written: bool = False
) -> AssignmentMatrix:
    """Agencies × task groups with the number of tasks each agency leads (CT) and coordinates (PH).

    By default group assignments are expanded to the members on ``day`` (the plan's date unless given); a task an
    agency both leads and coordinates counts once, as lead. Assignments that name nobody in particular ("… liên
    quan", "các cơ quan liên quan", or a group with no member on ``day``) are kept apart in ``general_rows``.
    With ``as_written`` every row is an assignee exactly as the plan names it, group or agency, unexpanded.
    A constant number of queries whatever the plan's size.
    """
    day = day or plan.issued_on
    task_groups = list(plan.task_groups.all())
    column = {g.pk: i for i, g in enumerate(task_groups)}
    task_column = {t["pk"]: column[t["group_id"]] for t in plan.tasks.values("pk", "group_id")}
    tasks_per_group = [0] * len(task_groups)
    for col in task_column.values():
        tasks_per_group[col] += 1
    assignments = list(
        Assignment.objects.filter(task__plan=plan).values(
            "task_id",
            "role",
            "agency_id",
            "agency__name",
            "agency__kind",
            "group_id",
            "group__name",
            "group__code",
            "related_only",
            "as_written",
        )
    )

    def tally(keyed: dict[tuple, dict[int, set[str]]]) -> dict[tuple, list[MatrixCell]]:
        out = {}
        for key, per_task in keyed.items():
            cells = [MatrixCell() for _ in task_groups]
            for task_id, roles in per_task.items():
                cells[task_column[task_id]].add(_strongest(roles))
            out[key] = cells
        return out

    if as_written:
        keyed: dict[tuple, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        labels: dict[tuple, dict] = {}
        for a in assignments:
            key = _as_written_key(a)
            keyed[key][a["task_id"]].add(a["role"])
            labels.setdefault(key, a)
        agencies = Agency.objects.in_bulk([k[1] for k in keyed if k[0] == "agency"])
        rows = [
            MatrixRow(
                label=_as_written_label(labels[key]),
                cells=cells,
                agency=agencies.get(key[1]) if key[0] == "agency" else None,
                group_code=labels[key]["group__code"] or "",
                kind=key[0],
            )
            for key, cells in tally(keyed).items()
        ]
        # Groups first (they are how the plan speaks), then agencies, then unnamed assignees.
        rank = {"group": 0, "agency": 1, "written": 2}
        rows.sort(key=lambda r: (rank[r.kind], -r.total.lead, _fold_sort(r.label)))
        return AssignmentMatrix(
            task_groups=task_groups, rows=rows, general_rows=[], tasks_per_group=tasks_per_group, day=None
        )

    owed = assignments_expanded(plan=plan, day=day)
    # Only the groups the plan names matter: their members on ``day`` counted in SQL, not the whole country's
    # memberships in Python.
    named_groups = {a["group_id"] for a in assignments if a["group_id"] and not a["agency_id"]}
    members_count: dict[int, int] = defaultdict(int)
    if named_groups:
        members_count.update(
            GroupMembership.objects.valid_on(day)
            .filter(group_id__in=named_groups, agency__in=Agency.objects.valid_on(day))
            .values("group_id")
            .annotate(n=models.Count("pk"))
            .values_list("group_id", "n")
        )
    general: dict[tuple, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    labels = {}
    for a in assignments:
        if a["agency_id"]:
            continue
        if a["group_id"] and not a["related_only"] and members_count[a["group_id"]]:
            continue
        key = _as_written_key(a)
        general[key][a["task_id"]].add(a["role"])
        labels.setdefault(key, a)
    agencies = Agency.objects.in_bulk(list(owed))
    kind_rank = {value: i for i, value in enumerate(AgencyKind.values)}
    rows = [
        MatrixRow(
            label=agencies[agency_id].name,
            cells=cells,
            agency=agencies[agency_id],
            kind=agencies[agency_id].kind,
        )
        for agency_id, cells in tally(owed).items()
    ]
    # the agencies' stored collation key (Agency.sort_key, the order of vi_sort_key) spares a Python key per row
    rows.sort(key=lambda r: (kind_rank.get(r.kind, 99), r.agency.sort_key or vi_sort_string(r.label)))
    general_rows = [
        MatrixRow(
            label=_as_written_label(labels[key]),
            cells=cells,
            group_code=labels[key]["group__code"] or "",
            kind=key[0],
        )
        for key, cells in tally(general).items()
    ]
    general_rows.sort(key=lambda r: (r.kind != "group", _fold_sort(r.label)))
    return AssignmentMatrix(
        task_groups=task_groups,
        rows=rows,
        general_rows=general_rows,
        tasks_per_group=tasks_per_group,
        day=day,
    )
