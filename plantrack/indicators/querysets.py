from django.db import models

from plantrack.accounts.permissions import (
    coordinated_plans_q,
    coordinator_agency_ids,
    is_administrator,
    is_coordinator,
    is_coordinator_of,
    member_agency_ids,
)
from plantrack.plans.models import Plan

# Report states (reporting.ReportState) in which a figure typed into a report is seen outside its agency. A draft
# belongs to the agency alone; the department in charge sees what was sent to it; everyone sees accepted figures.
STATES_SEEN_BY_COORDINATOR = ("submitted", "returned", "accepted")
STATES_SEEN_BY_ALL = ("accepted",)


class IndicatorDefinitionQuerySet(models.QuerySet):
    def for_user(self, user) -> "IndicatorDefinitionQuerySet":
        """Definitions of the plans ``user`` may read (definitions are not secret within the office)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(target__plan__in=Plan.objects.for_user(user))

    def provided_by(self, agency_id: int) -> "IndicatorDefinitionQuerySet":
        """Definitions for which ``agency_id`` provides the figure or at least one component's figure."""
        return self.filter(
            models.Q(kind="direct", provider_id=agency_id)
            | models.Q(kind="computed", components__provider_id=agency_id)
            | models.Q(kind="computed", components__provider__isnull=True, provider_id=agency_id)
        ).distinct()


def figure_visibility_key(user, plan: Plan) -> tuple:
    """Everything ``YearlyFigureQuerySet.for_user`` decides ``plan``'s figures by: two users with the same key see
    exactly the same figures of the plan, so a page cached per key never shows one user another's drafts. Kept
    next to ``for_user`` so the two cannot drift apart."""
    return (
        is_administrator(user),
        tuple(sorted(member_agency_ids(user) | coordinator_agency_ids(user))),
        is_coordinator(user) and is_coordinator_of(user, plan),
    )


class YearlyFigureQuerySet(models.QuerySet):
    def for_user(self, user) -> "YearlyFigureQuerySet":
        """Figures ``user`` may read: an agency sees its own in any state, the plan's coordinators what was sent
        to them, administrators what was sent (as with reports, a draft never leaves its agency, even for them),
        everyone else figures entered outside a report or from an accepted report."""
        if not user.is_authenticated:
            return self.none()
        qs = self.filter(definition__target__plan__in=Plan.objects.for_user(user))
        visible = models.Q(report__isnull=True) | models.Q(report__state__in=STATES_SEEN_BY_ALL)
        if is_administrator(user):
            visible |= models.Q(report__state__in=STATES_SEEN_BY_COORDINATOR)
        own = member_agency_ids(user) | coordinator_agency_ids(user)
        if own:
            visible |= models.Q(agency_id__in=own)
        if is_coordinator(user):
            visible |= models.Q(report__state__in=STATES_SEEN_BY_COORDINATOR) & coordinated_plans_q(
                user, via="definition__target__plan__"
            )
        return qs.filter(visible)

    def of_series(self, series) -> "YearlyFigureQuerySet":
        """Figures of one typed-in series: a direct indicator or one component."""
        # local import: models.py imports this module for its managers
        from .models import IndicatorComponent

        if isinstance(series, IndicatorComponent):
            return self.filter(component=series)
        return self.filter(definition=series, component__isnull=True)
