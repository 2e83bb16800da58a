"""Reporting: a cycle per period of a plan's regimes (or per ad hoc request), one report per agency that owes
tasks, one entry per task.

States and transitions are described in docs/design/reporting-workflow.md. Every write goes through
``services.py``; the models only hold single-row facts.
"""

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plantrack.core.models import TimeStampedModel
from plantrack.plans.models import AssignmentRole

from .querysets import AgencyReportQuerySet, EvidenceQuerySet, ReportingCycleQuerySet
from .uploads import ALLOWED, download_name


class CycleState(models.TextChoices):
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã đóng")


class CyclePeriod(models.TextChoices):
    """What a cycle covers: one period of a regime (``plans.ReportingPeriod``), or an ad hoc request."""

    MONTHLY = "monthly", _("Tháng")
    QUARTERLY = "quarterly", _("Quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Năm")
    AD_HOC = "ad_hoc", _("Đột xuất")


# The highest period index of each kind within a year (month 1-12, quarter 1-4, half 1-2, the year 1).
PERIOD_COUNT = {"monthly": 12, "quarterly": 4, "half_yearly": 2, "yearly": 1, "ad_hoc": 1}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(period_type: str, year: int, index: int) -> str:
    """ "năm 2026", "6 tháng đầu năm 2026", "Quý III/2026", "tháng 7/2026" — the words of the period."""
    if period_type == CyclePeriod.HALF_YEARLY:
        return (_("6 tháng đầu năm %(y)s") if index == 1 else _("6 tháng cuối năm %(y)s")) % {"y": year}
    if period_type == CyclePeriod.QUARTERLY:
        return _("Quý %(q)s/%(y)s") % {"q": ROMAN.get(index, index), "y": year}
    if period_type == CyclePeriod.MONTHLY:
        return _("tháng %(m)s/%(y)s") % {"m": index, "y": year}
    return _("năm %(y)s") % {"y": year}


def local_end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of ``day`` in the office's time zone: a report sent on the due date is on time."""
    tz = timezone.get_default_timezone()
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=tz)


