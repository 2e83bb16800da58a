"""Who may read and who may write the consolidated report, and the permission-checked getters views use.

- The plan's coordinators (role coordinator, agency = ``plan.coordinator_agency``) edit the narrative, start
  builds and download the files.
- Viewers (provincial leaders, the Ministry) read the page and download the files of finished builds.
- Everybody else, agency members and administrators included, gets 404: the report is the department's own
  document until it is sent.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from plantrack.accounts.permissions import follows_plans, is_coordinator_of, is_viewer
from plantrack.plans.models import Plan
from plantrack.reporting.models import ReportingCycle

from .models import BuildRun


def can_manage(user, plan: Plan) -> bool:
    return is_coordinator_of(user, plan)


def can_read(user, plan: Plan) -> bool:
    if can_manage(user, plan):
        return True
    return is_viewer(user) and Plan.objects.for_user(user).filter(pk=plan.pk).exists()


def is_consolidation_user(user) -> bool:
    """Whether the user may have any consolidated report to read (for the menu and the list page)."""
    return follows_plans(user)


def consolidation_cycle_get_for_user(*, user, pk: int, manage: bool = False) -> ReportingCycle:
    """The cycle ``pk`` if ``user`` may read its consolidated report (404 otherwise); with ``manage`` also that
    they may edit and build it (403 for a viewer)."""
    cycle = get_object_or_404(ReportingCycle.objects.for_user(user).select_related("plan"), pk=pk)
    if not can_read(user, cycle.plan):
        raise Http404
    if manage and not can_manage(user, cycle.plan):
        raise PermissionDenied
    return cycle


def build_run_get_for_user(*, user, pk: int) -> BuildRun:
    return get_object_or_404(
        BuildRun.objects.for_user(user).select_related("report__cycle__plan", "requested_by"), pk=pk
    )
