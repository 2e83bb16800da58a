from django.shortcuts import get_object_or_404

from .models import Plan


def plan_get_for_user(*, user, pk: int) -> Plan:
    """The plan ``pk`` if ``user`` may read it; 404 otherwise (never 403, so ids do not leak)."""
    return get_object_or_404(
        Plan.objects.for_user(user).select_related("issuer", "coordinator_agency"), pk=pk
    )
