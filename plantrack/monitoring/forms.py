"""Forms check shape only; business rules live in services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from plantrack.core.choices import vi_sorted
from plantrack.orgs.models import AgencyGroup, AgencyKind

from .models import UrgingLetter
from .selectors import STATES, DashboardFilters
from .services import LETTER_FIELDS

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, read from the query string (GET): a bad value is ignored, never an error page."""

    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả"))] + [(k, v) for k, v in STATES.items()],
    )
    loai = forms.ChoiceField(
        label=_("Loại đơn vị"), required=False, choices=[("", _("Tất cả"))] + list(AgencyKind.choices)
    )
    nhom = forms.ModelChoiceField(
        label=_("Nhóm đơn vị"), required=False, queryset=AgencyGroup.objects.none(), empty_label=_("Tất cả")
    )
    q = forms.CharField(
        label=_("Tìm đơn vị"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên, viết tắt… (gõ có hoặc không dấu)")}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nhom"].queryset = AgencyGroup.objects.order_by("name")
        vi_sorted(self.fields["nhom"])

    def filters(self) -> DashboardFilters:
        if not self.is_bound:
            return DashboardFilters()
        self.is_valid()  # fields with a bad value are left out of cleaned_data, hence ignored
        data = self.cleaned_data
        group = data.get("nhom")
        return DashboardFilters(
            state=data.get("trang_thai") or "",
            kind=data.get("loai") or "",
            group=group.pk if group else None,
            q=data.get("q") or "",
        )


def _parse_days(text: str) -> list[int]:
    parts = [p for p in re.split(r"[,;\s]+", text or "") if p]
    days = []
    for part in parts:
        if not part.isdigit():
            raise forms.ValidationError(_("Chỉ ghi các số ngày, cách nhau bởi dấu phẩy (ví dụ: 30, 7, 1)."))
        days.append(int(part))
    return days


class ScheduleForm(forms.Form):
    days_before = forms.CharField(
        label=_("Nhắc trước hạn (số ngày)"),
        required=False,
        max_length=100,
        help_text=_("Ví dụ: 30, 7, 1 — gửi 30, 7 và 1 ngày trước hạn; 0 là đúng ngày đến hạn."),
    )
    days_after = forms.CharField(
        label=_("Đôn đốc sau hạn (số ngày)"),
        required=False,
        max_length=100,
        help_text=_("Ví dụ: 1 — gửi vào ngày sau hạn."),
    )
    repeat_every_days = forms.IntegerField(
        label=_("Sau đó nhắc lại mỗi (ngày)"), min_value=0, max_value=365, help_text=_("0: không nhắc lại.")
    )
    repeat_limit = forms.IntegerField(
        label=_("Số lần nhắc lại tối đa"),
        min_value=0,
        max_value=100,
        help_text=_("0: cho đến khi đơn vị gửi báo cáo hoặc kỳ báo cáo đóng."),
    )
    is_active = forms.BooleanField(label=_("Bật lịch nhắc hạn tự động"), required=False)

    def clean_days_before(self):
        return _parse_days(self.cleaned_data["days_before"])

    def clean_days_after(self):
        return _parse_days(self.cleaned_data["days_after"])


class UrgingLetterForm(forms.ModelForm):
    regenerate_body = forms.BooleanField(
        label=_("Soạn lại nội dung theo tình hình hiện tại và hạn mới"),
        required=False,
        help_text=_(
            "Thay nội dung bên trên bằng nội dung mặc định (danh sách đơn vị chậm, chưa nộp tính đến ngày "
            "ban hành; hạn mới)."
        ),
    )

    class Meta:
        model = UrgingLetter
        fields = list(LETTER_FIELDS)
        widgets = {
            "letter_date": DATE_WIDGET,
            "new_deadline": DATE_WIDGET,
            "subject": forms.Textarea(attrs={"rows": 2}),
            "addressees": forms.Textarea(attrs={"rows": 6}),
            "body": forms.Textarea(attrs={"rows": 18}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
        }
