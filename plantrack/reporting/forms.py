"""Forms check shape only; business rules live in services."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from plantrack.core.choices import vi_sorted
from plantrack.core.numbers import LocalDecimalField
from plantrack.core.uploads import MaxUploadSizeValidator
from plantrack.core.versions import ORGS_KEY, tokens
from plantrack.orgs.models import Agency
from plantrack.plans.models import Plan

from .facts import DocumentIn, EntryFacts, EventIn, FundingIn, ProposalIn
from .models import Addressee, AgencyReport, EntryStatus, EventKind, ReportEntry

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


class RegimeOpenForm(forms.Form):
    """The plan and the year whose regime cycles are previewed and opened ("Mở kỳ báo cáo theo chế độ báo cáo")."""

    plan = forms.ModelChoiceField(label=_("Kế hoạch"), queryset=Plan.objects.none())
    year = forms.IntegerField(label=_("Năm báo cáo"), min_value=2000, max_value=2100)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


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
    # Proposals are structured items now (``ReportFactsForms``); the old free text is no longer typed here.

    def __init__(self, *args, report: AgencyReport, entries: list[ReportEntry], **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.entries = entries
        if not self.is_bound:
            self.initial.update({f: getattr(report, f) for f in AgencyReport.NARRATIVE_FIELDS})
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
        return [self[f] for f in AgencyReport.NARRATIVE_FIELDS]

    def entry_values(self) -> dict[int, dict[str, str]]:
        return {
            e.pk: {
                f: self.cleaned_data.get(f"e{e.pk}-{f}", "") for f in ("status", "results", "difficulties")
            }
            for e in self.entries
        }

    def section_values(self) -> dict[str, str]:
        return {f: self.cleaned_data.get(f, "") for f in AgencyReport.NARRATIVE_FIELDS}

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
        vi_sorted(self.fields["agencies"])
        self.fields["tasks"].queryset = tasks
        self.fields["tasks"].label_from_instance = lambda t: f"{t.code} {t.text[:90]}"


# --- Structured facts and proposals (facts.py holds the rules) ----------------------------------------------------


class DocumentForm(forms.Form):
    number_symbol = forms.CharField(label=_("Số, ký hiệu"), max_length=100)
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DATE_WIDGET)
    subject = forms.CharField(label=_("Trích yếu"), max_length=1000)


class EventForm(forms.Form):
    # The select always posts a value: its initial is the first choice, so an untouched extra row stays empty.
    kind = forms.ChoiceField(label=_("Loại"), choices=EventKind.choices, initial=EventKind.choices[0][0])
    count = forms.IntegerField(label=_("Số lượng"), min_value=1, initial=1)
    participants = forms.IntegerField(label=_("Số lượt người"), min_value=0, required=False)
    note = forms.CharField(label=_("Nội dung"), max_length=500, required=False)


def _money_field(label):
    return LocalDecimalField(label=label, min_value=0, max_digits=15, decimal_places=3, required=False)


class FundingForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    provincial = _money_field(_("Ngân sách tỉnh"))
    central = _money_field(_("Ngân sách trung ương"))
    other = _money_field(_("Xã hội hóa, khác"))
    spent = _money_field(_("Đã giải ngân"))
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class ProposalForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    addressee = forms.ChoiceField(
        label=_("Kiến nghị tới"), choices=Addressee.choices, initial=Addressee.choices[0][0]
    )
    addressee_name = forms.CharField(
        label=_("Tên Bộ, ngành"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: Bộ Khoa học và Công nghệ"),
    )
    addressee_agency = forms.ModelChoiceField(
        label=_("Cơ quan, đơn vị"), queryset=Agency.objects.none(), required=False
    )
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies=None, agency_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            field = self.fields["addressee_agency"]
            field.queryset = agencies  # what a posted value is checked against
            vi_sorted(field)
            if agency_choices is not None:  # the same options, sorted once per version of the agencies
                field.widget.choices = [("", field.empty_label), *agency_choices]


class FactsFormSet(forms.BaseFormSet):
    """A table of a report's facts (documents, events, funding, proposals) in the edit page: one row per form and
    a "delete" column, rendered by ``reporting/facts_formset.html`` (a Jinja2 template, like Django's own form
    templates under ``core.form_renderer``)."""

    template_name = "reporting/facts_formset.html"

    def get_context(self):
        return {**super().get_context(), "delete_label": gettext("Xóa")}

    def render(self, template_name=None, context=None, renderer=None):
        """An empty table (unbound, no saved row: most of a report's) is the same for every entry but for the
        prefix: its rendering is kept once per kind and language in this process and given this prefix."""
        if template_name or context or renderer or self.is_bound or self.initial or self.form_kwargs:
            return super().render(template_name, context, renderer)
        key = (type(self), get_language())
        html = _EMPTY_TABLES.get(key)
        if html is None:
            html = _EMPTY_TABLES[key] = super(FactsFormSet, type(self)(prefix=_PREFIX)).render()
        return mark_safe(html.replace(_PREFIX, self.prefix))  # noqa: S308 (the template's output, autoescaped)

    __str__ = __html__ = render


_EMPTY_TABLES: dict[tuple, str] = {}
_PREFIX = "zz-facts-prefix-zz"  # stands for the prefix in the kept tables: nothing else on a form says this


def _facts_formset(form, max_num: int):
    return forms.formset_factory(
        form, formset=FactsFormSet, extra=1, can_delete=True, max_num=max_num, absolute_max=max_num
    )


DocumentFormSet = _facts_formset(DocumentForm, 200)
EventFormSet = _facts_formset(EventForm, 200)
FundingFormSet = _facts_formset(FundingForm, 20)
ProposalFormSet = _facts_formset(ProposalForm, 100)


_AGENCY_CHOICES: dict[str, list[tuple[int, str]]] = {}  # per process: the latest version's list only


def agency_choices() -> list[tuple[int, str]]:
    """``[(id, name)]`` of every agency in Vietnamese order, as ``ViModelChoiceField`` lists them, sorted once per
    version of the agencies (``core.versions``, "orgs") in this process: a report form shows it in each proposal
    row, and sorting a few thousand names costs more than the rest of the page."""
    token = tokens(ORGS_KEY)
    found = _AGENCY_CHOICES.get(token)
    if found is None:
        found = [(a.pk, str(a)) for a in Agency.objects.order_by("sort_key", "pk").only("pk", "name")]
        _AGENCY_CHOICES.clear()
        _AGENCY_CHOICES[token] = found
    return found


def _kept(formset):
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class ReportFactsForms:
    """The formsets of a report's edit page beside ``ReportForm``: per entry its documents (``e<id>-doc``), events
    (``e<id>-event``) and funding (``e<id>-fund``), and the report's proposals (``prop``). Shape only: the rules
    are checked by the save service."""

    def __init__(self, data=None, *, report: AgencyReport, entries: list[ReportEntry]):
        self.report = report
        self.entries = entries
        self.blocks = []
        bound = data is not None
        for e in entries:
            initial_docs = initial_events = initial_fund = None
            if not bound:
                initial_docs = [
                    {"number_symbol": d.number_symbol, "issued_on": d.issued_on, "subject": d.subject}
                    for d in e.documents.all()
                ]
                initial_events = [
                    {"kind": v.kind, "count": v.count, "participants": v.participants, "note": v.note}
                    for v in e.events.all()
                ]
                initial_fund = [
                    {
                        "year": f.year,
                        "provincial": f.provincial,
                        "central": f.central,
                        "other": f.other,
                        "spent": f.spent,
                        "note": f.note,
                    }
                    for f in e.funding.all()
                ]
            self.blocks.append(
                (
                    e,
                    DocumentFormSet(data, prefix=f"e{e.pk}-doc", initial=initial_docs),
                    EventFormSet(data, prefix=f"e{e.pk}-event", initial=initial_events),
                    FundingFormSet(data, prefix=f"e{e.pk}-fund", initial=initial_fund),
                )
            )
        agencies = Agency.objects.exclude(pk=report.agency_id).order_by("sort_key", "pk")
        own = report.agency_id
        choices = [c for c in agency_choices() if c[0] != own]
        initial_props = None
        if not bound:
            initial_props = [
                {
                    "id": p.pk,
                    "addressee": p.addressee,
                    "addressee_name": p.addressee_name,
                    "addressee_agency": p.addressee_agency_id,
                    "text": p.text,
                }
                for p in report.proposal_items.all()
            ]
        self.proposals_formset = ProposalFormSet(
            data,
            prefix="prop",
            initial=initial_props,
            form_kwargs={"agencies": agencies, "agency_choices": choices},
        )

    def formsets(self):
        for _e, *sets in self.blocks:
            yield from sets
        yield self.proposals_formset

    def is_submitted(self) -> bool:
        """Whether the POST carries the formsets at all (a client posting only the main form leaves facts alone)."""
        return self.proposals_formset.is_bound and "prop-TOTAL_FORMS" in self.proposals_formset.data

    def is_valid(self) -> bool:
        results = [fs.is_valid() for fs in self.formsets()]  # every formset, so that each shows its errors
        return all(results)

    def facts(self) -> dict[int, EntryFacts]:
        out = {}
        for e, docs, events, funding in self.blocks:
            out[e.pk] = EntryFacts(
                documents=tuple(
                    DocumentIn(d["number_symbol"], d["issued_on"], d["subject"]) for d in _kept(docs)
                ),
                events=tuple(
                    EventIn(v["kind"], v["count"], v.get("participants") or 0, v.get("note") or "")
                    for v in _kept(events)
                ),
                funding=tuple(
                    FundingIn(
                        year=f["year"],
                        provincial=f.get("provincial") or Decimal(0),
                        central=f.get("central") or Decimal(0),
                        other=f.get("other") or Decimal(0),
                        spent=f.get("spent") or Decimal(0),
                        note=f.get("note") or "",
                    )
                    for f in _kept(funding)
                ),
            )
        return out

    def proposals(self) -> list[ProposalIn]:
        return [
            ProposalIn(
                addressee=p["addressee"],
                text=p["text"],
                addressee_name=p.get("addressee_name") or "",
                addressee_agency_id=p["addressee_agency"].pk if p.get("addressee_agency") else None,
                id=p.get("id"),
            )
            for p in _kept(self.proposals_formset)
        ]


class ProposalDecisionForm(forms.Form):
    """The department's choices on a report's proposals: ``include-<id>`` for those to higher bodies,
    ``answer-<id>`` for the others."""

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        for p in proposals:
            if p.is_higher:
                self.fields[f"include-{p.pk}"] = forms.BooleanField(
                    label=_("Đưa vào báo cáo tổng hợp"), required=False, initial=p.include
                )
            else:
                self.fields[f"answer-{p.pk}"] = forms.CharField(
                    label=_("Trả lời"),
                    required=False,
                    initial=p.answer,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def rows(self):
        for p in self.proposals:
            yield p, self[f"include-{p.pk}"] if p.is_higher else self[f"answer-{p.pk}"]

    def included(self) -> list[int]:
        return [p.pk for p in self.proposals if p.is_higher and self.cleaned_data.get(f"include-{p.pk}")]

    def answers(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"answer-{p.pk}", "") for p in self.proposals if not p.is_higher}
