"""What invalidates the cached dashboard sections (``plantrack.monitoring.sections``).

Receivers replace the version token of what a saved or deleted row shows, inside the transaction that writes it
(``plantrack.core.versions``): "cycle:<id>" for a cycle and its reports, entries, submissions, reminders and
reminder schedule (reports and cycles also bump "plan-reports:<plan id>"; a report, entry or submission also
"agency-reports:<agency id>", and a saved draft's content that only its agency sees bumps that key alone),
"plan:<id>" for the plan's tasks, task groups and assignments (the plan row and its other rows: ``plantrack.plans.cache_versions``), "plan-figures:<id>"
for its targets, indicator definitions, components and yearly figures, "plan-inspections:<id>" for its inspection
plans, visits and recommendations, "orgs" for agencies, their aliases, groups, memberships and successions (also
the plan import's agency registry). Writes that skip ``save()`` (bulk inserts) bump explicitly where they are made
(reminders: ``services._dispatch``).
"""

from plantrack.core.versions import (
    ORGS_KEY,
    agency_reports_key,
    bump,
    connect_bumps,
    cycle_key,
    plan_figures_key,
    plan_inspections_key,
    plan_key,
    plan_reports_key,
)


def _plan_of_cycle(cycle_id: int) -> int | None:
    from plantrack.reporting.models import ReportingCycle

    return ReportingCycle.objects.filter(pk=cycle_id).values_list("plan_id", flat=True).first()


def _report_keys(report) -> list[str]:
    """The keys a change to ``report`` bumps, with no query when its cycle is loaded: the agency's own reports
    always; its cycle and plan unless the change is seen by the agency's people only (a saved draft's content,
    ``AgencyReport.seen_by_agency_only``)."""
    from plantrack.reporting.models import AgencyReport

    own = agency_reports_key(report.agency_id)
    if report.seen_by_agency_only:
        return [own]
    if AgencyReport.cycle.field.is_cached(report):
        plan_id = report.cycle.plan_id
    else:
        plan_id = _plan_of_cycle(report.cycle_id)
    return [own, cycle_key(report.cycle_id), plan_reports_key(plan_id) if plan_id else ""]


def _on_cycle(sender, instance, **kwargs):
    bump(cycle_key(instance.pk), plan_reports_key(instance.plan_id))


def _on_report(sender, instance, **kwargs):
    bump(*_report_keys(instance))


def _on_report_child(sender, instance, **kwargs):
    """An entry or a submission: the keys of its report (loaded, or read in one query)."""
    from plantrack.reporting.models import AgencyReport

    if type(instance).report.field.is_cached(instance):
        bump(*_report_keys(instance.report))
        return
    found = (
        AgencyReport.objects.filter(pk=instance.report_id)
        .values_list("agency_id", "cycle_id", "cycle__plan_id")
        .first()
    )
    if found:
        bump(agency_reports_key(found[0]), cycle_key(found[1]), plan_reports_key(found[2]))


def _on_reminder(sender, instance, **kwargs):
    bump(cycle_key(instance.cycle_id))


def _on_inspection_plan(sender, instance, **kwargs):
    bump(plan_inspections_key(instance.plan_id))


def _on_visit(sender, instance, **kwargs):
    from plantrack.inspection.models import InspectionPlan

    plan_id = (
        InspectionPlan.objects.filter(pk=instance.inspection_id).values_list("plan_id", flat=True).first()
    )
    if plan_id:
        bump(plan_inspections_key(plan_id))


def _on_recommendation(sender, instance, **kwargs):
    from plantrack.inspection.models import Visit

    plan_id = Visit.objects.filter(pk=instance.visit_id).values_list("inspection__plan_id", flat=True).first()
    if plan_id:
        bump(plan_inspections_key(plan_id))


def _on_task(sender, instance, **kwargs):
    bump(plan_key(instance.plan_id))


def _on_assignment(sender, instance, **kwargs):
    from plantrack.plans.models import Task

    plan_id = Task.objects.filter(pk=instance.task_id).values_list("plan_id", flat=True).first()
    if plan_id:
        bump(plan_key(plan_id))


def _on_target(sender, instance, **kwargs):
    bump(plan_key(instance.plan_id), plan_figures_key(instance.plan_id))


def _on_definition(sender, instance, **kwargs):
    from plantrack.plans.models import Target

    plan_id = Target.objects.filter(pk=instance.target_id).values_list("plan_id", flat=True).first()
    if plan_id:
        bump(plan_figures_key(plan_id))


def _on_definition_child(sender, instance, **kwargs):
    """A component or a yearly figure: the plan of its definition."""
    from plantrack.indicators.models import IndicatorDefinition

    plan_id = (
        IndicatorDefinition.objects.filter(pk=instance.definition_id)
        .values_list("target__plan_id", flat=True)
        .first()
    )
    if plan_id:
        bump(plan_figures_key(plan_id))


def _on_orgs(sender, instance, **kwargs):
    bump(ORGS_KEY)


def connect() -> None:
    from plantrack.indicators.models import IndicatorComponent, IndicatorDefinition, YearlyFigure
    from plantrack.inspection.models import InspectionPlan, Recommendation, Visit
    from plantrack.orgs.models import Agency, AgencyAlias, AgencyGroup, GroupMembership, Succession
    from plantrack.plans.models import Assignment, Target, Task, TaskGroup
    from plantrack.reporting.models import AgencyReport, ReportEntry, ReportingCycle, ReportSubmission

    from .models import ReminderLog, ReminderSchedule

    receivers = [
        (ReportingCycle, _on_cycle),
        (AgencyReport, _on_report),
        (ReportEntry, _on_report_child),
        (ReportSubmission, _on_report_child),
        (ReminderLog, _on_reminder),
        (ReminderSchedule, _on_reminder),
        (InspectionPlan, _on_inspection_plan),
        (Visit, _on_visit),
        (Recommendation, _on_recommendation),
        (Task, _on_task),
        (TaskGroup, _on_task),
        (Assignment, _on_assignment),
        (Target, _on_target),
        (IndicatorDefinition, _on_definition),
        (IndicatorComponent, _on_definition_child),
        (YearlyFigure, _on_definition_child),
        (Agency, _on_orgs),
        (AgencyAlias, _on_orgs),
        (Succession, _on_orgs),
        (AgencyGroup, _on_orgs),
        (GroupMembership, _on_orgs),
    ]
    connect_bumps(receivers, prefix="monitoring")
