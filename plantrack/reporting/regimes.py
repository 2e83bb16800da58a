"""Reporting regimes: which cycles a plan's regimes prescribe in a year, their due dates and data windows, and the
services that open them (``cycles_open_from_regime``), open an ad hoc request (``adhoc_request_create``) and
pre-fill a yearly report from the same year's 6-month report.

Data windows follow Decree 09/2019/NĐ-CP, Article 12 (thời gian chốt số liệu): a period's data runs from the 15th
of the month before the period to the 14th of its last month — monthly 15/(m-1) → 14/m, quarterly 15th of the month
before the quarter → 14th of its last month, 6-monthly 15/12 of the previous year → 14/6, yearly 15/12 of the
previous year → 14/12. The decree names no window for the second half-year; we use 15/6 → 14/12 by the same rule.
Sources and choices are in docs/design/reporting-regimes.md.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from plantrack.accounts.permissions import is_coordinator_of
from plantrack.plans.models import PERIOD_MONTHS, Plan, ReportingPeriod, ReportingRegime
from plantrack.plans.responsibility import PlanResponsibility

from .models import (
    PERIOD_COUNT,
    AdHocRequest,
    AgencyReport,
    CyclePeriod,
    ReportEntry,
    ReportingCycle,
    ReportState,
    period_label,
)

# The reports a yearly report may draw on: sent (awaiting review) or accepted, never a draft.
PREFILL_SOURCE_STATES = (ReportState.SUBMITTED, ReportState.ACCEPTED)
PREFILL_SECTIONS = ("main_results", "shortcomings", "next_year", "proposals")
PREFILL_ENTRY_FIELDS = ("status", "results", "difficulties")


def _clamp_day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _month_add(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) ``months`` after (year, month); month 0 is December of the previous year."""
    total = year * 12 + (month - 1) + months
    return total // 12, total % 12 + 1


