"""Forms check shape only; business rules live in services."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from plantrack.core.uploads import MaxUploadSizeValidator
from plantrack.plans.models import Plan

from .models import AgencyReport, EntryStatus, ReportEntry

VERSION_MISSING = _(
    "Biểu mẫu không cho biết phiên bản báo cáo bạn đã mở, nên không thể kiểm tra có ai sửa trong lúc đó. "
    "Hãy tải lại trang rồi thử lại."
)


class VersionField(forms.IntegerField):
    """The version of the report the form was built on: required, so that the optimistic lock is never skipped."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"required": VERSION_MISSING, "invalid": VERSION_MISSING})
        super().__init__(**kwargs)


class VersionChecked:
    """Forms of a report show a missing version as a form error: the hidden field has no place of its own."""

    def clean(self):
        cleaned = super().clean()
        if "version" in self._errors:
            del self._errors["version"]
            self.add_error(None, VERSION_MISSING)
        return cleaned


EVIDENCE_SIZE = MaxUploadSizeValidator("PLANTRACK_EVIDENCE_MAX_BYTES")
XLSX_SIZE = MaxUploadSizeValidator("PLANTRACK_XLSX_UPLOAD_MAX_BYTES")
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class CycleOpenForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Kế hoạch"), queryset=Plan.objects.none())
    year = forms.IntegerField(label=_("Năm báo cáo"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("Kỳ"), choices=(), initial="year", required=False)
    due_date = forms.DateField(
        label=_("Hạn báo cáo"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Để trống: lấy theo chế độ báo cáo của kế hoạch (ví dụ 05/12)."),
    )
    data_as_of = forms.DateField(
        label=_("Thời điểm chốt số liệu"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Để trống: ngày 14 của tháng cuối kỳ, 14/12 với kỳ năm (Nghị định 09/2019/NĐ-CP)."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["period"].choices = PERIOD_CHOICES
        if not self.is_bound:
            self.initial.setdefault("year", datetime.date.today().year)
            if plans.count() == 1:
                self.initial.setdefault("plan", plans.first())


class CycleEditForm(forms.Form):
    due_date = forms.DateField(label=_("Hạn báo cáo"), widget=DATE_WIDGET)
    data_as_of = forms.DateField(label=_("Thời điểm chốt số liệu"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(VersionChecked, forms.Form):
    """The agency's report: the four sections, the data date, and per entry a status, results, difficulties and
    new evidence (a file and/or a link). Entry fields are named ``e<entry id>-<field>``."""

    version = VersionField()
    data_as_of = forms.DateField(label=_("Số liệu tính đến ngày"), required=False, widget=DATE_WIDGET)
    main_results = forms.CharField(
        label=_("Kết quả nổi bật"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    shortcomings = forms.CharField(
        label=_("Tồn tại, hạn chế và nguyên nhân"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    next_year = forms.CharField(
        label=_("Phương hướng, nhiệm vụ năm tới"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    proposals = forms.CharField(
        label=_("Kiến nghị, đề xuất"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, report: AgencyReport, entries: list[ReportEntry], **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.entries = entries
        if not self.is_bound:
            self.initial.update({f: getattr(report, f) for f in AgencyReport.SECTION_FIELDS})
            self.initial.update(version=report.version, data_as_of=report.data_as_of)
        status_choices = [("", _("— Chọn tình trạng —")), *EntryStatus.choices]
        for e in entries:
            p = f"e{e.pk}-"
            self.fields[p + "status"] = forms.ChoiceField(
                label=_("Tình trạng"), choices=status_choices, required=False
            )
            self.fields[p + "results"] = forms.CharField(
                label=_("Kết quả thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
            self.fields[p + "difficulties"] = forms.CharField(
                label=_("Khó khăn, vướng mắc"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[p + "file"] = forms.FileField(
                label=_("Tệp minh chứng"), required=False, validators=[EVIDENCE_SIZE]
            )
            self.fields[p + "file_title"] = forms.CharField(
                label=_("Tên tệp minh chứng"), required=False, max_length=255
            )
            self.fields[p + "link"] = forms.URLField(
                label=_("Đường dẫn minh chứng"), required=False, max_length=1000, assume_scheme="https"
            )
            self.fields[p + "link_title"] = forms.CharField(
                label=_("Tên đường dẫn"), required=False, max_length=255
            )
            if not self.is_bound:
                self.initial.update(
                    {p + "status": e.status, p + "results": e.results, p + "difficulties": e.difficulties}
                )

    def entry_rows(self):
        """``(entry, {field: bound field})`` for the template's cards."""
        for e in self.entries:
            p = f"e{e.pk}-"
            yield (
                e,
                {
                    name: self[p + name]
                    for name in (
                        "status",
                        "results",
                        "difficulties",
                        "file",
                        "file_title",
                        "link",
                        "link_title",
                    )
                },
            )

    def section_fields(self):
        return [self[f] for f in AgencyReport.SECTION_FIELDS]

    def entry_values(self) -> dict[int, dict[str, str]]:
        return {
            e.pk: {
                f: self.cleaned_data.get(f"e{e.pk}-{f}", "") for f in ("status", "results", "difficulties")
            }
            for e in self.entries
        }

    def section_values(self) -> dict[str, str]:
        return {f: self.cleaned_data.get(f, "") for f in AgencyReport.SECTION_FIELDS}

    def new_evidence(self) -> list[tuple[ReportEntry, str, object, str]]:
        """``(entry, kind, file-or-url, title)`` for every file or link typed into the form."""
        out = []
        for e in self.entries:
            p = f"e{e.pk}-"
            if self.cleaned_data.get(p + "file"):
                out.append(
                    (e, "file", self.cleaned_data[p + "file"], self.cleaned_data.get(p + "file_title", ""))
                )
            if self.cleaned_data.get(p + "link"):
                out.append(
                    (e, "link", self.cleaned_data[p + "link"], self.cleaned_data.get(p + "link_title", ""))
                )
        return out


class SignedReportForm(forms.Form):
    file = forms.FileField(label=_("Văn bản báo cáo đã ký (PDF)"), validators=[EVIDENCE_SIZE])


class ReturnForm(VersionChecked, forms.Form):
    version = VersionField()
    comment = forms.CharField(
        label=_("Ý kiến chung"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nêu rõ nội dung cần bổ sung, chỉnh sửa."),
    )

    def __init__(self, *args, report: AgencyReport, entries: list[ReportEntry], **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        if not self.is_bound:
            self.initial["version"] = report.version
        for e in entries:
            self.fields[f"c{e.pk}"] = forms.CharField(
                label=_("Ý kiến về nhiệm vụ %(code)s") % {"code": e.task.code},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def entry_rows(self):
        for e in self.entries:
            yield e, self[f"c{e.pk}"]

    def entry_comments(self) -> dict[int, str]:
        return {e.pk: self.cleaned_data.get(f"c{e.pk}", "") for e in self.entries}


class VersionForm(VersionChecked, forms.Form):
    """Submit and accept: the version the page showed, so that a move never applies to a report changed since."""

    version = VersionField()
    comment = forms.CharField(
        label=_("Ý kiến (không bắt buộc)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class XlsxUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel đã điền (.xlsx)"), validators=[XLSX_SIZE])


# The periods a coordinator may open by hand: code → (period type, index).
PERIOD_CHOICES_MAP = {
    "year": ("yearly", 1),
    "H1": ("half_yearly", 1),
    "H2": ("half_yearly", 2),
    **{f"Q{q}": ("quarterly", q) for q in range(1, 5)},
    **{f"M{m}": ("monthly", m) for m in range(1, 13)},
}
PERIOD_CHOICES = [
    ("year", _("Cả năm")),
    ("H1", _("6 tháng đầu năm")),
    ("H2", _("6 tháng cuối năm")),
    *[(f"Q{q}", _("Quý %(q)s") % {"q": r}) for q, r in ((1, "I"), (2, "II"), (3, "III"), (4, "IV"))],
    *[(f"M{m}", _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)],
]


class AdHocRequestForm(forms.Form):
    """An ad hoc request (báo cáo đột xuất): what is asked, by which document, of whom, by when."""

    title = forms.CharField(label=_("Nội dung yêu cầu báo cáo"), max_length=255)
    document_number = forms.CharField(label=_("Số, ký hiệu văn bản yêu cầu"), max_length=60, required=False)
    document_date = forms.DateField(label=_("Ngày văn bản"), required=False, widget=DATE_WIDGET)
    issuer = forms.CharField(
        label=_("Cơ quan yêu cầu"), max_length=255, required=False, help_text=_("Ví dụ: UBND tỉnh.")
    )
    due_date = forms.DateField(label=_("Hạn báo cáo"), widget=DATE_WIDGET)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phải báo cáo"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    tasks = forms.ModelMultipleChoiceField(
        label=_("Nhiệm vụ cần báo cáo"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Để trống: mọi nhiệm vụ đơn vị được giao."),
    )

    def __init__(self, *args, agencies, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        self.fields["tasks"].queryset = tasks
        self.fields["tasks"].label_from_instance = lambda t: f"{t.code} {t.text[:90]}"
