"""The main pages of each demo persona, as absolute URLs on the live server (after ``load_default``).

Shared by the phone-width test (``test_responsive.py``) and the accessibility test (``test_accessibility.py``):
one list, so a page added here is checked by both. A page a persona may not open is simply not in its list.
"""

from collections.abc import Callable

PERSONAS = ("reporter", "head", "coordinator", "viewer", "admin")


def _objects():
    from plantrack.indicators.models import IndicatorDefinition
    from plantrack.orgs.models import Agency
    from plantrack.plans.models import Plan
    from plantrack.reporting.models import AgencyReport, ReportingCycle

    plan = Plan.objects.by_code("386/KH-UBND").get()
    cycle = ReportingCycle.objects.filter(plan=plan, year=2025).order_by("pk").first()
    agency = Agency.objects.get(name="Sở Tài chính")
    report = AgencyReport.objects.filter(cycle=cycle, agency=agency).first()
    definition = IndicatorDefinition.objects.filter(target__plan=plan).select_related("target").first()
    sent = AgencyReport.objects.filter(cycle=cycle, state="accepted").order_by("pk").first()
    return plan, cycle, agency, report, definition, sent


def main_pages(role: str, live_url: Callable[..., str]) -> list[str]:
    """Absolute URLs of the pages ``role`` opens in everyday work."""
    plan, cycle, agency, report, definition, sent = _objects()
    pages = [
        live_url("home"),
        live_url("search") + "?q=s%E1%BB%9F",
        live_url("orgs:list"),
        live_url("orgs:detail", pk=agency.pk),
        live_url("plans:detail", pk=plan.pk),
        live_url("plans:matrix", pk=plan.pk),
        live_url("reporting:my_reports"),
        live_url("reporting:cycle_list"),
        live_url("reporting:cycle_detail", pk=cycle.pk),
        live_url("indicators:index"),
        live_url("indicators:scorecard", plan_pk=plan.pk),
        live_url("notifications:list"),
        live_url("accounts:account"),
    ]
    if definition is not None:
        pages.append(live_url("indicators:target", pk=definition.target.pk))
    if role in ("reporter", "head") and report is not None:
        pages += [
            live_url("reporting:report_detail", pk=report.pk),
            live_url("reporting:report_history", pk=report.pk),
        ]
    if role in ("coordinator", "viewer"):
        pages += [
            live_url("monitoring:index"),
            live_url("monitoring:dashboard", pk=cycle.pk),
            live_url("monitoring:task_timeliness", pk=plan.pk),
            live_url("consolidation:list"),
            live_url("consolidation:detail", cycle_pk=cycle.pk),
        ]
    if role == "coordinator":
        pages += [
            live_url("monitoring:reminders", pk=cycle.pk),
            live_url("reporting:report_detail", pk=sent.pk),
            live_url("plan_import:import_upload"),
        ]
    if role == "admin":
        pages += [
            live_url("accounts:user_list"),
            live_url("accounts:user_create"),
            live_url("security:log"),
            live_url("api:docs"),
        ]
    return pages
