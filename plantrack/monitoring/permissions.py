"""Who may monitor a cycle, and the permission-checked getters views use.

- coordinators of the plan's department in charge: everything (dashboard, schedule, reminders, letters);
- viewers (provincial leaders, the Ministry): the dashboard and its CSV, read only;
- everyone else, agency members and administrators included: 403 on a cycle they may otherwise read, 404 on what
  they may not see at all.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plantrack.accounts.permissions import follows_plan, is_coordinator_of
from plantrack.reporting.models import ReportingCycle

from .models import UrgingLetter


def can_watch(user, cycle: ReportingCycle) -> bool:
    """May read the dashboard of ``cycle``."""
    return follows_plan(user, cycle.plan)


def can_urge(user, cycle: ReportingCycle) -> bool:
    """May edit the schedule, send reminders and prepare urging letters for ``cycle``."""
    return is_coordinator_of(user, cycle.plan)


def cycle_get_for_monitoring(*, user, pk: int, manage: bool = False) -> ReportingCycle:
    """The cycle ``pk`` for its dashboard (``manage=False``) or for urging (``manage=True``). 404 when the user may
    not see the cycle at all, 403 when they may see it but not monitor it."""
    cycle = get_object_or_404(
        ReportingCycle.objects.for_user(user).select_related("plan__coordinator_agency"), pk=pk
    )
    allowed = can_urge(user, cycle) if manage else can_watch(user, cycle)
    if not allowed:
        raise PermissionDenied
    return cycle


def letter_get_for_user(*, user, pk: int) -> UrgingLetter:
    """An urging letter of a plan the user's department follows up (404 for everyone else)."""
    return get_object_or_404(
        UrgingLetter.objects.for_user(user).select_related(
            "cycle__plan__coordinator_agency", "cycle__plan__issuer"
        ),
        pk=pk,
    )
