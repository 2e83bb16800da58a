"""User-scoped querysets: every list of cycles, reports and evidence goes through ``for_user``."""

from django.db import models


def _role(user) -> str:
    return getattr(user, "role", "")


class ReportingCycleQuerySet(models.QuerySet):
    def for_user(self, user) -> "ReportingCycleQuerySet":
        """Cycles of the plans the user may read (the cycle's existence and dates are not secret)."""
        if not user.is_authenticated:
            return self.none()
        from plantrack.plans.models import Plan

        return self.filter(plan__in=Plan.objects.for_user(user))

    def coordinated_by(self, user) -> "ReportingCycleQuerySet":
        """Cycles whose plan is followed up by the user's department, when the user is one of its coordinators."""
        if not user.is_authenticated or _role(user) != "coordinator" or not user.agency_id:
            return self.none()
        return self.filter(plan__coordinator_agency_id=user.agency_id)


class AgencyReportQuerySet(models.QuerySet):
    def for_user(self, user) -> "AgencyReportQuerySet":
        """Reports the user may read.

        - reporter, head: every report of their own agency, whatever its state;
        - coordinator: submitted, returned and accepted reports of the plans their department follows up;
        - viewer, administrator: submitted, returned and accepted reports of every plan they may read.
        Drafts never leave the agency.
        """
        from .models import VISIBLE_OUTSIDE_AGENCY

        if not user.is_authenticated or not user.is_active:
            return self.none()
        role = _role(user)
        if role in ("reporter", "head"):
            return self.filter(agency_id=user.agency_id) if user.agency_id else self.none()
        if role == "coordinator":
            if not user.agency_id:
                return self.none()
            return self.filter(
                cycle__plan__coordinator_agency_id=user.agency_id, state__in=VISIBLE_OUTSIDE_AGENCY
            )
        if role in ("viewer", "admin") or user.is_superuser:
            from plantrack.plans.models import Plan

            return self.filter(cycle__plan__in=Plan.objects.for_user(user), state__in=VISIBLE_OUTSIDE_AGENCY)
        return self.none()


class EvidenceQuerySet(models.QuerySet):
    def for_user(self, user) -> "EvidenceQuerySet":
        from .models import AgencyReport

        return self.filter(report__in=AgencyReport.objects.for_user(user))
