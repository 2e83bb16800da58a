"""Who may do what with cycles and reports, and the permission-checked getters views use to fetch them.

Getters answer 404 for what the user may not see (ids do not leak) and 403 for what they may see but not change.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plantrack.accounts.permissions import is_coordinator_of, is_head_of, is_member_of

from .models import (
    EDITABLE_STATES,
    HEAD_EDITABLE_STATES,
    VISIBLE_OUTSIDE_AGENCY,
    AgencyReport,
    Evidence,
    ReportingCycle,
    ReportState,
)


def editable_states_for(user, report: AgencyReport) -> tuple[str, ...]:
    """The states in which ``user`` may edit ``report``: a draft or a returned report for the agency's members;
    once handed to the head it is in the head's hands alone (they may correct it before sending)."""
    return HEAD_EDITABLE_STATES if is_head_of(user, report.agency_id) else EDITABLE_STATES


def can_edit(user, report: AgencyReport) -> bool:
    """Reporters and the head of the agency edit its draft or returned report while the cycle is open; a report
    handed to the head only the head."""
    return (
        is_member_of(user, report.agency_id)
        and report.state in editable_states_for(user, report)
        and report.cycle.is_open
    )


def can_submit(user, report: AgencyReport) -> bool:
    return (
        is_head_of(user, report.agency_id) and report.state in HEAD_EDITABLE_STATES and report.cycle.is_open
    )


def can_hand_over(user, report: AgencyReport) -> bool:
    """ "Trình lãnh đạo": a reporter of the agency (the head sends directly), on a draft or a returned report."""
    return (
        is_member_of(user, report.agency_id)
        and not is_head_of(user, report.agency_id)
        and report.state in EDITABLE_STATES
        and report.cycle.is_open
    )


def can_hand_back(user, report: AgencyReport) -> bool:
    """ "Trả lại chuyên viên": the head, on a report handed to them."""
    return (
        is_head_of(user, report.agency_id) and report.state == ReportState.WITH_HEAD and report.cycle.is_open
    )


def can_review(user, report: AgencyReport) -> bool:
    """Return or accept: coordinators of the plan, on a submitted report."""
    return report.state == ReportState.SUBMITTED and is_coordinator_of(user, report.cycle.plan)


def can_decide_proposals(user, report: AgencyReport) -> bool:
    """The department in charge decides on the proposals of a report sent to it (and still after accepting it)."""
    return report.state in (ReportState.SUBMITTED, ReportState.ACCEPTED) and is_coordinator_of(
        user, report.cycle.plan
    )


def _reports(user):
    # With the people the report pages name (selectors.PAGE_RELATED): the page need not read the report again.
    return AgencyReport.objects.for_user(user).select_related(
        "cycle__plan", "agency", "last_saved_by", "submitted_by", "accepted_by"
    )


def report_get_for_user(
    *, user, pk: int, write: bool = False, related: tuple[str, ...] | None = None
) -> AgencyReport:
    """The report ``pk`` if ``user`` may read it (404 otherwise); with ``write`` also that they may edit it now
    (403 when they may read it but not change it: another role, or a state that is not editable). ``related``:
    the relations read with it, when not those of the report pages (a page served from the cache needs fewer)."""
    reports = (
        _reports(user) if related is None else AgencyReport.objects.for_user(user).select_related(*related)
    )
    report = get_object_or_404(reports, pk=pk)
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


def evidence_get_for_user(*, user, pk: int, write: bool = False) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.for_user(user).select_related("report__cycle__plan", "entry"),
        pk=pk,
    )
    if write and not can_edit(user, evidence.report):
        raise PermissionDenied
    return evidence


__all__ = [
    "VISIBLE_OUTSIDE_AGENCY",
    "can_edit",
    "can_hand_back",
    "can_hand_over",
    "can_review",
    "can_submit",
    "cycle_get_for_user",
    "editable_states_for",
    "evidence_get_for_user",
    "report_get_for_review",
    "report_get_for_submit",
    "report_get_for_user",
]
