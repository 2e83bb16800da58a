"""Reads over indicators: series (with computed values derived on the fly), status, scorecards."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from plantrack.core.numbers import format_decimal
from plantrack.plans.models import QUALITATIVE_NOTE, Comparator, Plan, Target

from .formula import FormulaError, MissingInput, formula_evaluate, formula_parse
from .models import IndicatorComponent, IndicatorDefinition, YearlyFigure
from .querysets import STATES_SEEN_BY_ALL
from .status import (
    Assessment,
    Projection,
    Rule,
    Status,
    Verdict,
    compound_status,
    cumulative_total,
    path_points,
    status_for_year,
)
from .status import projection as project


@dataclass
class SeriesPoint:
    """The indicator's value in one year and where it came from."""

    year: int
    value: Decimal | None
    figure: YearlyFigure | None = None  # a direct indicator's own figure
    inputs: list[YearlyFigure] = field(default_factory=list)  # a computed indicator's component figures
    problem: str = ""  # why a computed value is missing ("thiếu số liệu …", "chia cho 0")
    out_of_range: bool = False

    @property
    def figures(self) -> list[YearlyFigure]:
        return [self.figure] if self.figure else self.inputs

    @property
    def is_demo(self) -> bool:
        return any(f.is_demo for f in self.figures)

    @property
    def is_provisional(self) -> bool:
        """Some figure comes from a report that has not been accepted yet."""
        return any(f.report_id and f.report.state not in STATES_SEEN_BY_ALL for f in self.figures)


def rule_for(definition: IndicatorDefinition) -> Rule:
    target = definition.target
    return Rule(
        comparator=target.comparator,
        low=target.min_value,
        high=target.max_value,
        target_year=target.target_year or 2030,
        period_start=target.period_start_year,
        baseline_year=definition.baseline_year if definition.baseline_year else target.baseline_year,
        baseline_value=definition.baseline_value if definition.baseline_year else target.baseline_value,
        direction=definition.direction,
        assessment=definition.assessment,
        tolerance_percent=definition.tolerance_percent,
        at_risk_margin_percent=definition.at_risk_margin_percent,
        milestones=definition.milestone_pairs,
    )


def indicator_points(
    definition: IndicatorDefinition, figures: Iterable[YearlyFigure]
) -> dict[int, SeriesPoint]:
    """``{year: SeriesPoint}`` from the figures of ``definition`` (all of them, any component)."""
    figures = list(figures)
    if not definition.is_computed:
        return {f.year: SeriesPoint(f.year, f.value, figure=f) for f in figures if f.component_id is None}
    components = {c.pk: c for c in definition.components.all()}
    by_key: dict[tuple[str, int], YearlyFigure] = {}
    for f in figures:
        if f.component_id in components:
            by_key[(components[f.component_id].name, f.year)] = f
    values = {key: f.value for key, f in by_key.items()}
    try:
        formula = formula_parse(definition.formula, allowed_names={c.name for c in components.values()})
    except FormulaError as exc:
        return {y: SeriesPoint(y, None, problem=str(exc)) for y in sorted({y for _n, y in by_key})}
    labels = {c.name: c.label for c in components.values()}
    points = {}
    for year in sorted({y for _n, y in by_key}):
        needed = [(n, year) for n in formula.names] + (
            [(n, year - 1) for n in formula.names] if formula.uses_previous_year else []
        )
        inputs = [by_key[k] for k in needed if k in by_key]
        try:
            value = formula_evaluate(formula, year=year, values=values)
        except MissingInput as missing:
            points[year] = SeriesPoint(
                year,
                None,
                inputs=inputs,
                problem=_("Thiếu số liệu %(what)s năm %(year)s.")
                % {"what": labels.get(missing.name, missing.name), "year": missing.year},
            )
            continue
        except ZeroDivisionError:
            points[year] = SeriesPoint(
                year, None, inputs=inputs, problem=_("Phép chia cho 0: chưa tính được.")
            )
            continue
        value = value.quantize(Decimal("0.0001"))
        low, high = definition.allowed_range
        out = (low is not None and value < low) or (high is not None and value > high)
        points[year] = SeriesPoint(year, value, inputs=inputs, out_of_range=out)
    return points


