"""Who may do what with cycles and reports, and the permission-checked getters views use to fetch them.

Getters answer 404 for what the user may not see (ids do not leak) and 403 for what they may see but not change.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import (
    EDITABLE_STATES,
    VISIBLE_OUTSIDE_AGENCY,
    AgencyReport,
    Evidence,
    ReportEntry,
    ReportingCycle,
    ReportState,
)


def is_member_of(user, agency_id: int) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and getattr(user, "role", "") in ("reporter", "head")
        and user.agency_id == agency_id
    )


def is_head_of(user, agency_id: int) -> bool:
    return is_member_of(user, agency_id) and user.role == "head"


def is_coordinator_of(user, plan) -> bool:
    """Officers of the department in charge of ``plan`` (role coordinator, agency = plan.coordinator_agency)."""
    return (
        user.is_authenticated
        and user.is_active
        and getattr(user, "role", "") == "coordinator"
        and user.agency_id is not None
        and user.agency_id == plan.coordinator_agency_id
    )


def can_open_cycle(user, plan) -> bool:
    return is_coordinator_of(user, plan)


def can_edit(user, report: AgencyReport) -> bool:
    """Reporters and the head of the agency edit its draft or returned report while the cycle is open."""
    return is_member_of(user, report.agency_id) and report.state in EDITABLE_STATES and report.cycle.is_open


def can_submit(user, report: AgencyReport) -> bool:
    return is_head_of(user, report.agency_id) and report.state in EDITABLE_STATES and report.cycle.is_open


def can_review(user, report: AgencyReport) -> bool:
    """Return or accept: coordinators of the plan, on a submitted report."""
    return report.state == ReportState.SUBMITTED and is_coordinator_of(user, report.cycle.plan)


def _reports(user):
    return AgencyReport.objects.for_user(user).select_related("cycle__plan", "agency")


def report_get_for_user(*, user, pk: int, write: bool = False) -> AgencyReport:
    """The report ``pk`` if ``user`` may read it (404 otherwise); with ``write`` also that they may edit it now
    (403 when they may read it but not change it: another role, or a state that is not editable)."""
    report = get_object_or_404(_reports(user), pk=pk)
    if write and not can_edit(user, report):
        raise PermissionDenied
    return report


def report_get_for_submit(*, user, pk: int) -> AgencyReport:
    report = get_object_or_404(_reports(user), pk=pk)
    if not is_head_of(user, report.agency_id):
        raise PermissionDenied
    return report


def report_get_for_review(*, user, pk: int) -> AgencyReport:
    report = get_object_or_404(_reports(user), pk=pk)
    if not is_coordinator_of(user, report.cycle.plan):
        raise PermissionDenied
    return report


def cycle_get_for_user(*, user, pk: int, manage: bool = False) -> ReportingCycle:
    cycle = get_object_or_404(ReportingCycle.objects.for_user(user).select_related("plan"), pk=pk)
    if manage and not is_coordinator_of(user, cycle.plan):
        raise PermissionDenied
    return cycle


def evidence_visible_q(user) -> Q:
    """Evidence the user may download: that of reports they may read, plus, for the lead agency of a task, the
    evidence its coordinating agencies sent for that task in the same cycle."""
    q = Q(report__in=AgencyReport.objects.for_user(user))
    if getattr(user, "role", "") in ("reporter", "head") and user.agency_id:
        led = ReportEntry.objects.filter(report__agency_id=user.agency_id, role="lead")
        q |= Q(
            report__state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED],
            entry__task_id__in=led.values("task_id"),
            entry__report__cycle_id__in=led.values("report__cycle_id"),
        )
    return q


def evidence_get_for_user(*, user, pk: int, write: bool = False) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.filter(evidence_visible_q(user)).select_related("report__cycle__plan", "entry"),
        pk=pk,
    )
    if write and not can_edit(user, evidence.report):
        raise PermissionDenied
    return evidence


__all__ = [
    "VISIBLE_OUTSIDE_AGENCY",
    "can_edit",
    "can_open_cycle",
    "can_review",
    "can_submit",
    "cycle_get_for_user",
    "evidence_get_for_user",
    "is_coordinator_of",
    "is_head_of",
    "is_member_of",
    "report_get_for_review",
    "report_get_for_submit",
    "report_get_for_user",
]
