"""Forms check shape only; the rules (archive line last, versions) live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConsolidatedReport

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def _rows(n: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": n})


class NarrativeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = ConsolidatedReport
        fields = ConsolidatedReport.NARRATIVE_FIELDS
        widgets = {
            "report_date": DATE_WIDGET,
            "title": _rows(2),
            "opening": _rows(3),
            "leadership": _rows(6),
            "strengths": _rows(8),
            "shortcomings": _rows(8),
            "directions": _rows(6),
            "proposals": _rows(6),
            "closing": _rows(2),
            "recipients": _rows(6),
        }
        help_texts = {
            "strengths": _(
                "Mỗi dòng là một đoạn. Gợi ý lấy từ mục “Kết quả nổi bật” của các báo cáo đã tiếp nhận."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def values(self) -> dict:
        return {f: self.cleaned_data[f] for f in ConsolidatedReport.NARRATIVE_FIELDS}


class MultiYearForm(forms.Form):
    """The report over several years (sơ kết / tổng kết) of one plan the user follows up."""

    plan = forms.ModelChoiceField(label=_("Kế hoạch"), queryset=None, empty_label=None)
    from_year = forms.IntegerField(label=_("Từ năm"), min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label=_("Đến năm"), min_value=2000, max_value=2100)
    final = forms.TypedChoiceField(
        label=_("Loại báo cáo"),
        choices=[("", _("Sơ kết (giữa kỳ)")), ("1", _("Tổng kết (cuối kỳ)"))],
        coerce=bool,
        empty_value=False,
        required=False,
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans

    def clean(self):
        data = super().clean()
        start, end = data.get("from_year"), data.get("to_year")
        if start and end and not 0 <= end - start <= 20:
            raise forms.ValidationError(_("Năm kết thúc phải từ năm bắt đầu trở đi, trong vòng 20 năm."))
        return data
