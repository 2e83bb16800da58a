"""Who may do what in inspection, and the permission-checked getters views use.

- coordinators of the inspected plan's department: everything (plans, visits, recommendations, closure);
- the inspected agency's reporters and heads: read their own visits and recommendations, respond to them;
- viewers: read everything;
- everyone else: 404 on what they may not see, 403 on a write they may not make.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plantrack.accounts.permissions import (
    follows_plans,
    is_agency_member,
    is_coordinator,
    is_coordinator_of,
    is_member_of,
)

from .models import InspectionPlan, Recommendation, RecommendationState, ResponseEvidence, Visit


def may_open_inspection(user) -> bool:
    """The inspection pages are for coordinators, viewers and agency members."""
    return follows_plans(user) or is_agency_member(user)


def may_create_inspection(user) -> bool:
    return is_coordinator(user)


def can_manage(user, inspection: InspectionPlan) -> bool:
    """Plan visits, record findings, issue, close and reopen recommendations."""
    return is_coordinator_of(user, inspection.plan)


def can_respond(user, recommendation: Recommendation) -> bool:
    """The visited agency's reporter or head, while the recommendation waits for its response."""
    return (
        is_member_of(user, recommendation.visit.agency_id)
        and recommendation.state == RecommendationState.OPEN
    )


def inspection_get_for_user(*, user, pk: int, manage: bool = False) -> InspectionPlan:
    inspection = get_object_or_404(
        InspectionPlan.objects.for_user(user).select_related("plan__coordinator_agency"), pk=pk
    )
    if manage and not can_manage(user, inspection):
        raise PermissionDenied
    return inspection


def visit_get_for_user(*, user, pk: int, manage: bool = False) -> Visit:
    visit = get_object_or_404(
        Visit.objects.for_user(user).select_related("agency", "inspection__plan__coordinator_agency"), pk=pk
    )
    if manage and not can_manage(user, visit.inspection):
        raise PermissionDenied
    return visit


def recommendation_get_for_user(*, user, pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.for_user(user).select_related(
            "visit__agency", "visit__inspection__plan__coordinator_agency"
        ),
        pk=pk,
    )


def evidence_get_for_user(*, user, pk: int) -> ResponseEvidence:
    return get_object_or_404(
        ResponseEvidence.objects.filter(recommendation__in=Recommendation.objects.for_user(user)), pk=pk
    )
