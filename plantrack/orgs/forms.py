from django import forms
from django.utils.translation import gettext_lazy as _

from plantrack.core.choices import ViModelChoiceField, ViModelMultipleChoiceField

from .models import Agency, AgencyGroup, SuccessionKind


class OrgChangeForm(forms.Form):
    """Shape only; the rules of each kind of change live in services._validate."""

    kind = forms.ChoiceField(label=_("Loại thay đổi"), choices=SuccessionKind.choices)
    effective_date = forms.DateField(label=_("Ngày hiệu lực (dd/mm/yyyy)"))
    predecessors = ViModelMultipleChoiceField(
        label=_("Cơ quan cũ"),
        queryset=Agency.objects.order_by("sort_key", "pk"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    successors = ViModelMultipleChoiceField(
        label=_("Cơ quan kế thừa đã có"),
        queryset=Agency.objects.order_by("sort_key", "pk"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    new_successor_name = forms.CharField(
        label=_("Hoặc tên cơ quan mới (hợp nhất, đổi tên, tái lập)"), max_length=255, required=False
    )
    new_successor_short_name = forms.CharField(
        label=_("Tên ngắn của cơ quan mới"), max_length=120, required=False
    )
    successor_group = ViModelChoiceField(
        label=_("Hoặc nhóm kế thừa (chia tách cho nhiều đơn vị)"),
        queryset=AgencyGroup.objects.order_by("name"),
        required=False,
    )
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý (số, ký hiệu văn bản)"), max_length=255, required=False
    )
    legal_basis_date = forms.DateField(label=_("Ngày văn bản căn cứ"), required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    date_is_uncertain = forms.BooleanField(label=_("Ngày hiệu lực chưa được xác nhận"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("new_successor_name") and data.get("successors"):
            self.add_error(
                "new_successor_name", _("Chọn cơ quan kế thừa đã có hoặc nhập tên cơ quan mới, không cả hai.")
            )
        return data
