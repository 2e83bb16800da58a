"""Forms of the plan pages: shape only; the rules are in the services (``plans.amendments``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plantrack.core.choices import vi_sorted
from plantrack.orgs.models import Agency

from .models import ChangeKind, Comparator, Recurrence, Target, Task, TaskGroup


class AmendmentForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 120/KH-UBND"))
    issued_on = forms.DateField(label=_("Ngày ban hành"), help_text=_("dd/mm/yyyy"))
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    title = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 2}))
    effective_on = forms.DateField(
        label=_("Hiệu lực từ ngày"), required=False, help_text=_("Để trống: từ ngày ban hành")
    )


class AmendmentChangeForm(forms.Form):
    """One change; which fields matter depends on ``kind`` (the service says what is missing)."""

    kind = forms.ChoiceField(label=_("Loại thay đổi"), choices=ChangeKind.choices)
    task = forms.ModelChoiceField(label=_("Nhiệm vụ"), queryset=Task.objects.none(), required=False)
    target = forms.ModelChoiceField(label=_("Chỉ tiêu"), queryset=Target.objects.none(), required=False)
    group = forms.ModelChoiceField(
        label=_("Nhóm nhiệm vụ (nhiệm vụ bổ sung)"), queryset=TaskGroup.objects.none(), required=False
    )
    code = forms.CharField(label=_("Mã (nhiệm vụ, chỉ tiêu bổ sung)"), max_length=40, required=False)
    text = forms.CharField(label=_("Nội dung mới"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    deadline = forms.DateField(label=_("Thời hạn mới"), required=False, help_text=_("dd/mm/yyyy"))
    recurrence = forms.ChoiceField(
        label=_("Tính chất (khi không có thời hạn)"),
        choices=[
            ("", "—"),
            (Recurrence.CONTINUOUS, Recurrence.CONTINUOUS.label),
            (Recurrence.YEARLY, Recurrence.YEARLY.label),
        ],
        required=False,
    )
    leads = forms.ModelMultipleChoiceField(
        label=_("Cơ quan chủ trì"), queryset=Agency.objects.none(), required=False
    )
    coordinates = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"), queryset=Agency.objects.none(), required=False
    )
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)
    comparator = forms.ChoiceField(
        label=_("Cách so sánh (chỉ tiêu bổ sung)"), choices=[("", "—"), *Comparator.choices], required=False
    )
    min_value = forms.DecimalField(label=_("Giá trị tối thiểu"), required=False)
    max_value = forms.DecimalField(label=_("Giá trị tối đa"), required=False)
    target_year = forms.IntegerField(label=_("Năm đích"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = Task.objects.filter(plan=plan, cancelled_by=None).order_by("order")
        self.fields["target"].queryset = Target.objects.filter(plan=plan, cancelled_by=None).order_by("order")
        self.fields["group"].queryset = TaskGroup.objects.filter(plan=plan)
        agencies = Agency.objects.order_by("sort_key", "pk")
        self.fields["leads"].queryset = agencies
        vi_sorted(self.fields["leads"])
        self.fields["coordinates"].queryset = agencies
        vi_sorted(self.fields["coordinates"])

    def service_arguments(self) -> dict:
        """``kind``, ``task``, ``target`` and the ``payload`` of ``amendment_change_add``: only what was entered."""
        d = self.cleaned_data
        payload = {}
        if d.get("group"):
            payload["group"] = d["group"].code
        for key in ("code", "text", "unit", "comparator", "recurrence"):
            if d.get(key):
                payload[key] = d[key]
        if d.get("deadline"):
            payload["deadline"] = d["deadline"].isoformat()
        for key in ("min_value", "max_value"):
            if d.get(key) is not None:
                payload[key] = str(d[key])
        if d.get("target_year"):
            payload["target_year"] = d["target_year"]
        for key in ("leads", "coordinates"):
            if d.get(key):
                payload[key] = [a.pk for a in d[key]]
        return {"kind": d["kind"], "task": d.get("task"), "target": d.get("target"), "payload": payload}
