"""Yearly reporting: a cycle per plan and year, one report per agency that owes tasks, one entry per task.

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


class CycleState(models.TextChoices):
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã đóng")


def local_end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of ``day`` in the office's time zone: a report sent on the due date is on time."""
    tz = timezone.get_default_timezone()
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=tz)


class ReportingCycle(TimeStampedModel):
    """One yearly reporting round of a plan. The due date and the data window are kept apart: Decree 09/2019/NĐ-CP
    counts a year's data from 15/12 of the previous year to 14/12, while plan 386 wants reports by 05/12."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="cycles"
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
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
        ordering = ["-year", "plan"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="cycle_one_per_plan_year"),
            models.CheckConstraint(
                name="cycle_period_ordered", condition=models.Q(period_start__lte=models.F("period_end"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} — {self.year}"

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

    def __str__(self) -> str:
        return f"{self.agency} — {self.cycle}"

    SECTION_FIELDS = ("main_results", "shortcomings", "next_year", "proposals")

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
        return [(f, str(self._meta.get_field(f).verbose_name), getattr(self, f)) for f in self.SECTION_FIELDS]


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
        from .uploads import ALLOWED, download_name

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
