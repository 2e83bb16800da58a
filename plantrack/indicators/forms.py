"""Forms: the yearly figure entry (usable inside another page's form) and the coordinator's indicator settings."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from plantrack.accounts.permissions import is_coordinator_of
from plantrack.core.choices import vi_sorted
from plantrack.core.numbers import LocalDecimalField
from plantrack.reporting.figures import figures_read_only_reason

from .models import AssessmentChoice, DirectionChoice, IndicatorDefinition, ValueType
from .querysets import figure_visibility_key
from .selectors import EntrySeries, entry_series
from .services import JumpNeedsExplanation, figure_record
from .setup import MEASURE_FIELDS, ComponentSpec, MeasureSpec


class FigureForm(forms.Form):
    """One row of the entry table: the figure of one series for the year."""

    value = LocalDecimalField(label=_("Giá trị"), required=False)
    source_note = forms.CharField(label=_("Nguồn số liệu"), max_length=500, required=False)
    explanation = forms.CharField(
        label=_("Giải trình biến động"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, row: EntrySeries, **kwargs):
        self.row = row
        initial = {}
        if row.figure:
            initial = {
                "value": row.figure.value,
                "source_note": row.figure.source_note,
                "explanation": row.figure.explanation,
            }
        super().__init__(*args, prefix=row.key, initial=initial, **kwargs)
        self.needs_explanation = False
        self.saved = False
        self.frozen_reason = ""
        if row.figure and row.figure.explanation:
            self.needs_explanation = True


class FigureEntry:
    """The figure rows of one year for a user (all series, or one agency's), bound to POST data or not.

    Another page (the agency's yearly report) can build one with ``report=…``, include
    ``indicators/_figure_entry_rows.html`` inside its own ``<form>``, and call :meth:`save` from its view.
    """

    def __init__(self, *, user, year: int, rows: list[EntrySeries], data=None, report=None):
        self.user = user
        self.year = year
        self.report = report
        self.forms = [FigureForm(data, row=row) for row in rows]
        # A figure that belongs to a sent or accepted report is shown, not offered for editing, with the reason
        # (the service refuses such a save anyway); the plan's coordinators may still correct it.
        for form in self.forms:
            sent_with = form.row.figure.report if form.row.figure and form.row.figure.report_id else None
            frozen = sent_with is not None and not sent_with.is_editable
            if frozen and not is_coordinator_of(user, form.row.definition.target.plan):
                form.frozen_reason = figures_read_only_reason(sent_with)

    def __iter__(self):
        return iter(self.forms)

    def __len__(self) -> int:
        return len(self.forms)

    @property
    def has_errors(self) -> bool:
        return any(f.errors for f in self.forms)

    def save(self) -> int:
        """Save every row whose inputs changed; returns how many were saved. A row that fails keeps what was
        typed and carries its error; the other rows are saved regardless (each in its own transaction)."""
        saved = 0
        for form in self.forms:
            if form.frozen_reason or not form.is_valid() or not form.has_changed():
                continue
            value = form.cleaned_data["value"]
            if value is None:
                if form.row.figure:
                    form.add_error(
                        "value", _("Không để trống số liệu đã nhập; muốn xóa hãy liên hệ cán bộ điều phối.")
                    )
                continue
            try:
                with transaction.atomic():
                    form.row.figure = figure_record(
                        actor=self.user,
                        indicator=form.row.series,
                        year=self.year,
                        value=value,
                        source_note=form.cleaned_data["source_note"],
                        report=self.report,
                        explanation=form.cleaned_data["explanation"],
                    )
            except JumpNeedsExplanation as exc:
                form.needs_explanation = True
                form.add_error("explanation", exc.messages[0])
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                form.add_error("value", exc.messages)
            else:
                form.saved = True
                saved += 1
        return saved


class DefinitionSettingsForm(forms.ModelForm):
    """What the department in charge may tune on an indicator: provider, judging rules, thresholds, baseline."""

    baseline_value = LocalDecimalField(label=_("Giá trị năm gốc"), required=False)
    tolerance_percent = LocalDecimalField(label=_('Sai lệch cho phép với chỉ tiêu "khoảng" (%)'))
    at_risk_margin_percent = LocalDecimalField(label=_('Biên "có nguy cơ" (%)'))
    jump_threshold_percent = LocalDecimalField(label=_("Ngưỡng biến động (%)"), required=False)
    min_allowed = LocalDecimalField(label=_("Giá trị nhỏ nhất cho phép"), required=False)
    max_allowed = LocalDecimalField(label=_("Giá trị lớn nhất cho phép"), required=False)

    class Meta:
        model = IndicatorDefinition
        fields = [
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
        ]


def report_figure_entry(*, user, report, data=None) -> FigureEntry:
    """The figure rows of an agency report: the series its agency provides for the plan and year of the report's
    cycle, saved into that report. For the report form::

        entry = report_figure_entry(user=request.user, report=report, data=request.POST or None)
        ...  # in POST, after the report's own save: entry.save(); check entry.has_errors
        {% include "indicators/_figure_entry_rows.html" with entry=entry year=report.cycle.year %}
    """
    rows = entry_series(user=user, year=report.cycle.year, plan=report.cycle.plan, agency_id=report.agency_id)
    return FigureEntry(user=user, year=report.cycle.year, rows=rows, data=data, report=report)


def report_figures_or_none(*, user, report, data=None) -> FigureEntry | None:
    """``report_figure_entry`` for the report pages (registered in ``reporting.figures``): None when the report's
    agency provides no figure for its plan."""
    entry = report_figure_entry(user=user, report=report, data=data)
    return entry if len(entry) else None


def report_figures_vary(*, user, report) -> tuple:
    """What ``report_figures_or_none`` shows ``user`` depends on besides the data: what they may see of the plan's
    figures (``entry_series``) and whether a frozen figure stays editable for them (``FigureEntry``)."""
    plan = report.cycle.plan
    return (figure_visibility_key(user, plan), is_coordinator_of(user, plan), bool(user.is_staff))


# --- measurement set-up ----------------------------------------------------------------------------------------


def _providers():
    from plantrack.orgs.models import Agency

    return Agency.objects.valid_on(datetime.date.today()).order_by("sort_key", "pk")


class MeasureForm(forms.Form):
    """How a target is measured: the fields of ``setup.MEASURE_FIELDS``."""

    unit = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)
    value_type = forms.ChoiceField(label=_("Kiểu số liệu"), choices=ValueType.choices)
    provider = forms.ModelChoiceField(
        label=_("Cơ quan cung cấp số liệu"),
        queryset=None,
        required=False,
        empty_label=_("— chưa giao —"),
    )
    formula = forms.CharField(
        label=_("Công thức (khi tính từ thành phần)"),
        max_length=200,
        required=False,
        help_text=_(
            "Dùng tên trong công thức của các thành phần, số, + - * / và ngoặc. Ví dụ: nhan_luc / dan_so * 10000"
        ),
    )
    direction = forms.ChoiceField(label=_("Chiều đánh giá"), choices=DirectionChoice.choices)
    assessment = forms.ChoiceField(label=_("Cách đánh giá"), choices=AssessmentChoice.choices)
    baseline_year = forms.IntegerField(label=_("Năm gốc"), required=False, min_value=1990, max_value=2100)
    baseline_value = LocalDecimalField(label=_("Giá trị năm gốc"), required=False)
    decimal_places = forms.IntegerField(label=_("Số chữ số thập phân khi hiển thị"), min_value=0, max_value=4)
    method_note = forms.CharField(
        label=_("Ghi chú phương pháp, nguồn số liệu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = _providers()
        vi_sorted(self.fields["provider"])


class ComponentForm(forms.Form):
    name = forms.CharField(label=_("Tên trong công thức"), max_length=40)
    label = forms.CharField(label=_("Tên thành phần"), max_length=255)
    unit = forms.CharField(label=_("Đơn vị"), max_length=40, required=False)
    provider = forms.ModelChoiceField(
        label=_("Cơ quan cung cấp"), queryset=None, required=False, empty_label=_("— như chỉ tiêu —")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = _providers()
        vi_sorted(self.fields["provider"])


class MilestoneForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100)
    value = LocalDecimalField(label=_("Giá trị cần đạt"))


ComponentFormSet = forms.formset_factory(
    ComponentForm, extra=2, can_delete=True, max_num=20, validate_max=True
)
MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=2, can_delete=True, max_num=30, validate_max=True
)


def measure_forms(*, definition, target, data=None):
    """The three forms of the set-up page, bound to ``data`` or filled from ``definition`` (None: new)."""
    if definition is None:
        initial = {
            "unit": target.unit,
            "value_type": ValueType.DECIMAL,
            "direction": "up",
            "assessment": "end_state",
            "decimal_places": 1,
        }
        components, milestones = [], []
    else:
        initial = {name: getattr(definition, name) for name in MEASURE_FIELDS}
        components = [
            {"name": c.name, "label": c.label, "unit": c.unit, "provider": c.provider}
            for c in definition.components.all()
        ]
        milestones = [{"year": y, "value": v} for y, v in definition.milestone_pairs]
    return (
        MeasureForm(data, initial=initial),
        ComponentFormSet(data, initial=components, prefix="tp"),
        MilestoneFormSet(data, initial=milestones, prefix="moc"),
    )


def measure_spec(form, components, milestones) -> MeasureSpec:
    """The cleaned forms as the service's input (call only when all three are valid)."""
    rows = [f.cleaned_data for f in components if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    marks = [f.cleaned_data for f in milestones if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    return MeasureSpec(
        fields={name: form.cleaned_data.get(name) for name in MEASURE_FIELDS}
        | {
            "unit": form.cleaned_data["unit"] or "",
            "formula": form.cleaned_data["formula"] or "",
            "method_note": form.cleaned_data["method_note"] or "",
        },
        components=[
            ComponentSpec(
                r["name"].strip(), r["label"].strip(), (r.get("unit") or "").strip(), r.get("provider")
            )
            for r in rows
        ],
        milestones=[(m["year"], m["value"]) for m in marks],
    )
