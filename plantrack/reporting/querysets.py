"""User-scoped querysets: every list of cycles, reports and evidence goes through ``for_user``."""

from django.db import models

from plantrack.accounts.permissions import (
    coordinated_plans_q,
    coordinated_scope,
    is_administrator,
    is_agency_member,
    is_viewer,
    member_agency_ids,
)
from plantrack.plans.models import Plan


class ReportingCycleQuerySet(models.QuerySet):
    def for_user(self, user) -> "ReportingCycleQuerySet":
        """Cycles of the plans the user may read (the cycle's existence and dates are not secret), except that an
        agency sees an ad hoc cycle only when the request names it: outside its scope, it sees nothing."""
        if not user.is_authenticated:
            return self.none()
        cycles = self.filter(plan__in=Plan.objects.for_user(user))
        if is_agency_member(user) and not (is_viewer(user) or is_administrator(user)):
            requests = self.model._meta.get_field("ad_hoc_request").related_model.objects.filter(
                agencies__in=member_agency_ids(user)
            )
            # A user who also coordinates the plan (accounts.Membership) keeps seeing all of its cycles.
            cycles = cycles.filter(
                models.Q(ad_hoc_request__isnull=True)
                | models.Q(ad_hoc_request__in=requests.values("pk"))
                | coordinated_plans_q(user, via="plan__")
            )
        return cycles

    def coordinated_by(self, user) -> "ReportingCycleQuerySet":
        """Cycles whose plan is followed up by the user's department, when the user is one of its coordinators."""
        return self.filter(coordinated_plans_q(user, via="plan__"))


class AgencyReportQuerySet(models.QuerySet):
    def for_user(self, user) -> "AgencyReportQuerySet":
        """Reports the user may read.

        - reporter, head: every report of their own agency, whatever its state;
        - coordinator: submitted, returned and accepted reports of the plans their department follows up;
        - viewer, administrator: submitted, returned and accepted reports of every plan they may read.
        Drafts never leave the agency.
        """
        # local import: models.py imports this module for its managers
        from .models import VISIBLE_OUTSIDE_AGENCY

        # A user may hold several roles (accounts.Membership): what each role may read is added up.
        members, coordinates, reads_plans = self.visibility(user)
        q = models.Q(pk__in=[])
        if members:
            q |= models.Q(agency_id__in=members)
        if coordinates:
            q |= coordinated_plans_q(user, via="cycle__plan__") & models.Q(state__in=VISIBLE_OUTSIDE_AGENCY)
        if reads_plans:
            q |= models.Q(cycle__plan__in=Plan.objects.for_user(user), state__in=VISIBLE_OUTSIDE_AGENCY)
        return self.filter(q)

    @staticmethod
    def visibility(user) -> tuple:
        """What ``for_user`` selects by, as a value: the agencies whose every report the user reads, the plans they
        coordinate (``coordinated_scope``) and, for viewers and administrators, which plans they read
        (``PlanQuerySet.visibility``). Users with the same value read the same reports (a cache key part)."""
        reads_plans = Plan.objects.visibility(user) if (is_viewer(user) or is_administrator(user)) else ""
        return tuple(sorted(member_agency_ids(user))), coordinated_scope(user), reads_plans


class EvidenceQuerySet(models.QuerySet):
    def for_user(self, user) -> "EvidenceQuerySet":
        """Evidence the user may see and download: that of the reports they may read, plus, for an agency that
        leads a task, the evidence its coordinating agencies sent for that task in the same cycle once sent.

        Only coordinating agencies' evidence crosses over: on a co-led task, one lead agency does not see the
        evidence of another lead agency (``reporting.selectors.partner_entries`` shows the same entries)."""
        # local import: models.py imports this module for its managers
        from .models import AgencyReport, ReportEntry, ReportState

        q = models.Q(report__in=AgencyReport.objects.for_user(user))
        if is_agency_member(user):
            led_by_user_agency = ReportEntry.objects.filter(
                report__agency_id__in=member_agency_ids(user),
                report__cycle_id=models.OuterRef("report__cycle_id"),
                task_id=models.OuterRef("entry__task_id"),
                role="lead",
            )
            q |= models.Q(
                models.Exists(led_by_user_agency),
                report__state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED],
                entry__role="coordinate",
            )
        return self.filter(q)
