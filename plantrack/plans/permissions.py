from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from plantrack.accounts.permissions import is_coordinator_of

from .models import Amendment, AmendmentState, Plan


def plan_get_for_user(*, user, pk: int) -> Plan:
    """The plan ``pk`` if ``user`` may read it; 404 otherwise (never 403, so ids do not leak)."""
    return get_object_or_404(
        Plan.objects.for_user(user).select_related("issuer", "coordinator_agency"), pk=pk
    )


def amendment_get_for_user(*, user, pk: int, write: bool = False):
    """The amendment ``pk`` of a plan ``user`` may read: an applied one for every reader of the plan, a draft only
    for the plan's coordinators and administrators (404 for the rest). ``write``: the plan's coordinators only
    (403 for a reader who sees it)."""
    amendment = get_object_or_404(
        Amendment.objects.select_related("plan", "plan__issuer", "plan__coordinator_agency"),
        pk=pk,
        plan__in=Plan.objects.for_user(user),
    )
    coordinator = is_coordinator_of(user, amendment.plan)
    staff = user.is_staff or getattr(user, "is_administrator", False)
    if amendment.state == AmendmentState.DRAFT and not (coordinator or staff):
        raise Http404
    if write and not coordinator:
        raise PermissionDenied
    return amendment
