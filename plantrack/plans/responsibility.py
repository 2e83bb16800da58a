"""Who answers for each assignment of a plan on a given date, after organisation changes.

A plan keeps the names it was written with; this module follows succession chains (plantrack.orgs.selectors.
SuccessionGraph) and dated group membership to say who owes each task on a day, and where an inherited task came
from ("nhận từ Sở Thông tin và Truyền thông").
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from plantrack.orgs.models import Agency, GroupMembership
from plantrack.orgs.selectors import SuccessionGraph

from .models import Assignment, Plan


@dataclass
class OwedTask:
    roles: set[str] = field(default_factory=set)
    # Agencies named in the plan whose duty this agency inherited (empty when the plan names it or its group).
    origins: set[str] = field(default_factory=set)


@dataclass
class AssignmentNow:
    assignment: Assignment
    agencies: list[Agency]
    group_names: list[str]
    changed: bool

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.agencies] + self.group_names


class PlanResponsibility:
    """Resolves every assignment of ``plan`` on ``day`` with a fixed number of queries."""

    def __init__(self, *, plan: Plan, day: datetime.date) -> None:
        self.plan, self.day = plan, day
        self.graph = SuccessionGraph()

    @cached_property
    def assignments(self) -> list[Assignment]:
        return list(
            # A task cancelled by an amendment is owed by nobody from the day the cancellation takes effect.
            Assignment.objects.filter(task__plan=self.plan)
            .exclude(task__cancelled_on__lte=self.day)
            .select_related("agency", "group", "task")
            .order_by("task__order", "role", "order")
        )

    @cached_property
    def members(self) -> dict[int, set[int]]:
        """``{group_id: {agency_id}}`` valid on the day, for the groups this plan can reach: those its assignments
        name and the successor groups of the agencies it names (not every membership of the country)."""
        group_ids = {a.group_id for a in self.assignments if a.group_id and not a.related_only}
        for a in self.assignments:
            if a.agency_id and a.agency_id in self.graph.edges:  # only a succession leads to a group
                group_ids |= {g.pk for g in self.graph.resolve(a.agency, self.day).groups}
        members: dict[int, set[int]] = defaultdict(set)
        if not group_ids:
            return members
        for m in (
            GroupMembership.objects.valid_on(self.day).filter(group_id__in=group_ids).select_related("agency")
        ):
            if m.agency.is_valid_on(self.day):
                members[m.group_id].add(m.agency_id)
        return members

    def now(self, assignment: Assignment) -> AssignmentNow:
        """The agencies (or groups) answering for one assignment on the day."""
        if assignment.agency_id:
            resolution = self.graph.resolve(assignment.agency, self.day)
            return AssignmentNow(
                assignment, resolution.agencies, [g.name for g in resolution.groups], resolution.changed
            )
        return AssignmentNow(
            assignment, [], [assignment.display_name] if assignment.display_name else [], False
        )

    def owed(self) -> dict[int, dict[int, OwedTask]]:
        """``{agency_id: {task_id: OwedTask}}`` for every agency that owes a task on the day.

        Named agencies are followed through their successors; groups mean their members on the day; a successor
        group (the district level's duties passing to "UBND các xã, phường") means its members; "… liên quan" and
        unnamed sets are not expanded.
        """
        owed: dict[int, dict[int, OwedTask]] = defaultdict(lambda: defaultdict(OwedTask))
        for a in self.assignments:
            origin = None
            if a.agency_id:
                resolution = self.graph.resolve(a.agency, self.day)
                agency_ids = {x.pk for x in resolution.agencies}
                for group in resolution.groups:
                    agency_ids |= self.members[group.pk]
                if resolution.changed:
                    origin = a.agency.name
            elif a.group_id and not a.related_only:
                agency_ids = set(self.members[a.group_id])
            else:
                agency_ids = set()
            for agency_id in agency_ids:
                entry = owed[agency_id][a.task_id]
                entry.roles.add(a.role)
                if origin:
                    entry.origins.add(origin)
        return owed
