"""A task's status across the agencies that owe it in a cycle, with its basis: the one rule used by the
consolidated report (body and Phụ lục I), the monitoring dashboard and anything else that shows a task's status.

The rule (docs/consolidated-report.md, "Task status across agencies"):

- Only **accepted** reports count; an agency owing the task whose report is not accepted counts as *not reported*.
- A task is **done** ("Hoàn thành") only when **every lead agency owing it** reported it done.
- Otherwise its label says how many lead agencies finished it, "x/y đơn vị chủ trì đã hoàn thành", followed by the
  states of the other lead agencies ("2 đang triển khai, 4 chưa có báo cáo được tiếp nhận").
- **Coordinating agencies alone never make a task done**: they only colour the status when no lead agency has
  reported (then a "done" of theirs reads as "in progress").
- The status code, for counting: done; not started (every lead that reported has not started); continuing (only
  "continuing" and "done" among the leads that reported); in progress (anything else); ``no_report`` when no
  agency owing the task has an accepted report.

This module imports only models of ``reporting`` and ``plans``, so monitoring, consolidation and the API can all
use it without import cycles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from plantrack.plans.models import AssignmentRole
from plantrack.reporting.models import AgencyReport, EntryStatus, ReportEntry, ReportingCycle, ReportState

NO_REPORT = "no_report"
# The order in which the other leads' states are listed, and the words used for each (lower case, after a count).
_STATE_ORDER = (
    EntryStatus.CONTINUING,
    EntryStatus.IN_PROGRESS,
    EntryStatus.NOT_STARTED,
    NO_REPORT,
)


def _state_words(status: str) -> str:
    return {
        EntryStatus.DONE: _("hoàn thành"),
        EntryStatus.CONTINUING: _("thực hiện thường xuyên"),
        EntryStatus.IN_PROGRESS: _("đang triển khai"),
        EntryStatus.NOT_STARTED: _("chưa triển khai"),
        NO_REPORT: _("chưa có báo cáo được tiếp nhận"),
    }[status]


@dataclass(frozen=True)
class AgencyTaskState:
    """One agency owing (or reporting on) a task: its role and the status of its accepted report ("" when it has
    no accepted report, or its accepted report gives no status)."""

    agency_id: int
    name: str
    role: str
    status: str = ""

    @property
    def reported(self) -> str:
        return self.status or NO_REPORT


@dataclass(frozen=True)
class TaskStatus:
    code: str  # an EntryStatus value or NO_REPORT
    label: str  # "Hoàn thành" or "2/9 đơn vị chủ trì đã hoàn thành"
    basis: str  # the other leads' states, then the coordinating agencies' ("" when nothing to add)
    leads_done: int
    leads_total: int
    agencies: tuple[AgencyTaskState, ...] = field(default=(), repr=False)

    @property
    def is_done(self) -> bool:
        return self.code == EntryStatus.DONE

    @property
    def text(self) -> str:
        """The label with its basis: "2/9 đơn vị chủ trì đã hoàn thành (3 đang triển khai, 4 chưa có …)"."""
        return f"{self.label} ({self.basis})" if self.basis else self.label

    def names_by_state(self, role: str = AssignmentRole.LEAD) -> list[tuple[str, list[str]]]:
        """``[(state words, [agency names])]`` for ``role``, done first, in a fixed order (for appendices)."""
        groups: dict[str, list[str]] = {}
        for state in (EntryStatus.DONE, *_STATE_ORDER):
            names = [a.name for a in self.agencies if a.role == role and a.reported == state]
            if names:
                groups[_state_words(state)] = names
        return list(groups.items())


def _counts_text(states: Iterable[str]) -> str:
    counts = Counter(states)
    return ", ".join(f"{counts[s]} {_state_words(s)}" for s in (EntryStatus.DONE, *_STATE_ORDER) if counts[s])


def _code(statuses: set[str]) -> str:
    if statuses == {EntryStatus.DONE}:
        return EntryStatus.DONE
    if statuses == {EntryStatus.NOT_STARTED}:
        return EntryStatus.NOT_STARTED
    if EntryStatus.CONTINUING in statuses and statuses <= {EntryStatus.CONTINUING, EntryStatus.DONE}:
        return EntryStatus.CONTINUING
    return EntryStatus.IN_PROGRESS


def task_status(agencies: Sequence[AgencyTaskState]) -> TaskStatus:
    """The status of one task from the agencies owing it (each once, with its accepted status or "")."""
    agencies = tuple(agencies)
    leads = [a for a in agencies if a.role == AssignmentRole.LEAD]
    others = [a for a in agencies if a.role != AssignmentRole.LEAD]
    done = sum(1 for a in leads if a.status == EntryStatus.DONE)
    lead_statuses = {a.status for a in leads if a.status}
    other_statuses = {a.status for a in others if a.status}

    if leads and done == len(leads):
        code = EntryStatus.DONE
    elif lead_statuses:
        code = _code(lead_statuses)
        if code == EntryStatus.DONE:  # some leads done, the others not reported
            code = EntryStatus.IN_PROGRESS
    elif other_statuses:
        # Only coordinating agencies reported: they never make the task done.
        code = _code(other_statuses)
        if code == EntryStatus.DONE:
            code = EntryStatus.IN_PROGRESS
    else:
        code = NO_REPORT

    basis_parts = []
    if code == EntryStatus.DONE:
        label = _("Hoàn thành")
    elif leads:
        label = _("%(done)s/%(total)s đơn vị chủ trì đã hoàn thành") % {"done": done, "total": len(leads)}
        rest = _counts_text(a.reported for a in leads if a.status != EntryStatus.DONE)
        if rest:
            basis_parts.append(rest)
    else:
        label = _("Chưa có đơn vị chủ trì phải báo cáo")
    if others and code != EntryStatus.DONE:
        basis_parts.append(
            _("đơn vị phối hợp: %(states)s") % {"states": _counts_text(a.reported for a in others)}
        )
    return TaskStatus(
        code=code,
        label=label,
        basis="; ".join(basis_parts),
        leads_done=done,
        leads_total=len(leads),
        agencies=agencies,
    )


def task_statuses(
    *, owed: Iterable[tuple[int, int, str, str]], accepted: Iterable[tuple[int, dict]]
) -> dict[int, TaskStatus]:
    """``{task_id: TaskStatus}`` from ``owed`` — ``(task_id, agency_id, agency name, role)`` for every entry of the
    cycle's reports — and ``accepted`` — ``(agency_id, snapshot)`` of each accepted submission."""
    states: dict[int, dict[int, AgencyTaskState]] = {}
    for task_id, agency_id, name, role in owed:
        states.setdefault(task_id, {})[agency_id] = AgencyTaskState(agency_id, name, role)
    for agency_id, snapshot in accepted:
        snapshot = snapshot or {}
        for entry in snapshot.get("entries") or []:
            task_id = entry.get("task_id")
            known = states.setdefault(task_id, {}).get(agency_id)
            name = known.name if known else ((snapshot.get("agency") or {}).get("name") or "")
            role = (known.role if known else "") or entry.get("role") or ""
            states[task_id][agency_id] = AgencyTaskState(agency_id, name, role, entry.get("status") or "")
    return {task_id: task_status(list(by_agency.values())) for task_id, by_agency in states.items()}


def cycle_owed_entries(*, cycle: ReportingCycle) -> list[tuple[int, int, str, str]]:
    """``(task_id, agency_id, agency name, role)`` of every entry owed in ``cycle``. One query."""
    return list(
        ReportEntry.objects.filter(report__cycle=cycle).values_list(
            "task_id", "report__agency_id", "report__agency__name", "role"
        )
    )


def cycle_task_statuses(*, cycle: ReportingCycle) -> dict[int, TaskStatus]:
    """``{task_id: TaskStatus}`` for every task owed in ``cycle``, from the accepted submissions. Two queries."""
    accepted = AgencyReport.objects.filter(
        cycle=cycle, state=ReportState.ACCEPTED, accepted_submission__isnull=False
    ).values_list("agency_id", "accepted_submission__snapshot")
    return task_statuses(owed=cycle_owed_entries(cycle=cycle), accepted=accepted)


__all__ = [
    "NO_REPORT",
    "AgencyTaskState",
    "TaskStatus",
    "cycle_owed_entries",
    "cycle_task_statuses",
    "task_status",
    "task_statuses",
]
