"""Writes to indicators: definitions and yearly figures. Views, the API, the admin and commands all call these."""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from plantrack.accounts.permissions import is_coordinator_of
from plantrack.core.numbers import format_decimal, parse_decimal
from plantrack.orgs.models import Agency
from plantrack.plans.models import Plan
from plantrack.reporting.models import AgencyReport

from .formula import FormulaError, formula_parse
from .models import IndicatorComponent, IndicatorDefinition, IndicatorKind, ValueType, YearlyFigure
from .permissions import Series, series_definition, series_provider_id, user_may_enter
from .signals import figures_changed_on_commit

FIRST_YEAR = 1990
# Report states in which the providing agency is still working on its report (reporting.EDITABLE_STATES).
OPEN_REPORT_STATES = ("draft", "returned")


class JumpNeedsExplanation(ValidationError):
    """The figure moves more than the series' threshold from last year and no explanation was given."""

    def __init__(
        self, *, previous: Decimal, previous_year: int, change_percent: Decimal | None, threshold: Decimal
    ):
        change = (
            _("vô hạn (năm trước bằng 0)")
            if change_percent is None
            else f"{format_decimal(change_percent, 1)}%"
        )
        super().__init__(
            _(
                "Số liệu thay đổi %(change)s so với năm %(year)s (%(previous)s), vượt ngưỡng %(threshold)s%%. "
                "Hãy ghi giải trình biến động rồi lưu lại."
            )
            % {
                "change": change,
                "year": previous_year,
                "previous": format_decimal(previous),
                "threshold": format_decimal(threshold),
            },
            code="jump",
        )
        self.previous = previous
        self.previous_year = previous_year
        self.change_percent = change_percent


@dataclass(frozen=True)
class Jump:
    previous_year: int
    previous: Decimal
    change_percent: Decimal | None  # None: the previous figure was 0


def figure_jump(*, series: Series, year: int, value: Decimal) -> Jump | None:
    """The jump from last year's figure when it exceeds the series' threshold; None when within it."""
    threshold = series.jump_threshold_percent
    if threshold is None:
        return None
    previous = (
        YearlyFigure.objects.of_series(series).filter(year=year - 1).values_list("value", flat=True).first()
    )
    if previous is None:
        return None
    if previous == 0:
        return Jump(year - 1, previous, None) if value != 0 else None
    change = abs(value - previous) / abs(previous) * 100
    return Jump(year - 1, previous, change) if change > threshold else None


def _open_report_of(*, agency_id: int, plan: Plan, year: int):
    """The agency's report for ``plan`` and ``year`` if the reporting cycle exists."""
    return (
        AgencyReport.objects.select_related("cycle")
        .filter(agency_id=agency_id, cycle__plan=plan, cycle__year=year, cycle__period_type="yearly")
        .first()
    )


def _check_value(series: Series, value: Decimal) -> None:
    if series.value_type == ValueType.INTEGER and value != value.to_integral_value():
        raise ValidationError(_("Số liệu này phải là số nguyên."), code="integer")
    if value.as_tuple().exponent < -4:
        raise ValidationError(_("Tối đa 4 chữ số thập phân."), code="precision")
    low, high = series.allowed_range
    if (low is not None and value < low) or (high is not None and value > high):
        unit = f" {series.unit}" if series.unit else ""
        if low is not None and high is not None:
            message = _("Giá trị phải nằm trong khoảng %(low)s – %(high)s%(unit)s.")
        elif low is not None:
            message = _("Giá trị không được nhỏ hơn %(low)s%(unit)s.")
        else:
            message = _("Giá trị không được lớn hơn %(high)s%(unit)s.")
        raise ValidationError(
            message % {"low": format_decimal(low), "high": format_decimal(high), "unit": unit}, code="range"
        )


