"""Pages of the escalation to the UBND tỉnh (kept apart from views.py, which holds the dashboard)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .escalation import escalation_record, escalation_rows
from .escalation_docx import escalation_docx, escalation_filename
from .models import EscalationRecord
from .permissions import cycle_get_for_monitoring
from .services import MonitoringError
from .views import DOCX_TYPE


class EscalationForm(forms.Form):
    agencies = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Đơn vị đề nghị UBND tỉnh chỉ đạo"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    number = forms.CharField(
        label=gettext_lazy("Số văn bản"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Để trống cho văn thư điền khi đăng ký văn bản."),
    )
    note = forms.CharField(
        label=gettext_lazy("Nội dung bổ sung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(r.agency_id, r.name) for r in rows]
        # Those already urged by letter are chosen by default: escalation follows the letters.
        self.fields["agencies"].initial = [r.agency_id for r in rows if r.urged] or [
            r.agency_id for r in rows
        ]


def escalation_create(request, pk: int):
    cycle = cycle_get_for_monitoring(user=request.user, pk=pk, manage=True)
    today = timezone.localdate()
    rows = escalation_rows(cycle=cycle, today=today)
    form = EscalationForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            record = escalation_record(
                actor=request.user,
                cycle=cycle,
                agency_ids=form.cleaned_data["agencies"],
                today=today,
                number=form.cleaned_data["number"],
                note=form.cleaned_data["note"],
            )
        except MonitoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Đã ghi nhận việc báo cáo UBND tỉnh danh sách đơn vị chậm, chưa báo cáo.")
            )
            return redirect("monitoring:escalation_detail", record.pk)
    return render(
        request,
        "monitoring/escalation_create.html",
        {
            "cycle": cycle,
            "rows": rows,
            "form": form,
            "today": today,
            "previous": EscalationRecord.objects.for_user(request.user)
            .filter(cycle=cycle)
            .select_related("decided_by"),
        },
    )


def _record_for(request, pk: int) -> EscalationRecord:
    return get_object_or_404(
        EscalationRecord.objects.for_user(request.user).select_related("cycle__plan", "decided_by"), pk=pk
    )


def escalation_detail(request, pk: int):
    record = _record_for(request, pk)
    return render(request, "monitoring/escalation_detail.html", {"record": record, "cycle": record.cycle})


def escalation_docx_download(request, pk: int):
    record = _record_for(request, pk)
    response = HttpResponse(escalation_docx(record), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{escalation_filename(record)}"'
    return response
