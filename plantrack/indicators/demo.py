"""Demo figures for plan 386/KH-UBND, 2020–2025, so that `make run` shows a scorecard with a series behind every
target. They are invented, plausible numbers — NOT official statistics — and are labelled as demo everywhere they
show (``YearlyFigure.is_demo``, the source note, a banner and a watermark on charts). ``demo_figures_remove``
deletes them all; a figure typed over a demo one by a real user stops being demo."""

from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from plantrack.core.versions import bump
from plantrack.plans.models import Plan

from .models import IndicatorDefinition, YearlyFigure
from .services import definitions_load_defaults

DEMO_NOTE = "Số liệu minh họa (demo) — không phải số liệu thống kê chính thức"
MERGER = "Từ 01/7/2025 tỉnh Đồng Nai hợp nhất với tỉnh Bình Phước: số liệu tính cho tỉnh mới (demo)."

# target code -> {series name ("" for a direct indicator, else the component's name): {year: value}}
DEMO_FIGURES: dict[str, dict[str, dict[int, str]]] = {
    "II.2.1": {"": {2021: "48,0", 2022: "50,5", 2023: "52,1", 2024: "54,0", 2025: "55,2"}},
    "II.2.2": {"": {2021: "38,5", 2022: "39,2", 2023: "39,8", 2024: "40,3", 2025: "40,9"}},
    "II.2.3": {"": {2021: "8,2", 2022: "8,9", 2023: "9,6", 2024: "10,3", 2025: "10,8"}},
    "II.2.4": {
        "nhan_luc_rd": {2021: "2450", 2022: "2610", 2023: "2790", 2024: "2980", 2025: "3900"},
        "dan_so": {2021: "3169100", 2022: "3255800", 2023: "3310900", 2024: "3360000", 2025: "4491400"},
    },
    "II.2.5": {"so_don": {2020: "118", 2021: "131", 2022: "162", 2023: "190", 2024: "236", 2025: "280"}},
    "II.2.6": {
        "chi_khcn": {2021: "265000", 2022: "290000", 2023: "330000", 2024: "402000", 2025: "620000"},
        "tong_chi": {
            2021: "24500000",
            2022: "26100000",
            2023: "27800000",
            2024: "28900000",
            2025: "39500000",
        },
    },
    "II.2.7": {
        "nv_ung_dung": {2021: "16", 2022: "19", 2023: "22", 2024: "21", 2025: "24"},
        "nv_nghiem_thu": {2021: "24", 2022: "27", 2023: "30", 2024: "28", 2025: "33"},
    },
    "II.2.8": {"": {2021: "1", 2022: "0", 2023: "2", 2024: "1", 2025: "2"}},
    "II.2.9.2": {"": {2023: "12", 2024: "18", 2025: "23"}},
    "II.2.9.3": {"": {2024: "15", 2025: "19"}},
    "II.2.9.4": {"": {2025: "3,1"}},
}

# Milestones by year the demo department set ("lộ trình"), so the path through a milestone shows on the target's
# page; a coordinator changes them on "Thiết lập đo lường".
DEMO_MILESTONES = {"II.2.7": [{"year": 2027, "value": "74"}]}

# Jumps the demo data contains on purpose, with the explanation a real agency would have to give.
DEMO_EXPLANATIONS = {
    ("II.2.4", "nhan_luc_rd", 2025): MERGER,
    ("II.2.4", "dan_so", 2025): MERGER,
    ("II.2.6", "chi_khcn", 2025): MERGER,
    ("II.2.6", "tong_chi", 2025): MERGER,
}


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


@transaction.atomic
def demo_figures_load(*, plan: Plan) -> int:
    """Add the demo figures that are missing (idempotent; never overwrites a figure that exists)."""
    definitions = {
        d.target.code: d
        for d in IndicatorDefinition.objects.filter(target__plan=plan)
        .select_related("target", "provider")
        .prefetch_related("components")
    }
    existing = {
        (f.definition_id, f.component_id, f.year)
        for f in YearlyFigure.objects.filter(definition__in=definitions.values()).only(
            "definition_id", "component_id", "year"
        )
    }
    new = []
    for code, by_series in DEMO_FIGURES.items():
        definition = definitions.get(code)
        if definition is None:
            continue
        components = {c.name: c for c in definition.components.all()}
        for name, by_year in by_series.items():
            component = components.get(name) if name else None
            if name and component is None:
                continue
            provider_id = (
                (component.provider_id or definition.provider_id) if component else definition.provider_id
            )
            for year, value in by_year.items():
                if (definition.pk, component.pk if component else None, year) in existing:
                    continue
                new.append(
                    YearlyFigure(
                        definition=definition,
                        component=component,
                        year=year,
                        value=_dec(value),
                        source_note=DEMO_NOTE,
                        explanation=DEMO_EXPLANATIONS.get((code, name, year), ""),
                        agency_id=provider_id,
                        is_demo=True,
                    )
                )
    bulk_create_with_history(new, YearlyFigure)
    bump(f"plan-figures:{plan.pk}")  # bulk_create sends no post_save: the cached scorecards of the plan
    return len(new)


@transaction.atomic
def demo_figures_remove(*, plan: Plan | None = None) -> int:
    figures = YearlyFigure.objects.filter(is_demo=True)
    if plan is not None:
        figures = figures.filter(definition__target__plan=plan)
    count, _detail = figures.delete()
    return count


def indicators_load_default(*, demo: bool) -> list[str]:
    """The hook of ``load_default``: the shipped indicator definitions of every plan, then (with ``demo``) the
    labelled demo figures. Idempotent; returns one line per plan for the console."""
    lines = []
    for plan in Plan.objects.all():
        created = definitions_load_defaults(plan=plan)
        figures = demo_figures_load(plan=plan) if demo else 0
        if demo:
            demo_milestones_load(plan=plan)
        lines.append(f"Chỉ tiêu {plan.code}: thêm {created} định nghĩa, {figures} số liệu demo.")
    return lines


def demo_milestones_load(*, plan: Plan) -> int:
    """Set the demo milestones on definitions that have none yet (idempotent; a coordinator's own are kept)."""
    changed = 0
    for definition in IndicatorDefinition.objects.filter(target__plan=plan, target__code__in=DEMO_MILESTONES):
        if not definition.milestones:
            definition.milestones = DEMO_MILESTONES[definition.target.code]
            definition.save(update_fields=["milestones", "updated_at"])
            changed += 1
    return changed
