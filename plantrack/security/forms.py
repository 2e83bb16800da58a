from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SecurityAction


class SecurityLogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Hành động"), required=False, choices=[("", _("Tất cả"))] + list(SecurityAction.choices)
    )
    user = forms.CharField(label=_("Tên đăng nhập"), required=False, max_length=150)
    ip = forms.GenericIPAddressField(label=_("Địa chỉ IP"), required=False)
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