@transaction.atomic
def figure_record(
    *,
    actor,
    indicator: Series,
    year: int,
    value: Decimal | str,
    source_note: str,
    report=None,
    explanation: str = "",
) -> YearlyFigure:
    """Record (or correct) the figure of ``indicator`` — a direct indicator or a component — for ``year``.

    ``report`` is the agency report the figure is typed into; when an agency member enters a figure outside a
    report and its report for that plan and year exists, the figure is attached to it. Raises ``PermissionDenied``
    when ``actor`` may not enter this series, ``ValidationError`` for a bad value, and
    :class:`JumpNeedsExplanation` when the figure jumps past the threshold without an explanation.
    """
    definition = series_definition(indicator)
    plan = definition.target.plan
    if isinstance(indicator, IndicatorDefinition) and indicator.is_computed:
        raise ValidationError(
            _("Chỉ tiêu này được tính từ các thành phần; hãy nhập số liệu các thành phần."), code="computed"
        )
    if not user_may_enter(actor, indicator):
        raise PermissionDenied(_("Bạn không được nhập số liệu này."))
    value = parse_decimal(value)
    this_year = datetime.date.today().year
    if not FIRST_YEAR <= int(year) <= this_year:
        raise ValidationError(
            _("Năm phải từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": this_year}, code="year"
        )
    _check_value(indicator, value)

    coordinator = is_coordinator_of(actor, plan)
    provider_id = series_provider_id(indicator)
    if report is None and not coordinator and provider_id:
        report = _open_report_of(agency_id=provider_id, plan=plan, year=year)
    if report is not None:
        if report.agency_id != provider_id:
            raise ValidationError(
                _("Báo cáo này không phải của cơ quan cung cấp số liệu."), code="report_agency"
            )
        if report.cycle.year != int(year) or report.cycle.plan_id != plan.pk:
            raise ValidationError(_("Báo cáo này thuộc kỳ báo cáo khác."), code="report_cycle")
        if not report.is_editable and not coordinator:
            raise ValidationError(
                _("Báo cáo năm %(year)s đã gửi hoặc đã được tiếp nhận: không sửa được số liệu.")
                % {"year": year},
                code="report_frozen",
            )

    figure = (
        YearlyFigure.objects.of_series(indicator)
        .filter(year=year)
        .order_by()
        .select_for_update(of=("self",))
        .first()
    )
    if figure and figure.report_id and not figure.report.is_editable and not coordinator:
        raise ValidationError(
            _("Số liệu này thuộc báo cáo đã gửi hoặc đã được tiếp nhận: không sửa được."),
            code="report_frozen",
        )
    if (
        figure
        and figure.report_id
        and figure.report.state in OPEN_REPORT_STATES
        and actor.agency_id != provider_id
    ):
        # Until the agency sends its report, the figures in it are the agency's to change (and only it sees them).
        raise ValidationError(
            _(
                "Số liệu này đang nằm trong báo cáo chưa gửi của cơ quan cung cấp; đề nghị cơ quan sửa và gửi lại."
            ),
            code="report_open",
        )

    explanation = (explanation or "").strip()
    jump = figure_jump(series=indicator, year=int(year), value=value)
    if jump and not explanation:
        raise JumpNeedsExplanation(
            previous=jump.previous,
            previous_year=jump.previous_year,
            change_percent=jump.change_percent,
            threshold=indicator.jump_threshold_percent,
        )

    if figure is None:
        figure = YearlyFigure(
            definition=definition,
            component=indicator if isinstance(indicator, IndicatorComponent) else None,
            year=int(year),
        )
    figure.value = value
    figure.source_note = (source_note or "").strip()[:500]
    figure.explanation = explanation
    figure.entered_by = actor
    figure.agency_id = provider_id
    if report is not None:
        figure.report = report
    figure.is_demo = False
    figure._history_user = actor
    figure.save()
    figures_changed_on_commit(plan_id=plan.pk, year=figure.year)
    return figure


@transaction.atomic
def figure_delete(*, actor, figure: YearlyFigure) -> None:
    """Remove a figure typed by mistake; the history keeps it."""
    series = figure.component or figure.definition
    if not user_may_enter(actor, series):
        raise PermissionDenied(_("Bạn không được xóa số liệu này."))
    if (
        figure.report_id
        and not figure.report.is_editable
        and not is_coordinator_of(actor, figure.definition.target.plan)
    ):
        raise ValidationError(
            _("Số liệu này thuộc báo cáo đã gửi hoặc đã được tiếp nhận: không xóa được."),
            code="report_frozen",
        )
    figure._history_user = actor
    figures_changed_on_commit(plan_id=figure.definition.target.plan_id, year=figure.year)
    figure.delete()


# --- definitions ------------------------------------------------------------------------------------------------

DEFINITION_SETTINGS = (
    "provider",
    "direction",
    "assessment",
    "tolerance_percent",
    "at_risk_margin_percent",
    "baseline_year",
    "baseline_value",
    "jump_threshold_percent",
    "min_allowed",
    "max_allowed",
    "method_note",
)


