"""Forms check shape only; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plantrack.core.choices import vi_sorted
from plantrack.core.uploads import MaxUploadSizeValidator
from plantrack.orgs.models import Agency

from .models import InspectionPlan, Visit

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FILE_SIZE = MaxUploadSizeValidator("PLANTRACK_EVIDENCE_MAX_BYTES")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class InspectionPlanForm(forms.ModelForm):
    document_date = forms.DateField(
        label=_("Ngày ban hành"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan, đơn vị được kiểm tra"),
        queryset=Agency.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    class Meta:
        model = InspectionPlan
        fields = [
            "year",
            "title",
            "number",
            "document_date",
            "scope",
            "agencies",
            "team_lead",
            "team_members",
        ]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 4}),
            "team_members": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        vi_sorted(self.fields["agencies"])


class VisitForm(forms.ModelForm):
    start_date = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    end_date = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    minutes_file = forms.FileField(
        label=_("Biên bản kiểm tra (PDF, DOCX, ảnh)"), required=False, validators=[FILE_SIZE]
    )

    class Meta:
        model = Visit
        fields = ["agency", "start_date", "end_date", "findings"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        vi_sorted(self.fields["agency"])


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung kiến nghị, yêu cầu khắc phục"), widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=_("Thời hạn khắc phục"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)


class ResponseForm(forms.Form):
    text = forms.CharField(label=_("Kết quả khắc phục"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(
        label=_("Minh chứng (PDF, DOCX, XLSX, ảnh)"), required=False, validators=[FILE_SIZE]
    )


class CloseForm(forms.Form):
    comment = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    comment = forms.CharField(label=_("Lý do mở lại"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(
        label=_("Thời hạn mới"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
