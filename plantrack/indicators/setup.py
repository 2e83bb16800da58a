"""Setting up how a target is measured, on the product's own pages: unit, provider, direct or computed (components
and formula), judging rules, milestones by year. One service for creating and changing it, used by the pages and by
the shipped defaults, so both go through the same checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from plantrack.accounts.permissions import is_coordinator_of
from plantrack.orgs.models import Agency
from plantrack.plans.models import Target

from .formula import FormulaError, formula_parse
from .models import IndicatorComponent, IndicatorDefinition, IndicatorKind, ValueType, YearlyFigure
from .signals import figures_changed_on_commit

COMPONENT_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

# The measurement fields a coordinator sets (besides components and milestones), with their defaults.
MEASURE_FIELDS = {
    "unit": "",
    "value_type": ValueType.DECIMAL,
    "provider": None,
    "formula": "",
    "direction": "up",
    "assessment": "end_state",
    "baseline_year": None,
    "baseline_value": None,
    "decimal_places": 1,
    "method_note": "",
}


@dataclass(frozen=True)
class ComponentSpec:
    """One input of a computed indicator as the coordinator describes it."""

    name: str
    label: str
    unit: str = ""
    provider: Agency | None = None


@dataclass
class MeasureSpec:
    """Everything ``measurement_set`` writes. ``components`` non-empty means a computed indicator."""

    fields: dict = field(default_factory=dict)
    components: list[ComponentSpec] = field(default_factory=list)
    milestones: list[tuple[int, Decimal]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return IndicatorKind.COMPUTED if self.components else IndicatorKind.DIRECT


def _problems(target: Target, spec: MeasureSpec) -> list[ValidationError]:
    problems = []
    names = [c.name for c in spec.components]
    for c in spec.components:
        if not COMPONENT_NAME.match(c.name):
            problems.append(
                ValidationError(
                    _(
                        'Tên trong công thức "%(name)s" chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, '
                        "bắt đầu bằng một chữ (ví dụ dan_so)."
                    )
                    % {"name": c.name},
                    code="component_name",
                )
            )
        if not c.label.strip():
            problems.append(ValidationError(_("Thành phần %(name)s chưa có tên.") % {"name": c.name}))
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(
            ValidationError(
                _("Tên trong công thức bị trùng: %(names)s.") % {"names": ", ".join(duplicates)},
                code="component_duplicate",
            )
        )
    formula = (spec.fields.get("formula") or "").strip()
    if spec.components:
        if not formula:
            problems.append(
                ValidationError(
                    _("Chỉ tiêu tính từ các thành phần cần có công thức."), code="formula_missing"
                )
            )
        else:
            try:
                parsed = formula_parse(formula, allowed_names=set(names))
            except FormulaError as exc:
                problems.append(
                    ValidationError(_("Công thức chưa đúng: %(why)s") % {"why": exc}, code="formula")
                )
            else:
                unused = [n for n in names if n not in parsed.names]
                if unused:
                    problems.append(
                        ValidationError(
                            _("Thành phần không dùng trong công thức: %(names)s.")
                            % {"names": ", ".join(unused)},
                            code="component_unused",
                        )
                    )
    elif formula:
        problems.append(
            ValidationError(
                _(
                    "Công thức chỉ dùng khi chỉ tiêu tính từ các thành phần: hãy thêm thành phần hoặc xóa công thức."
                ),
                code="formula_without_components",
            )
        )
    years = [y for y, _v in spec.milestones]
    repeated = sorted({y for y in years if years.count(y) > 1})
    if repeated:
        problems.append(
            ValidationError(
                _("Mỗi năm chỉ có một mốc lộ trình; năm bị lặp: %(years)s.")
                % {"years": ", ".join(map(str, repeated))},
                code="milestone_repeated",
            )
        )
    start = spec.fields.get("baseline_year") or target.baseline_year or target.period_start_year
    end = target.target_year
    for year, _value in spec.milestones:
        if (start is not None and year <= start) or (end is not None and year >= end):
            problems.append(
                ValidationError(
                    _(
                        "Mốc năm %(year)s phải nằm giữa năm gốc (%(start)s) và năm đích của chỉ tiêu (%(end)s)."
                    )
                    % {"year": year, "start": start or "—", "end": end or "—"},
                    code="milestone_outside",
                )
            )
    return problems


def _figures_block(definition: IndicatorDefinition, spec: MeasureSpec) -> list[ValidationError]:
    """Changes that would orphan figures already entered: a different kind, a removed component."""
    figures = YearlyFigure.objects.filter(definition=definition)
    problems = []
    if spec.kind != definition.kind and figures.exists():
        problems.append(
            ValidationError(
                _(
                    "Đã có số liệu nhập theo cách đo hiện tại: không đổi được giữa nhập trực tiếp và tính từ "
                    "thành phần. Hãy xóa các số liệu đó trước."
                ),
                code="kind_with_figures",
            )
        )
    kept = {c.name for c in spec.components}
    removed = (
        figures.filter(component__isnull=False)
        .exclude(component__name__in=kept)
        .values_list("component__label", flat=True)
        .distinct()
    )
    for label in removed:
        problems.append(
            ValidationError(
                _("Thành phần “%(label)s” đã có số liệu: không xóa được.") % {"label": label},
                code="component_with_figures",
            )
        )
    return problems


@transaction.atomic
def measurement_set(*, actor, target: Target, spec: MeasureSpec) -> IndicatorDefinition:
    """Create or change how ``target`` is measured. Only the plan's coordinators may; ``actor=None`` is the system
    (shipped defaults). Raises ValidationError listing every problem at once."""
    if actor is not None and not is_coordinator_of(actor, target.plan):
        raise PermissionDenied(_("Chỉ cán bộ điều phối của kế hoạch được thiết lập cách đo chỉ tiêu."))
    if target.parts.exists():
        raise ValidationError(
            _("Chỉ tiêu ghép được đo qua từng chỉ tiêu thành phần của nó: hãy thiết lập cho từng phần."),
            code="compound",
        )
    definition = IndicatorDefinition.objects.select_for_update().filter(target=target).first()
    problems = _problems(target, spec)
    if definition is not None:
        problems += _figures_block(definition, spec)
    if problems:
        raise ValidationError(problems)
    if definition is None:
        definition = IndicatorDefinition(target=target)
    for name, default in MEASURE_FIELDS.items():
        setattr(definition, name, spec.fields.get(name, getattr(definition, name, default)))
    if not definition.unit:
        definition.unit = target.unit
    definition.kind = spec.kind
    definition.formula = (definition.formula or "").strip() if spec.components else ""
    definition.milestones = [{"year": y, "value": str(v)} for y, v in sorted(spec.milestones)]
    if (definition.baseline_year is None) != (definition.baseline_value is None):
        raise ValidationError(
            _("Năm gốc và giá trị năm gốc phải cùng có hoặc cùng để trống."), code="baseline"
        )
    definition._history_user = actor
    definition.full_clean(exclude=["target"])
    definition.save()
    existing = {c.name: c for c in definition.components.all()}
    for order, c in enumerate(spec.components):
        component = existing.pop(c.name, None) or IndicatorComponent(definition=definition, name=c.name)
        component.label, component.unit, component.provider, component.order = (
            c.label,
            c.unit,
            c.provider,
            order,
        )
        component._history_user = actor
        component.full_clean(exclude=["definition"])
        component.save()
    for component in existing.values():  # removed, and without figures (checked above)
        component._history_user = actor
        component.delete()
    figures_changed_on_commit(plan_id=target.plan_id, year=None)
    return definition
