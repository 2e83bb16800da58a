"""Reads of the consolidated report used by its pages."""

from dataclasses import dataclass

from django.utils import timezone

from plantrack.reporting.models import ReportingCycle

from .models import BuildRun, ConsolidatedReport
from .report.compile import Compilation, consolidated_compile


@dataclass
class SectionSuggestions:
    """For one narrative field: what the accepted reports say in the matching section."""

    field: str
    label: str
    items: list[tuple[str, str]]  # (agency, text)


# Narrative field → section of the agencies' reports it draws on.
SUGGESTION_SOURCES = {
    "strengths": ("main_results", "Kết quả nổi bật"),
    "shortcomings": ("shortcomings", "Tồn tại, hạn chế và nguyên nhân"),
    "directions": ("next_year", "Phương hướng, nhiệm vụ năm tới"),
    "proposals": ("proposals", "Kiến nghị, đề xuất"),
}


def section_suggestions(compilation: Compilation) -> dict[str, SectionSuggestions]:
    return {
        field: SectionSuggestions(field, label, compilation.sections.get(source, []))
        for field, (source, label) in SUGGESTION_SOURCES.items()
    }


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
    }