@dataclass
class IndicatorView:
    """One indicator with its series, ready for a page, the API or a chart."""

    target: Target
    definition: IndicatorDefinition
    points: dict[int, SeriesPoint]

    @cached_property
    def rule(self) -> Rule:
        return rule_for(self.definition)

    @cached_property
    def series(self) -> dict[int, Decimal]:
        return {y: p.value for y, p in sorted(self.points.items()) if p.value is not None}

    def verdict(self, year: int) -> Verdict:
        return status_for_year(self.rule, self.series, year)

    @cached_property
    def projection(self) -> Projection:
        return project(self.rule, self.series)

    @cached_property
    def path(self) -> list[tuple[int, Decimal]]:
        return path_points(self.rule, self.series)

    @property
    def is_cumulative(self) -> bool:
        return self.rule.assessment == Assessment.CUMULATIVE

    def cumulative(self, year: int) -> Decimal:
        return cumulative_total(self.rule, self.series, year)

    def fmt(self, value: Decimal | None) -> str:
        return format_decimal(value, self.definition.decimal_places) if value is not None else ""

    @property
    def has_demo(self) -> bool:
        return any(p.is_demo for p in self.points.values())


def _definitions_of(plan: Plan) -> dict[int, IndicatorDefinition]:
    definitions = (
        IndicatorDefinition.objects.filter(target__plan=plan)
        .select_related("provider")
        .prefetch_related(
            Prefetch("components", queryset=IndicatorComponent.objects.select_related("provider"))
        )
    )
    return {d.target_id: d for d in definitions}


def plan_indicator_views(
    *, plan: Plan, user, targets: list[Target] | None = None
) -> dict[int, IndicatorView]:
    """``{target_id: IndicatorView}`` for every measured target of ``plan``, with the figures ``user`` may see.
    Four queries whatever the plan's size."""
    targets = targets if targets is not None else list(plan.targets.all())
    by_id = {t.pk: t for t in targets}
    definitions = _definitions_of(plan)
    figures: dict[int, list[YearlyFigure]] = defaultdict(list)
    for f in (
        YearlyFigure.objects.for_user(user)
        .filter(definition__target__plan=plan)
        .select_related("report", "entered_by", "agency")
    ):
        figures[f.definition_id].append(f)
    views = {}
    for target_id, definition in definitions.items():
        if target_id not in by_id:
            continue
        definition.target = by_id[target_id]
        views[target_id] = IndicatorView(
            by_id[target_id], definition, indicator_points(definition, figures[definition.pk])
        )
    return views


@dataclass
class ScorecardRow:
    target: Target
    view: IndicatorView | None
    verdict: Verdict
    parts: list["ScorecardRow"] = field(default_factory=list)

    @property
    def value_text(self) -> str:
        if not self.view or self.verdict.value is None:
            return ""
        return self.view.fmt(self.verdict.value)

    @property
    def previous_text(self) -> str:
        if not self.view:
            return ""
        year = self.verdict.year - 1
        if self.view.is_cumulative:
            return self.view.fmt(self.view.cumulative(year)) if year in self.view.series else ""
        return self.view.fmt(self.view.series.get(year))


def target_verdict(target: Target, view: IndicatorView | None, year: int) -> Verdict:
    if target.comparator == Comparator.QUALITATIVE:
        return Verdict(Status.NO_DATA, year, reason=str(QUALITATIVE_NOTE))
    if view is None:
        return Verdict(Status.NO_DATA, year, reason=_("Chưa khai báo cách đo chỉ tiêu này."))
    return view.verdict(year)


