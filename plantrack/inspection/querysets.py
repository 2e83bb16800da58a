"""User-scoped querysets of inspection (STYLE.md: every list goes through ``for_user``).

- coordinators: the inspections of the plans their department follows up, everything in them;
- viewers: everything, read only;
- agency reporters and heads: the inspection plans that name their agency, and only their own agency's visits and
  recommendations;
- everyone else (administrators included): nothing.
"""

from django.db import models

from plantrack.accounts.permissions import coordinated_plans_q, is_agency_member, is_coordinator, is_viewer

CLOSED = "closed"  # RecommendationState.CLOSED (models.py imports this module)


class InspectionPlanQuerySet(models.QuerySet):
    def for_user(self, user) -> "InspectionPlanQuerySet":
        if is_viewer(user):
            return self.all()
        if is_coordinator(user):
            return self.filter(coordinated_plans_q(user, via="plan__"))
        if is_agency_member(user):
            return self.filter(agencies=user.agency_id).distinct()
        return self.none()


class VisitQuerySet(models.QuerySet):
    def for_user(self, user) -> "VisitQuerySet":
        if is_viewer(user):
            return self.all()
        if is_coordinator(user):
            return self.filter(coordinated_plans_q(user, via="inspection__plan__"))
        if is_agency_member(user):
            return self.filter(agency_id=user.agency_id)
        return self.none()


class RecommendationQuerySet(models.QuerySet):
    def for_user(self, user) -> "RecommendationQuerySet":
        if is_viewer(user):
            return self.all()
        if is_coordinator(user):
            return self.filter(coordinated_plans_q(user, via="visit__inspection__plan__"))
        if is_agency_member(user):
            return self.filter(visit__agency_id=user.agency_id)
        return self.none()

    def not_closed(self) -> "RecommendationQuerySet":
        return self.exclude(state=CLOSED)

    def overdue(self, as_of) -> "RecommendationQuerySet":
        """Not closed and past the deadline on ``as_of``: a response waiting for the department's review still
        counts, since only closure settles a recommendation."""
        return self.not_closed().filter(deadline__lt=as_of)
