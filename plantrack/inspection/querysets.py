"""User-scoped querysets of inspection (STYLE.md: every list goes through ``for_user``).

- coordinators: the inspections of the plans their department follows up, everything in them;
- viewers: everything, read only;
- agency reporters and heads: the inspection plans that name their agency, and only their own agency's visits and
  recommendations;
- everyone else (administrators included): nothing.
"""

from django.db import models

from plantrack.accounts.permissions import coordinated_plans_q, is_coordinator, is_viewer, member_agency_ids

CLOSED = "closed"  # RecommendationState.CLOSED (models.py imports this module)


def _visible(user, *, plan_via: str, agency_lookup: str) -> models.Q | None:
    """What ``user`` may read, added up over all their roles: every row for viewers (None), the rows of the plans
    they coordinate, the rows of every agency they are a reporter or head of."""
    if is_viewer(user):
        return None
    q = models.Q(pk__in=[])
    if is_coordinator(user):
        q |= coordinated_plans_q(user, via=plan_via)
    agencies = member_agency_ids(user)
    if agencies:
        q |= models.Q(**{f"{agency_lookup}__in": agencies})
    return q


class InspectionPlanQuerySet(models.QuerySet):
    def for_user(self, user) -> "InspectionPlanQuerySet":
        q = _visible(user, plan_via="plan__", agency_lookup="agencies")
        return self.all() if q is None else self.filter(q).distinct()


class VisitQuerySet(models.QuerySet):
    def for_user(self, user) -> "VisitQuerySet":
        q = _visible(user, plan_via="inspection__plan__", agency_lookup="agency_id")
        return self.all() if q is None else self.filter(q)


class RecommendationQuerySet(models.QuerySet):
    def for_user(self, user) -> "RecommendationQuerySet":
        q = _visible(user, plan_via="visit__inspection__plan__", agency_lookup="visit__agency_id")
        return self.all() if q is None else self.filter(q)

    def not_closed(self) -> "RecommendationQuerySet":
        return self.exclude(state=CLOSED)

    def overdue(self, as_of) -> "RecommendationQuerySet":
        """Not closed and past the deadline on ``as_of``: a response waiting for the department's review still
        counts, since only closure settles a recommendation."""
        return self.not_closed().filter(deadline__lt=as_of)