@transaction.atomic
def definition_update(*, actor, definition: IndicatorDefinition, **changes) -> IndicatorDefinition:
    """Change how an indicator is judged or who provides it. Only the plan's coordinators may."""
    if not is_coordinator_of(actor, definition.target.plan):
        raise PermissionDenied(_("Chỉ cán bộ điều phối của kế hoạch được sửa định nghĩa chỉ tiêu."))
    unknown = set(changes) - set(DEFINITION_SETTINGS)
    if unknown:
        raise ValueError(f"Unknown settings: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(definition, name, value)
    if (definition.baseline_year is None) != (definition.baseline_value is None):
        raise ValidationError(
            _("Năm gốc và giá trị năm gốc phải cùng có hoặc cùng để trống."), code="baseline"
        )
    definition._history_user = actor
    definition.full_clean(exclude=["target"])
    definition.save()
    figures_changed_on_commit(plan_id=definition.target.plan_id, year=None)
    return definition


def _agency_by_name(name: str | None) -> Agency | None:
    if not name:
        return None
    agency = Agency.objects.filter(name=name).first() or Agency.objects.filter(short_name=name).first()
    if agency is None:
        raise ValueError(f"Unknown agency in indicator defaults: {name}")
    return agency


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@transaction.atomic
def definitions_load(*, plan: Plan, data: dict) -> int:
    """Create the indicator definitions described by ``data`` (``plantrack.indicators/1``) for the targets of
    ``plan`` that have none yet. Returns how many were created; existing definitions are left as configured."""
    if data.get("format") != "plantrack.indicators/1":
        raise ValueError("Not a plantrack.indicators/1 document")
    targets = {t.code: t for t in plan.targets.all()}
    existing = set(
        IndicatorDefinition.objects.filter(target__plan=plan).values_list("target__code", flat=True)
    )
    created = 0
    for row in data["indicators"]:
        target = targets.get(row["target"])
        if target is None:
            raise ValueError(f"Plan {plan.code} has no target {row['target']}")
        if target.code in existing:
            continue
        components = row.get("components", [])
        kind = IndicatorKind.COMPUTED if components else IndicatorKind.DIRECT
        formula = row.get("formula", "")
        if kind == IndicatorKind.COMPUTED:
            try:
                formula_parse(formula, allowed_names={c["name"] for c in components})
            except FormulaError as exc:
                raise ValueError(f"{target.code}: {exc}") from exc
        definition = IndicatorDefinition.objects.create(
            target=target,
            kind=kind,
            formula=formula if kind == IndicatorKind.COMPUTED else "",
            unit=row.get("unit", target.unit),
            value_type=row.get("value_type", ValueType.DECIMAL),
            min_allowed=_dec(row.get("min_allowed")),
            max_allowed=_dec(row.get("max_allowed")),
            jump_threshold_percent=_dec(row.get("jump_threshold_percent")),
            provider=_agency_by_name(row.get("provider")),
            direction=row.get("direction", "up"),
            assessment=row.get("assessment", "end_state"),
            tolerance_percent=_dec(row.get("tolerance_percent", 5)),
            at_risk_margin_percent=_dec(row.get("at_risk_margin_percent", 10)),
            baseline_year=row.get("baseline_year"),
            baseline_value=_dec(row.get("baseline_value")),
            decimal_places=row.get("decimal_places", 1),
            method_note=row.get("method_note", ""),
        )
        for order, comp in enumerate(components):
            IndicatorComponent.objects.create(
                definition=definition,
                name=comp["name"],
                label=comp["label"],
                unit=comp.get("unit", ""),
                value_type=comp.get("value_type", ValueType.DECIMAL),
                min_allowed=_dec(comp.get("min_allowed")),
                max_allowed=_dec(comp.get("max_allowed")),
                jump_threshold_percent=_dec(comp.get("jump_threshold_percent")),
                provider=_agency_by_name(comp.get("provider")),
                order=order,
            )
        created += 1
    return created


DEFAULTS_DIR = Path(__file__).resolve().parent / "default_data"


def definitions_load_defaults(*, plan: Plan) -> int:
    """Load the shipped definitions for ``plan`` if a file for it exists (``indicators_<number>_<symbol>.json``)."""
    path = DEFAULTS_DIR / f"indicators_{plan.number}_{plan.symbol}.json"
    if not path.exists():
        return 0
    return definitions_load(plan=plan, data=json.loads(path.read_text(encoding="utf-8")))
