"""Reads of inspection used in several places (the coordinator's dashboard, the consolidated report)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .models import InspectionPlan, Recommendation, RecommendationState, Visit


def overdue_recommendations(*, plan, as_of: datetime.date) -> list[Recommendation]:
    """Recommendations of ``plan``'s inspections that are not closed and whose deadline is before ``as_of``
    (a response waiting for review still counts: only closure settles one), oldest deadline first. One query."""
    return list(
        Recommendation.objects.filter(visit__inspection__plan=plan)
        .overdue(as_of)
        .select_related("visit__agency", "visit__inspection")
        .order_by("deadline", "visit__agency__name", "pk")
    )


def _day_end(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the office's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


@dataclass(frozen=True)
class InspectionCounts:
    inspections: int
    visits: int
    agencies_visited: int
    issued: int
    closed: int
    overdue: int

    @property
    def open(self) -> int:
        return self.issued - self.closed


def inspection_counts(*, plan, year: int, as_of: datetime.date) -> InspectionCounts:
    """Counts over ``plan``'s inspection plans of ``year``; closed and overdue as they stand on ``as_of``
    (a recommendation closed after ``as_of`` is still open on it). Three queries."""
    inspections = InspectionPlan.objects.filter(plan=plan, year=year)
    visits = Visit.objects.filter(inspection__in=inspections, start_date__lte=as_of).aggregate(
        n=Count("pk"), agencies=Count("agency", distinct=True)
    )
    end_of_day = _day_end(as_of)
    recs = Recommendation.objects.filter(visit__inspection__in=inspections, issued_on__lte=as_of)
    closed_q = Q(state=RecommendationState.CLOSED, closed_at__lt=end_of_day)
    counts = recs.aggregate(
        issued=Count("pk"),
        closed=Count("pk", filter=closed_q),
        overdue=Count("pk", filter=~closed_q & Q(deadline__lt=as_of)),
    )
    return InspectionCounts(
        inspections=inspections.count(),
        visits=visits["n"],
        agencies_visited=visits["agencies"],
        issued=counts["issued"],
        closed=counts["closed"],
        overdue=counts["overdue"],
    )


def open_recommendations(*, plan, year: int, as_of: datetime.date) -> list[Recommendation]:
    """The recommendations of ``year``'s inspections not closed on ``as_of``, by agency then deadline."""
    end_of_day = _day_end(as_of)
    return list(
        Recommendation.objects.filter(
            visit__inspection__plan=plan, visit__inspection__year=year, issued_on__lte=as_of
        )
        .exclude(state=RecommendationState.CLOSED, closed_at__lt=end_of_day)
        .select_related("visit__agency")
        .order_by("visit__agency__name", "deadline", "pk")
    )
