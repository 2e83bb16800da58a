"""User-scoped querysets of the consolidated report: only the plan's coordinators and viewers see it."""

from django.db import models

from plantrack.accounts.permissions import coordinated_plans_q, is_coordinator, is_viewer


def _plan_filter(user, prefix: str) -> models.Q | None:
    """The Q selecting rows whose plan ``user`` may read the consolidated report of; None for nobody."""
    if is_coordinator(user):
        return coordinated_plans_q(user, via=f"{prefix}plan__")
    if is_viewer(user):
        from plantrack.plans.models import Plan

        return models.Q(**{f"{prefix}plan__in": Plan.objects.for_user(user)})
    return None


class ConsolidatedReportQuerySet(models.QuerySet):
    def for_user(self, user) -> "ConsolidatedReportQuerySet":
        q = _plan_filter(user, "cycle__")
        return self.filter(q) if q is not None else self.none()


class BuildRunQuerySet(models.QuerySet):
    def for_user(self, user) -> "BuildRunQuerySet":
        q = _plan_filter(user, "report__cycle__")
        return self.filter(q) if q is not None else self.none()

    def active(self) -> "BuildRunQuerySet":
        return self.filter(state__in=("queued", "running"))