class ReportingCycle(TimeStampedModel):
    """One reporting round of a plan: a year, a half-year, a quarter or a month of its regimes
    (``reporting.regimes``), or an ad hoc request. The due date and the data window are kept apart: Decree
    09/2019/NĐ-CP counts a year's data from 15/12 of the previous year to 14/12, while plan 386 wants reports by
    05/12."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="cycles"
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    period_type = models.CharField(
        _("loại kỳ"), max_length=16, choices=CyclePeriod.choices, default=CyclePeriod.YEARLY
    )
    # Month 1-12, quarter 1-4, half 1-2; 1 for a year and for an ad hoc request.
    period_index = models.PositiveSmallIntegerField(_("kỳ trong năm"), default=1)
    ad_hoc_request = models.OneToOneField(
        "AdHocRequest",
        verbose_name=_("yêu cầu báo cáo đột xuất"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cycle",
    )
    due_date = models.DateField(_("hạn báo cáo"))
    period_start = models.DateField(_("số liệu từ ngày"))
    period_end = models.DateField(_("số liệu đến ngày"))
    data_as_of = models.DateField(_("thời điểm chốt số liệu"))
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=CycleState.choices, default=CycleState.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mở"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # Demo cycles (make run) are labelled everywhere they show and removed by `manage.py demo_cycle --remove`.
    is_demo = models.BooleanField(_("dữ liệu demo"), default=False)

    history = HistoricalRecords()
    objects = ReportingCycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-year", "plan", "-period_type", "-period_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period_type", "year", "period_index"],
                condition=~models.Q(period_type="ad_hoc"),
                name="cycle_one_per_plan_period",
            ),
            models.CheckConstraint(
                name="cycle_period_index_valid",
                condition=models.Q(period_type__in=["yearly", "ad_hoc"], period_index=1)
                | models.Q(period_type="half_yearly", period_index__gte=1, period_index__lte=2)
                | models.Q(period_type="quarterly", period_index__gte=1, period_index__lte=4)
                | models.Q(period_type="monthly", period_index__gte=1, period_index__lte=12),
            ),
            models.CheckConstraint(
                name="cycle_ad_hoc_has_request",
                condition=models.Q(period_type="ad_hoc", ad_hoc_request__isnull=False)
                | (~models.Q(period_type="ad_hoc") & models.Q(ad_hoc_request__isnull=True)),
            ),
            models.CheckConstraint(
                name="cycle_period_ordered", condition=models.Q(period_start__lte=models.F("period_end"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} — {self.label}"

    @property
    def label(self) -> str:
        """The cycle's name after "Báo cáo"/"Kỳ báo cáo" in titles: "năm 2026", "6 tháng đầu năm 2026",
        "Quý III/2026", "đột xuất: …" (an ad hoc cycle reads its request: select it with the cycle in lists)."""
        if self.period_type == CyclePeriod.AD_HOC and self.ad_hoc_request_id:
            return _("đột xuất: %(t)s") % {"t": self.ad_hoc_request.title}
        return period_label(self.period_type, self.year, self.period_index)

    @property
    def is_ad_hoc(self) -> bool:
        return self.period_type == CyclePeriod.AD_HOC

    @property
    def deadline(self) -> datetime.datetime:
        return local_end_of_day(self.due_date)

    @property
    def is_open(self) -> bool:
        return self.state == CycleState.OPEN

    def is_past_due(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) > self.deadline


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    # The reporter handed the draft (or the returned report) to the agency head, who sends it or hands it back.
    WITH_HEAD = "with_head", _("Chờ lãnh đạo duyệt")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


class ReportDisplayState(models.TextChoices):
    """A report's state as pages show it: the workflow state (``ReportState``) told apart by the due date.

    Report lists (``AgencyReport.display_state``) show a report not yet sent as "not sent" or, past the due date,
    "missing"; the coordinator's dashboard (``AgencyReport.dashboard_state``) also tells a report never saved ("not
    started") from a draft. A report first sent after the due date and awaiting review is "late". The agency's
    own members also see a report handed to their head as "awaiting the head's decision". The words are in
    docs/glossary.md.
    """

    NOT_STARTED = "not_started", _("Chưa bắt đầu")
    DRAFT = "draft", _("Bản nháp")
    NOT_SENT = "not_sent", _("Chưa gửi")
    WITH_HEAD = "with_head", _("Chờ lãnh đạo duyệt")
    SUBMITTED = "submitted", _("Đã gửi")
    LATE = "late", _("Đã gửi (nộp muộn)")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    MISSING = "missing", _("Chưa nộp (quá hạn)")


# The dashboard's states, in its order, with its words: the department reads a submitted report as one awaiting
# its review.
DASHBOARD_STATES = {
    ReportDisplayState.NOT_STARTED: ReportDisplayState.NOT_STARTED.label,
    ReportDisplayState.DRAFT: ReportDisplayState.DRAFT.label,
    ReportDisplayState.SUBMITTED: _("Đã gửi, chờ xem xét"),
    ReportDisplayState.LATE: ReportDisplayState.LATE.label,
    ReportDisplayState.RETURNED: ReportDisplayState.RETURNED.label,
    ReportDisplayState.ACCEPTED: ReportDisplayState.ACCEPTED.label,
    ReportDisplayState.MISSING: ReportDisplayState.MISSING.label,
}

# States in which the department in charge and the viewers may read a report; drafts belong to the agency alone.
VISIBLE_OUTSIDE_AGENCY = (ReportState.SUBMITTED, ReportState.RETURNED, ReportState.ACCEPTED)
# The states in which a report's content stays with its agency (everyone else sees only that it is not sent).
OWN_STATES = (ReportState.DRAFT, ReportState.WITH_HEAD)
EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)
# The states the agency head may still edit: while the report awaits their decision, it is in their hands.
HEAD_EDITABLE_STATES = (*EDITABLE_STATES, ReportState.WITH_HEAD)


class AgencyReport(TimeStampedModel):
    """What one agency reports in one cycle. ``version`` is bumped by every save and checked in the UPDATE's WHERE
    clause, so a form built on an older version is refused instead of overwriting someone else's work."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("kỳ báo cáo"), on_delete=models.CASCADE, related_name="reports"
    )
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("cơ quan, đơn vị"), on_delete=models.PROTECT, related_name="reports"
    )
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    data_as_of = models.DateField(_("số liệu tính đến ngày"), null=True, blank=True)
    main_results = models.TextField(_("Kết quả nổi bật"), blank=True)
    shortcomings = models.TextField(_("Tồn tại, hạn chế và nguyên nhân"), blank=True)
    next_year = models.TextField(_("Phương hướng, nhiệm vụ năm tới"), blank=True)
    proposals = models.TextField(_("Kiến nghị, đề xuất"), blank=True)
    last_saved_at = models.DateTimeField(_("lưu lần cuối"), null=True, blank=True)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lưu lần cuối"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_submitted_at = models.DateTimeField(_("gửi lần đầu"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lần cuối"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Decided once, at the first submission: a report returned for corrections is not made late by the return.
    is_late = models.BooleanField(_("nộp muộn"), default=False)
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True)
    return_comment = models.TextField(_("ý kiến khi trả lại"), blank=True)
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The earlier report of the same year the entries were pre-filled from (a yearly report drawing on the 6-month
    # report); the page says so until the agency saves its own text.
    prefilled_from = models.ForeignKey(
        "self",
        verbose_name=_("điền sẵn từ báo cáo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # DO_NOTHING: the submission goes only together with its report (cascade); the database's deferred foreign
    # key still refuses a submission deleted on its own.
    accepted_submission = models.OneToOneField(
        "ReportSubmission",
        verbose_name=_("bản được tiếp nhận"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["last_saved_at", "updated_at"])
    objects = AgencyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["cycle", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency"], name="report_one_per_agency_cycle"),
            models.CheckConstraint(
                name="report_state_valid",
                condition=models.Q(state__in=["draft", "with_head", "submitted", "returned", "accepted"]),
            ),
            models.CheckConstraint(
                name="report_accepted_has_submission",
                condition=~models.Q(state="accepted") | models.Q(accepted_submission__isnull=False),
            ),
        ]

    # Set by ``services._save_draft`` for the one save that changes only what the agency's own people see — the
    # content of a draft (or of a report with its head) that was saved before: outside the agency such a report
    # shows only its state and whether it was ever saved ("not started" / "draft" on the dashboard). The cache
    # versions of pages shown outside the agency are then left as they are (``monitoring.cache_versions``).
    seen_by_agency_only = False

    def __str__(self) -> str:
        return f"{self.agency} — {self.cycle}"

    SECTION_FIELDS = ("main_results", "shortcomings", "next_year", "proposals")
    # The sections an agency types; "proposals" is the free text of reports made before proposals became
    # ``ReportProposal`` items (migrated into them), still readable and accepted from old clients.
    NARRATIVE_FIELDS = ("main_results", "shortcomings", "next_year")

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES and self.cycle.is_open

    @property
    def is_with_head(self) -> bool:
        return self.state == ReportState.WITH_HEAD

    @property
    def is_frozen(self) -> bool:
        return self.state == ReportState.ACCEPTED

    def is_missing(self, now: datetime.datetime | None = None) -> bool:
        """Nothing has been submitted and the due date has passed."""
        return self.first_submitted_at is None and self.cycle.is_past_due(now)

    def display_state(
        self, now: datetime.datetime | None = None, *, for_agency: bool = False
    ) -> tuple[str, str]:
        """``(code, label)`` of the state shown in lists: a never-submitted report is "not sent" or "missing".

        The handover to the agency head is the agency's own business: its members (``for_agency``) see "awaiting
        the head's decision"; everyone else sees the report as not sent, like any draft."""
        if self.state == ReportState.WITH_HEAD and for_agency:
            state = ReportDisplayState.WITH_HEAD
        elif self.state in (ReportState.DRAFT, ReportState.WITH_HEAD):
            state = ReportDisplayState.MISSING if self.is_missing(now) else ReportDisplayState.NOT_SENT
        elif self.state == ReportState.SUBMITTED and self.is_late:
            state = ReportDisplayState.LATE
        else:
            state = ReportDisplayState(self.state)
        return state.value, str(state.label)

    def dashboard_state(self, *, due_date: datetime.date, today: datetime.date) -> str:
        """The dashboard's code for this report on ``today`` (a key of ``DASHBOARD_STATES``): a never-submitted
        report is not started (never saved), a draft, or missing once the due date has passed; a report first sent
        after the due date and awaiting review is late. For the department a report awaiting its agency head's
        decision is still the agency's draft."""
        if self.state in (ReportState.DRAFT, ReportState.WITH_HEAD):
            if self.first_submitted_at is None and today > due_date:
                return ReportDisplayState.MISSING.value
            if self.last_saved_at is None:
                return ReportDisplayState.NOT_STARTED.value
            return ReportDisplayState.DRAFT.value
        if self.state == ReportState.SUBMITTED and self.is_late:
            return ReportDisplayState.LATE.value
        return ReportDisplayState(self.state).value

    def sections(self) -> list[tuple[str, str, str]]:
        """The typed sections, with the old free-text proposals only when a report still has some."""
        fields = self.SECTION_FIELDS if self.proposals else self.NARRATIVE_FIELDS
        return [(f, str(self._meta.get_field(f).verbose_name), getattr(self, f)) for f in fields]


class EntryStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang triển khai")
    DONE = "done", _("Hoàn thành")
    CONTINUING = "continuing", _("Thực hiện thường xuyên")


class ReportEntry(models.Model):
    """The agency's account of one task it leads or coordinates."""

    report = models.ForeignKey(
        AgencyReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="entries"
    )
    task = models.ForeignKey(
        "plans.Task", verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="report_entries"
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=AssignmentRole.choices)
    status = models.CharField(_("tình trạng"), max_length=16, choices=EntryStatus.choices, blank=True)
    results = models.TextField(_("kết quả thực hiện"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    # The agencies the plan named for this task whose duty passed to this agency ("nhận từ Sở Thông tin và Truyền
    # thông"), empty when the plan names this agency or one of its groups.
    inherited_from = models.CharField(_("nhận từ"), max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    # A plan amendment applied while the report is open (``reporting.amendments``): the task's text as it stood
    # when the cycle opened, kept when the amendment rewrote it (empty: the task's own text is in force), and the
    # note closing an entry whose task was cancelled or taken from the agency ("Đã hủy theo Kế hoạch số …") —
    # such an entry stays, read-only, instead of being deleted.
    task_text = models.TextField(_("nội dung nhiệm vụ khi mở kỳ"), blank=True)
    closed_note = models.CharField(_("đóng theo văn bản"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung theo nhiệm vụ")
        verbose_name_plural = _("nội dung theo nhiệm vụ")
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "task"], name="entry_one_per_task"),
            models.CheckConstraint(
                name="entry_role_valid", condition=models.Q(role__in=["lead", "coordinate"])
            ),
            models.CheckConstraint(
                name="entry_status_valid",
                condition=models.Q(status__in=["", "not_started", "in_progress", "done", "continuing"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} — {self.report.agency}"

    @property
    def task_text_in_force(self) -> str:
        """The task's text this report answers to: the version in force when its cycle opened."""
        return self.task_text or self.task.text

    @property
    def is_closed(self) -> bool:
        return bool(self.closed_note)


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    """A generated name under ``evidence/<year>/``: the uploader's file name is kept only as data."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"evidence/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Tệp đính kèm")
    LINK = "link", _("Đường dẫn")


class Evidence(models.Model):
    """A file or a link backing an entry. A report-level evidence (no entry) is the signed official report."""

    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="evidence")
    entry = models.ForeignKey(
        ReportEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(_("loại"), max_length=8, choices=EvidenceKind.choices)
    title = models.CharField(_("tên minh chứng"), max_length=255, blank=True)
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="evidence_file_xor_link",
                condition=(models.Q(kind="file") & ~models.Q(file="") & models.Q(url=""))
                | (models.Q(kind="link") & models.Q(file="") & ~models.Q(url="")),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.title or self.original_name or self.url

    @property
    def download_name(self) -> str:
        """The uploader's file name with the extension of the type detected from the content at upload."""
        return download_name(self.original_name, ALLOWED.get(self.content_type, ""), f"minh-chung-{self.pk}")


class ReviewComment(models.Model):
    """The coordinator's remark on one entry (or on the whole report when ``entry`` is empty) made when returning
    a report. ``round`` is the submission number it answers, so old remarks stay readable after a resubmission."""

    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="comments")
    entry = models.ForeignKey(
        ReportEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    round = models.PositiveSmallIntegerField(_("lần gửi"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = _("ý kiến góp ý")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ImmutableError(Exception):
    pass


class ReportSubmission(models.Model):
    """A frozen copy of exactly what an agency sent, made at every submission. Consolidation reads the snapshot
    of ``AgencyReport.accepted_submission``, never the live rows. Rows are write-once."""

    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("lần gửi"))
    submitted_at = models.DateTimeField(_("thời điểm gửi"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_late = models.BooleanField(_("nộp muộn"), default=False)
    snapshot = models.JSONField(_("nội dung đã gửi"))

    class Meta:
        verbose_name = _("lần gửi báo cáo")
        verbose_name_plural = _("các lần gửi báo cáo")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="submission_unique_number")]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("A report submission is never changed once written.")
        super().save(*args, **kwargs)


class ReportTransition(models.Model):
    """The workflow log: who moved the report from which state to which, when, and why."""

    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=ReportState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=ReportState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)
    submission = models.ForeignKey(
        ReportSubmission, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("chuyển trạng thái")
        verbose_name_plural = _("nhật ký chuyển trạng thái")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_state} → {self.to_state}"


class AdHocRequest(TimeStampedModel):
    """A one-off report (báo cáo đột xuất) asked by a document ("Công văn số 123/UBND-KT ngày …"): its own
    scope (some agencies, optionally some tasks) and due date. Creating one opens its cycle (``cycle``)."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="ad_hoc_requests"
    )
    title = models.CharField(_("nội dung yêu cầu"), max_length=255)
    document_number = models.CharField(_("số, ký hiệu văn bản yêu cầu"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày văn bản yêu cầu"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan yêu cầu"), max_length=255, blank=True)
    due_date = models.DateField(_("hạn báo cáo"))
    agencies = models.ManyToManyField(
        "orgs.Agency", verbose_name=_("đơn vị phải báo cáo"), related_name="ad_hoc_requests"
    )
    tasks = models.ManyToManyField(
        "plans.Task", verbose_name=_("nhiệm vụ cần báo cáo"), blank=True, related_name="ad_hoc_requests"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("yêu cầu báo cáo đột xuất")
        verbose_name_plural = _("yêu cầu báo cáo đột xuất")
        ordering = ["-due_date", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def document_display(self) -> str:
        """ "Công văn số 123/UBND-KT ngày 02/3/2026 của UBND tỉnh", from whatever is known."""
        parts = []
        if self.document_number:
            parts.append(_("số %(n)s") % {"n": self.document_number})
        if self.document_date:
            parts.append(_("ngày %(d)s") % {"d": self.document_date.strftime("%d/%m/%Y")})
        if self.issuer:
            parts.append(_("của %(i)s") % {"i": self.issuer})
        return " ".join(parts)


# --- Structured facts of an entry, and the agency's proposals ----------------------------------------------------
# What agencies used to write by hand in their results ("ban hành 3 văn bản; tổ chức 2 hội nghị với 300 lượt người;
# kinh phí 850 triệu đồng"), kept as rows so the consolidated report and the dashboard can cite and total them.
# Written only through ``services.report_save_draft``; rules in ``facts.py``.


class EntryDocument(models.Model):
    """A document the agency issued to carry out the task ("Văn bản số 206/UBND-KT ngày 12/7/2025 về …")."""

    entry = models.ForeignKey(
        ReportEntry, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="documents"
    )
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=100)
    issued_on = models.DateField(_("ngày ban hành"))
    subject = models.CharField(_("trích yếu"), max_length=1000)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("văn bản đã ban hành")
        verbose_name_plural = _("văn bản đã ban hành")
        ordering = ["entry", "order", "pk"]
        constraints = [
            models.CheckConstraint(name="entrydocument_number_set", condition=~models.Q(number_symbol="")),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol} ({self.issued_on:%d/%m/%Y})"


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Hội nghị")
    WORKSHOP = "workshop", _("Hội thảo")
    TRAINING = "training", _("Lớp tập huấn, bồi dưỡng")
    SEMINAR = "seminar", _("Tọa đàm")
    CAMPAIGN = "campaign", _("Đợt tuyên truyền")
    OTHER = "other", _("Khác")


class EntryEvent(models.Model):
    """Events of one kind the agency held for the task: how many, and how many participants in all."""

    entry = models.ForeignKey(
        ReportEntry, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=EventKind.choices)
    count = models.PositiveIntegerField(_("số lượng"), default=1)
    participants = models.PositiveIntegerField(_("số lượt người tham dự"), default=0)
    note = models.CharField(_("nội dung"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("hội nghị, hội thảo, tập huấn")
        verbose_name_plural = _("hội nghị, hội thảo, tập huấn")
        ordering = ["entry", "order", "pk"]
        constraints = [
            models.CheckConstraint(name="entryevent_count_positive", condition=models.Q(count__gte=1)),
            models.CheckConstraint(
                name="entryevent_participants_nonneg", condition=models.Q(participants__gte=0)
            ),
            models.CheckConstraint(
                name="entryevent_kind_valid",
                condition=models.Q(
                    kind__in=["conference", "workshop", "training", "seminar", "campaign", "other"]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.get_kind_display()}"


# Amounts are in millions of đồng ("triệu đồng"), the unit of Vietnamese budget reports; three decimals reach the
# thousand đồng.
MONEY = {"max_digits": 15, "decimal_places": 3, "default": 0}


class EntryFunding(models.Model):
    """Money for the task in one year: allocated by source of funds, and spent."""

    entry = models.ForeignKey(
        ReportEntry, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="funding"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    provincial = models.DecimalField(_("ngân sách tỉnh (triệu đồng)"), **MONEY)
    central = models.DecimalField(_("ngân sách trung ương (triệu đồng)"), **MONEY)
    other = models.DecimalField(_("xã hội hóa, nguồn khác (triệu đồng)"), **MONEY)
    spent = models.DecimalField(_("đã giải ngân (triệu đồng)"), **MONEY)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("kinh phí")
        verbose_name_plural = _("kinh phí")
        ordering = ["entry", "year"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "year"], name="entryfunding_one_per_year"),
            models.CheckConstraint(
                name="entryfunding_amounts_nonneg",
                condition=models.Q(provincial__gte=0, central__gte=0, other__gte=0, spent__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.allocated} triệu đồng"

    @property
    def allocated(self):
        return self.provincial + self.central + self.other


class Addressee(models.TextChoices):
    """Who can act on a proposal. Only the first two are higher bodies: the consolidated report forwards to them;
    the department in charge answers those addressed to itself."""

    PROVINCE = "province", _("Ủy ban nhân dân tỉnh")
    MINISTRY = "ministry", _("Bộ, ngành trung ương")
    DEPARTMENT = "department", _("Cơ quan theo dõi kế hoạch")
    AGENCY = "agency", _("Cơ quan, đơn vị khác")
    UNSPECIFIED = "unspecified", _("Chưa xác định")


HIGHER_ADDRESSEES = (Addressee.PROVINCE, Addressee.MINISTRY)


class ReportProposal(models.Model):
    """One proposal (kiến nghị, đề xuất) of an agency's report, with whom it is addressed to.

    The agency writes ``addressee``/``addressee_name``/``addressee_agency``/``text``; the department in charge
    writes the rest: whether a proposal to a higher body goes into the consolidated report (``include``), and its
    answer to one addressed to itself."""

    report = models.ForeignKey(
        AgencyReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="proposal_items"
    )
    addressee = models.CharField(_("kiến nghị tới"), max_length=16, choices=Addressee.choices)
    # The ministry's name ("Bộ Khoa học và Công nghệ"); empty for the others.
    addressee_name = models.CharField(_("tên cơ quan nhận kiến nghị"), max_length=255, blank=True)
    addressee_agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("nội dung kiến nghị"))
    order = models.PositiveSmallIntegerField(default=0)
    include = models.BooleanField(_("đưa vào báo cáo tổng hợp"), default=False)
    answer = models.TextField(_("trả lời của cơ quan theo dõi"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kiến nghị, đề xuất")
        verbose_name_plural = _("kiến nghị, đề xuất")
        ordering = ["report", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="proposal_addressee_valid",
                condition=models.Q(
                    addressee__in=["province", "ministry", "department", "agency", "unspecified"]
                ),
            ),
            models.CheckConstraint(
                name="proposal_ministry_named", condition=~models.Q(addressee="ministry", addressee_name="")
            ),
            models.CheckConstraint(
                name="proposal_agency_set",
                condition=~models.Q(addressee="agency") | models.Q(addressee_agency__isnull=False),
            ),
            models.CheckConstraint(
                name="proposal_include_higher_only",
                condition=models.Q(include=False) | models.Q(addressee__in=["province", "ministry"]),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_higher(self) -> bool:
        return self.addressee in HIGHER_ADDRESSEES

    @property
    def addressee_label(self) -> str:
        """ "Bộ Khoa học và Công nghệ", "Sở Y tế", "Ủy ban nhân dân tỉnh"."""
        if self.addressee == Addressee.MINISTRY:
            return self.addressee_name
        if self.addressee == Addressee.AGENCY and self.addressee_agency_id:
            return self.addressee_agency.name
        return str(self.get_addressee_display())