def data_window(period_type: str, year: int, index: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period's data (Decree 09/2019/NĐ-CP, Art. 12): 15th of the month before the
    period to the 14th of its last month."""
    months = PERIOD_MONTHS[ReportingPeriod(period_type)]
    last_month = months * index
    start_year, start_month = _month_add(year, last_month, -months)
    return datetime.date(start_year, start_month, 15), datetime.date(year, last_month, 14)


def regime_due_date(regime: ReportingRegime, year: int, index: int) -> datetime.date:
    """The due date of period ``index`` of ``year`` under ``regime`` (31 becomes the month's last day)."""
    last_month = PERIOD_MONTHS[ReportingPeriod(regime.period)] * index
    due_year, due_month = _month_add(year, last_month, regime.due_month_offset)
    return _clamp_day(due_year, due_month, regime.due_day)


def plan_regimes(plan: Plan) -> list[ReportingRegime]:
    """The plan's regimes; a plan that states none reports yearly by its due day and month (``report_due_*``)."""
    regimes = list(plan.regimes.all())
    if regimes:
        return regimes
    return [
        ReportingRegime(
            plan=plan,
            period=ReportingPeriod.YEARLY,
            due_day=plan.report_due_day,
            due_month_offset=plan.report_due_month - 12,
        )
    ]


def cycle_due_date(plan: Plan, period_type: str, year: int, index: int) -> datetime.date:
    """The due date the plan's regime gives a period; without a regime for that kind of period, the 15th of its
    last month (the day after its data window closes)."""
    for regime in plan_regimes(plan):
        if regime.period == period_type:
            return regime_due_date(regime, year, index)
    return data_window(period_type, year, index)[1] + datetime.timedelta(days=1)


@dataclass(frozen=True)
class PlannedCycle:
    """One cycle a regime prescribes in a year, and whether it is open already."""

    period_type: str
    index: int
    year: int
    due_date: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    exists: bool

    @property
    def label(self) -> str:
        return str(period_label(self.period_type, self.year, self.index))


def regime_cycles(*, plan: Plan, year: int) -> list[PlannedCycle]:
    """The cycles ``plan``'s regimes prescribe in ``year``, by due date. When the plan also reports yearly, the
    second half-year has no cycle of its own: the yearly report covers it ("báo cáo 6 tháng và năm")."""
    regimes = plan_regimes(plan)
    has_yearly = any(r.period == ReportingPeriod.YEARLY for r in regimes)
    existing = set(
        ReportingCycle.objects.filter(plan=plan, year=year)
        .exclude(period_type=CyclePeriod.AD_HOC)
        .values_list("period_type", "period_index")
    )
    planned = []
    for regime in regimes:
        for index in range(1, PERIOD_COUNT[regime.period] + 1):
            if regime.period == ReportingPeriod.HALF_YEARLY and index == 2 and has_yearly:
                continue
            start, end = data_window(regime.period, year, index)
            planned.append(
                PlannedCycle(
                    period_type=regime.period,
                    index=index,
                    year=year,
                    due_date=regime_due_date(regime, year, index),
                    period_start=start,
                    period_end=end,
                    exists=(regime.period, index) in existing,
                )
            )
    # The shorter period first on the same date: a yearly report opened in the same run as the 6-month one
    # finds nothing to draw on yet, so order matters only for readability.
    return sorted(planned, key=lambda p: (p.due_date, PERIOD_MONTHS[ReportingPeriod(p.period_type)]))


@dataclass(frozen=True)
class RegimePreviewRow:
    """One row of the preview "Mở kỳ báo cáo theo chế độ báo cáo": a period the regimes prescribe, the cycle when
    it is open already, and how many agencies owe (or owe already) a report in it."""

    planned: PlannedCycle
    cycle: ReportingCycle | None
    agency_count: int

    @property
    def period_type_label(self) -> str:
        return str(CyclePeriod(self.planned.period_type).label)


def regime_preview(*, plan: Plan, year: int) -> list[RegimePreviewRow]:
    """What opening ``year`` from ``plan``'s regimes would do, period by period. An open cycle counts the reports
    it holds; a period still to open counts the agencies that owe at least one task on its due date, the rule
    ``cycle_open`` applies. One responsibility resolution per distinct due date."""
    planned = regime_cycles(plan=plan, year=year)
    cycles = {
        (c.period_type, c.period_index): c
        for c in ReportingCycle.objects.filter(plan=plan, year=year)
        .exclude(period_type=CyclePeriod.AD_HOC)
        .annotate(report_count=Count("reports"))
    }
    owed_on: dict[datetime.date, int] = {}
    rows = []
    for p in planned:
        cycle = cycles.get((p.period_type, p.index))
        if cycle is not None:
            count = cycle.report_count
        else:
            if p.due_date not in owed_on:
                owed_on[p.due_date] = len(PlanResponsibility(plan=plan, day=p.due_date).owed())
            count = owed_on[p.due_date]
        rows.append(RegimePreviewRow(planned=p, cycle=cycle, agency_count=count))
    return rows


def cycles_open_from_regime(
    *, actor, plan: Plan, year: int, periods=None, now: datetime.datetime | None = None
) -> list[ReportingCycle]:
    """Open every cycle the plan's regimes prescribe in ``year`` that is not open yet (a second run opens nothing).
    ``periods`` limits the run to some ``(period_type, index)`` pairs. Each cycle opens through ``cycle_open``."""
    from . import services  # local import: services imports this module's helpers

    wanted = set(periods) if periods is not None else None
    opened = []
    with transaction.atomic():
        for planned in regime_cycles(plan=plan, year=year):
            if planned.exists or (wanted is not None and (planned.period_type, planned.index) not in wanted):
                continue
            opened.append(
                services.cycle_open(
                    actor=actor,
                    plan=plan,
                    year=year,
                    period_type=planned.period_type,
                    period_index=planned.index,
                    due_date=planned.due_date,
                    now=now,
                )
            )
    return opened


# --- Pre-fill from the 6-month report ---------------------------------------------------------------------------


def reports_prefill_from_half_year(*, actor, cycle: ReportingCycle, now: datetime.datetime) -> int:
    """Copy into the yearly ``cycle``'s new reports the sections and entries of each agency's 6-month report of
    the same year, when that report was sent or accepted. The copy is a draft like any other (editable); the
    report points at its source (``prefilled_from``) so the page can say where the text came from. Returns how
    many reports were pre-filled. Called by ``cycle_open`` inside its transaction."""
    if cycle.period_type != CyclePeriod.YEARLY:
        return 0
    sources = {
        r.agency_id: r
        for r in AgencyReport.objects.filter(
            cycle__plan_id=cycle.plan_id,
            cycle__year=cycle.year,
            cycle__period_type=CyclePeriod.HALF_YEARLY,
            cycle__period_index=1,
            state__in=PREFILL_SOURCE_STATES,
        ).prefetch_related("entries")
    }
    if not sources:
        return 0
    targets = list(
        AgencyReport.objects.filter(cycle=cycle, agency_id__in=sources).prefetch_related("entries")
    )
    entries = []
    for report in targets:
        source = sources[report.agency_id]
        for field in PREFILL_SECTIONS:
            setattr(report, field, getattr(source, field))
        report.prefilled_from = source
        by_task = {e.task_id: e for e in source.entries.all()}
        for entry in report.entries.all():
            earlier = by_task.get(entry.task_id)
            if earlier is not None:
                for field in PREFILL_ENTRY_FIELDS:
                    setattr(entry, field, getattr(earlier, field))
                entries.append(entry)
    reason = _("Điền sẵn từ báo cáo 6 tháng đầu năm")
    bulk_update_with_history(
        targets,
        AgencyReport,
        [*PREFILL_SECTIONS, "prefilled_from"],
        default_user=actor,
        default_change_reason=reason,
        default_date=now,
    )
    if entries:
        bulk_update_with_history(
            entries,
            ReportEntry,
            list(PREFILL_ENTRY_FIELDS),
            default_user=actor,
            default_change_reason=reason,
            default_date=now,
        )
    return len(targets)


# --- Ad hoc requests --------------------------------------------------------------------------------------------


def adhoc_request_create(
    *,
    actor,
    plan: Plan,
    title: str,
    due_date: datetime.date,
    agencies,
    tasks=(),
    document_number: str = "",
    document_date: datetime.date | None = None,
    issuer: str = "",
    is_demo: bool = False,
    now: datetime.datetime | None = None,
) -> AdHocRequest:
    """Record an ad hoc request (báo cáo đột xuất) and open its cycle: a report is expected from each agency in
    ``agencies`` and from nobody else, with an entry per task it owes among ``tasks`` (every task it owes when
    ``tasks`` is empty). Only the plan's coordinators may ask."""
    from . import services  # local import: services imports this module's helpers

    if not is_coordinator_of(actor, plan):
        raise services.WorkflowNotAllowed(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được yêu cầu báo cáo đột xuất.")
        )
    title = (title or "").strip()
    if not title:
        raise services.ReportingError(_("Cần ghi nội dung yêu cầu báo cáo."))
    agencies, tasks = list(agencies), list(tasks)
    if not agencies:
        raise services.ReportingError(_("Cần chọn ít nhất một đơn vị phải báo cáo."))
    if any(t.plan_id != plan.pk for t in tasks):
        raise services.ReportingError(_("Nhiệm vụ được chọn không thuộc kế hoạch này."))
    with transaction.atomic():
        request = AdHocRequest.objects.create(
            plan=plan,
            title=title[:255],
            document_number=document_number.strip()[:60],
            document_date=document_date,
            issuer=issuer.strip()[:255],
            due_date=due_date,
            created_by=actor,
        )
        request.agencies.set(agencies)
        request.tasks.set(tasks)
        services.cycle_open(
            actor=actor,
            plan=plan,
            year=due_date.year,
            period_type=CyclePeriod.AD_HOC,
            due_date=due_date,
            ad_hoc_request=request,
            agency_ids={a.pk for a in agencies},
            task_ids={t.pk for t in tasks} or None,
            is_demo=is_demo,
            now=now,
        )
    return request
