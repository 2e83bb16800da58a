"""Reads of the consolidated report used by its pages."""

from dataclasses import dataclass

from django.utils import timezone

from plantrack.plans.models import AssignmentRole
from plantrack.reporting.models import AgencyReport, ReportingCycle, ReportState

from .models import BuildRun, ConsolidatedReport
from .report.compile import Compilation, consolidated_compile
from .report.composer import SectionComposer, compose


def section_composers(compilation: Compilation) -> dict[str, SectionComposer]:
    """For each narrative section, the accepted contributions as deduplicated statements (composer.py)."""
    return compose(compilation)


@dataclass(frozen=True)
class OwnReportWarning:
    """The department in charge has not had its own report accepted: the build would lack its results."""

    report: AgencyReport
    lead_tasks: int

    @property
    def message(self) -> str:
        # Vietnamese whatever the UI language, like the documents (shown by the build page and the command).
        about = f" về {self.lead_tasks} nhiệm vụ chủ trì" if self.lead_tasks else ""
        return (
            f"Báo cáo năm {self.report.cycle.year} của {self.report.agency.name} (cơ quan theo dõi){about} chưa "
            f"được tiếp nhận (trạng thái: {self.report.display_state()[1].lower()}): báo cáo tổng hợp sẽ chưa có "
            "kết quả các nhiệm vụ của cơ quan theo dõi."
        )


def own_report_warning(*, cycle: ReportingCycle) -> OwnReportWarning | None:
    """A warning to show before a build when the department in charge owes a report in ``cycle`` (it leads or
    coordinates tasks) and that report is not accepted; ``None`` otherwise. Two queries."""
    report = (
        AgencyReport.objects.filter(cycle=cycle, agency_id=cycle.plan.coordinator_agency_id)
        .select_related("agency", "cycle")
        .first()
    )
    if report is None or report.state == ReportState.ACCEPTED:
        return None
    return OwnReportWarning(report, report.entries.filter(role=AssignmentRole.LEAD).count())


def consolidation_overview(*, cycle: ReportingCycle, user) -> dict:
    """What the cycle's consolidated report page shows."""
    report = ConsolidatedReport.objects.filter(cycle=cycle).select_related("updated_by").first()
    runs = []
    if report is not None:
        runs = list(BuildRun.objects.for_user(user).filter(report=report).select_related("requested_by")[:10])
    now = timezone.now()
    return {
        "report": report,
        "runs": runs,
        "latest_done": next((r for r in runs if r.is_done), None),
        "active": next((r for r in runs if r.is_active and not r.is_stale(now)), None),
        "compilation": consolidated_compile(cycle=cycle),
        "own_report_warning": own_report_warning(cycle=cycle),
    }
