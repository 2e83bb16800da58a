"""Reads over plans used by several apps."""

import datetime
from collections import defaultdict

from plantrack.orgs.models import Agency, GroupMembership

from .models import Assignment, AssignmentRole, Plan, Task


def assignments_expanded(*, plan: Plan, day: datetime.date) -> dict[int, dict[int, set[str]]]:
    """``{agency_id: {task_id: {roles}}}`` for every agency that owes a task of ``plan`` on ``day``.

    A group assignment means every member on ``day``; "… liên quan" (related_only) and unnamed assignments
    name nobody in particular and are not expanded. Three queries whatever the plan's size.
    """
    assignments = list(Assignment.objects.filter(task__plan=plan).values("task_id", "role", "agency_id", "group_id",
                                                                          "related_only"))
    group_ids = {a["group_id"] for a in assignments if a["group_id"] and not a["related_only"]}
    members: dict[int, set[int]] = defaultdict(set)
    valid_agencies = set(Agency.objects.valid_on(day).values_list("pk", flat=True))
    for m in GroupMembership.objects.valid_on(day).filter(group_id__in=group_ids).values("group_id", "agency_id"):
        if m["agency_id"] in valid_agencies:
            members[m["group_id"]].add(m["agency_id"])
    owed: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for a in assignments:
        if a["agency_id"]:
            targets = {a["agency_id"]}
        elif a["group_id"] and not a["related_only"]:
            targets = members[a["group_id"]]
        else:
            targets = set()
        for agency_id in targets:
            owed[agency_id][a["task_id"]].add(a["role"])
    return owed


def agency_tasks(*, agency: Agency, day: datetime.date | None = None) -> list[tuple[Task, list[str]]]:
    """Every task, across published plans, that ``agency`` leads or coordinates, directly or through a group."""
    day = day or datetime.date.today()
    group_ids = list(GroupMembership.objects.valid_on(day).filter(agency=agency).values_list("group_id", flat=True))
    rows = (
        Assignment.objects.filter(task__plan__is_published=True)
        .filter(agency=agency) | Assignment.objects.filter(
            task__plan__is_published=True, group_id__in=group_ids, related_only=False)
    )
    roles: dict[int, set[str]] = defaultdict(set)
    for task_id, role in rows.values_list("task_id", "role"):
        roles[task_id].add(role)
    tasks = Task.objects.filter(pk__in=roles).select_related("plan", "group").order_by("plan", "order")
    order = [AssignmentRole.LEAD, AssignmentRole.COORDINATE]
    return [(t, [r for r in order if r in roles[t.pk]]) for t in tasks]