def scorecard_rows(
    *, targets: list[Target], views: dict[int, IndicatorView], year: int
) -> list[ScorecardRow]:
    """One row per top-level target in ``year``, in the order of ``targets``, from views already built (no query).

    A compound target carries its parts; its verdict rolls up the parts that are measured (qualitative parts and
    parts with no indicator say nothing). The scorecard and the consolidated report both use this roll-up.
    """
    children: dict[int, list[Target]] = defaultdict(list)
    for t in targets:
        if t.parent_id:
            children[t.parent_id].append(t)
    rows = []
    for target in targets:
        if target.parent_id:
            continue
        if target.comparator == Comparator.COMPOUND:
            parts = [
                ScorecardRow(p, views.get(p.pk), target_verdict(p, views.get(p.pk), year))
                for p in children[target.pk]
            ]
            measured = [r.verdict for r in parts if r.target.comparator != Comparator.QUALITATIVE and r.view]
            rows.append(ScorecardRow(target, None, compound_status(year, measured), parts))
        else:
            rows.append(
                ScorecardRow(target, views.get(target.pk), target_verdict(target, views.get(target.pk), year))
            )
    return rows


def plan_scorecard(*, plan: Plan, user, year: int) -> list[ScorecardRow]:
    """One row per top-level target of ``plan`` in ``year`` with the figures ``user`` may see; a compound target
    carries its parts."""
    targets = list(plan.targets.all())
    views = plan_indicator_views(plan=plan, user=user, targets=targets)
    return scorecard_rows(targets=targets, views=views, year=year)


def scorecard_default_year(*, plan: Plan, user) -> int:
    """The latest year with a figure the user can see, else last year."""
    latest = (
        YearlyFigure.objects.for_user(user)
        .filter(definition__target__plan=plan)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or datetime.date.today().year - 1


def target_indicator_view(*, target: Target, user) -> IndicatorView | None:
    definition = (
        IndicatorDefinition.objects.filter(target=target)
        .select_related("provider")
        .prefetch_related("components__provider")
        .first()
    )
    if definition is None:
        return None
    definition.target = target
    figures = (
        YearlyFigure.objects.for_user(user)
        .filter(definition=definition)
        .select_related("report__cycle", "entered_by", "agency", "component")
    )
    return IndicatorView(target, definition, indicator_points(definition, figures))


# --- figure entry -----------------------------------------------------------------------------------------------


@dataclass
class EntrySeries:
    """A series that can be typed in (a direct indicator or a component), with its current figure."""

    series: IndicatorDefinition | IndicatorComponent
    definition: IndicatorDefinition
    figure: YearlyFigure | None
    previous: YearlyFigure | None

    @property
    def key(self) -> str:
        return f"c{self.series.pk}" if isinstance(self.series, IndicatorComponent) else f"d{self.series.pk}"

    @property
    def label(self) -> str:
        return self.series.label if isinstance(self.series, IndicatorComponent) else self.definition.name

    @property
    def provider(self):
        if isinstance(self.series, IndicatorComponent) and self.series.provider_id:
            return self.series.provider
        return self.definition.provider


def entry_series(
    *, user, year: int, plan: Plan | None = None, agency_id: int | None = None
) -> list[EntrySeries]:
    """Every typed-in series (direct indicators, components of computed ones) that ``agency_id`` provides — or all
    of them when ``agency_id`` is None — with its figure for ``year`` and the year before."""
    definitions = IndicatorDefinition.objects.for_user(user).select_related("target__plan", "provider")
    if plan is not None:
        definitions = definitions.filter(target__plan=plan)
    definitions = list(
        definitions.prefetch_related(
            Prefetch("components", queryset=IndicatorComponent.objects.select_related("provider"))
        )
    )
    rows: list[EntrySeries] = []
    for d in definitions:
        for s in d.components.all() if d.is_computed else [d]:
            provider_id = (
                (s.provider_id or d.provider_id) if isinstance(s, IndicatorComponent) else d.provider_id
            )
            if agency_id is None or provider_id == agency_id:
                rows.append(EntrySeries(s, d, None, None))
    figures = (
        YearlyFigure.objects.for_user(user)
        .filter(definition__in=[r.definition for r in rows], year__in=[year, year - 1])
        .select_related("report__cycle", "entered_by")
    )
    index = {(f.definition_id, f.component_id, f.year): f for f in figures}
    for r in rows:
        component_id = r.series.pk if isinstance(r.series, IndicatorComponent) else None
        r.figure = index.get((r.definition.pk, component_id, year))
        r.previous = index.get((r.definition.pk, component_id, year - 1))
    return rows
