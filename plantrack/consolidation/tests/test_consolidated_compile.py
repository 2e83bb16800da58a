"""What the consolidated report is compiled from: accepted snapshots only, figures with their provenance."""

from decimal import Decimal

import pytest

from plantrack.consolidation.report.compile import consolidated_compile
from plantrack.indicators.models import IndicatorDefinition
from plantrack.indicators.services import figure_record
from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport, ReportEntry

from .conftest import _user, fill, marker

pytestmark = pytest.mark.django_db


def all_results(compilation) -> str:
    return "\n".join(c.results for block in compilation.tasks for c in block.contributions)


def test_every_task_and_target_of_the_plan(cycle_2025):
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    assert len(compilation.tasks) == 31
    assert len(compilation.groups) == 6
    assert len(compilation.targets) == 9
    compound = [row for row in compilation.targets if row.parts]
    assert len(compound) == 1 and len(compound[0].parts) == 5


def test_only_accepted_submissions_contribute(cycle_2025):
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    assert {s.report_id for s in compilation.sources} == {r.pk for r in cycle_2025.accepted}
    text = all_results(compilation)
    for report in cycle_2025.accepted:
        for entry in report.entries.select_related("task"):
            round_ = 2 if report.pk == cycle_2025.accepted[2].pk else 1
            assert marker(report, entry.task.code, round_) in text
    for report in (cycle_2025.returned, cycle_2025.submitted, cycle_2025.draft):
        assert f"«{report.agency_id}:" not in text
    # The report accepted after a return shows its second round only.
    assert f"«{cycle_2025.accepted[2].agency_id}:" in text
    assert ":1»" not in "".join(
        c.results
        for b in compilation.tasks
        for c in b.contributions
        if c.source.report_id == cycle_2025.accepted[2].pk
    )


def test_results_sit_under_the_task_they_concern(cycle_2025):
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    for block in compilation.tasks:
        for contribution in block.contributions:
            assert f":{block.task.code}:" in contribution.results


def test_results_come_from_the_snapshot_not_the_live_rows(cycle_2025):
    report = cycle_2025.accepted[0]
    # A change behind the workflow's back (the live row) must not reach the consolidated report.
    ReportEntry.objects.filter(report=report).update(results="SỬA TRỰC TIẾP")
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    assert "SỬA TRỰC TIẾP" not in all_results(compilation)


def test_sources_trace_to_the_accepted_submission(cycle_2025):
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    by_report = {s.report_id: s for s in compilation.sources}
    for report in cycle_2025.accepted:
        source = by_report[report.pk]
        assert source.submission_id == report.accepted_submission_id
        assert source.submission_number == report.accepted_submission.number
        assert source.submitted_at == report.accepted_submission.submitted_at
        assert source.accepted_at == report.accepted_at
    assert by_report[cycle_2025.accepted[2].pk].submission_number == 2


def test_state_counts_and_suggestions(cycle_2025):
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    counts = compilation.state_counts
    assert counts["accepted"] == 3 and counts["returned"] == 1 and counts["submitted"] == 1
    assert compilation.expected_count == AgencyReport.objects.filter(cycle=cycle_2025.cycle).count()
    agencies = [agency for agency, _text in compilation.sections["shortcomings"]]
    assert agencies == sorted(s.agency_name for s in compilation.sources)
    third = cycle_2025.accepted[2].agency.name
    assert dict(compilation.sections["shortcomings"])[third] == f"Hạn chế của {third} (vòng 2)."


def _figure_world(cycle_2025):
    """II.2.1 is provided by an agency that owes tasks in the cycle: its report carries the figure."""
    definition = IndicatorDefinition.objects.select_related("target", "provider").get(target__code="II.2.1")
    report = AgencyReport.objects.get(cycle=cycle_2025.cycle, agency=definition.provider)
    head = _user("lanhdao_cungcap", "head", definition.provider)
    return definition, report, head


def test_figure_of_a_report_not_accepted_is_left_out(cycle_2025):
    definition, report, head = _figure_world(cycle_2025)
    figure_record(
        actor=head, indicator=definition, year=2025, value="55,2", source_note="Niên giám", report=report
    )
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    row = next(r for r in compilation.targets if r.target.code == "II.2.1")
    assert row.this_year.value is None and row.this_year.sources == []

    fill(report, head)
    services.report_submit(actor=head, report=AgencyReport.objects.get(pk=report.pk))
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    row = next(r for r in compilation.targets if r.target.code == "II.2.1")
    assert row.this_year.value is None  # submitted, not accepted yet

    report = services.report_accept(
        actor=cycle_2025.coordinator, report=AgencyReport.objects.get(pk=report.pk)
    )
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    row = next(r for r in compilation.targets if r.target.code == "II.2.1")
    assert row.this_year.value == Decimal("55.2")
    (source,) = row.this_year.sources
    assert source.report_id == report.pk
    assert source.submission_id == report.accepted_submission_id
    assert source.agency_name == definition.provider.name
    assert source.source_note == "Niên giám" and not source.changed_after_submission
    assert "Niên giám" in row.source_text and f"#{report.pk}" in row.source_text


def test_figure_entered_outside_reports_counts_with_who_entered_it(cycle_2025):
    definition = IndicatorDefinition.objects.get(target__code="II.2.2")
    figure_record(
        actor=cycle_2025.coordinator,
        indicator=definition,
        year=2024,
        value="40,3",
        source_note="Cục Thống kê",
    )
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    row = next(r for r in compilation.targets if r.target.code == "II.2.2")
    assert row.last_year.value == Decimal("40.3") and row.this_year.value is None
    (source,) = row.last_year.sources
    assert source.report_id is None and source.entered_by == cycle_2025.coordinator.display_name
