"""The consolidated report of a reporting cycle: the words the coordinator writes, and each build of its files.

The figures and the agencies' results are never stored here: every build compiles them afresh from the accepted
submissions (``plantrack.consolidation.report.compile``). What is stored is the narrative the department in
charge edits (:class:`ConsolidatedReport`) and a record of every build (:class:`BuildRun`) with its files and a
manifest saying which submissions and figures it used.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plantrack.core.models import TimeStampedModel

from .querysets import BuildRunQuerySet, ConsolidatedReportQuerySet
from .report.narrative import Narrative

# A build that has not finished after this long was cut short (server restarted): it is shown as failed and a new
# one may start.
STALE_AFTER = datetime.timedelta(minutes=10)


class AuthorityPrefix(models.TextChoices):
    NONE = "", _("(Thủ trưởng ký trực tiếp)")
    KT = "KT.", _("KT. — ký thay")
    TM = "TM.", _("TM. — thay mặt tập thể")
    TL = "TL.", _("TL. — thừa lệnh")
    TUQ = "TUQ.", _("TUQ. — thừa ủy quyền")
    Q = "Q.", _("Q. — quyền")


class ConsolidatedReport(TimeStampedModel):
    """The editable parts of the cycle's consolidated report (Báo cáo), one per cycle."""

    cycle = models.OneToOneField(
        "reporting.ReportingCycle",
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.CASCADE,
        related_name="consolidated_report",
    )
    number = models.CharField(
        _("số"), max_length=20, blank=True, help_text=_("Để trống cho đến khi văn thư cấp số.")
    )
    symbol = models.CharField(_("ký hiệu"), max_length=40, help_text=_("Ví dụ: BC-SKHCN"))
    report_date = models.DateField(
        _("ngày ban hành"),
        null=True,
        blank=True,
        help_text=_("Để trống: in “ngày … tháng … năm” để điền tay."),
    )
    title = models.TextField(_("trích yếu"))
    opening = models.TextField(_("mở đầu (căn cứ báo cáo)"), blank=True)
    leadership = models.TextField(_("I. Công tác lãnh đạo, chỉ đạo, triển khai thực hiện"), blank=True)
    strengths = models.TextField(_("III.1. Ưu điểm"), blank=True)
    shortcomings = models.TextField(_("III.2. Tồn tại, hạn chế và nguyên nhân"), blank=True)
    directions = models.TextField(_("IV. Phương hướng, nhiệm vụ năm tới"), blank=True)
    proposals = models.TextField(_("V. Kiến nghị, đề xuất"), blank=True)
    closing = models.TextField(_("đoạn kết"), blank=True)
    authority_prefix = models.CharField(
        _("thẩm quyền ký"),
        max_length=8,
        choices=AuthorityPrefix.choices,
        blank=True,
        default=AuthorityPrefix.KT,
    )
    authority_title = models.CharField(
        _("chức vụ thủ trưởng"), max_length=80, blank=True, help_text=_("Ví dụ: GIÁM ĐỐC (in sau “KT.”)")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=80, help_text=_("Ví dụ: PHÓ GIÁM ĐỐC"))
    signer_name = models.CharField(_("họ và tên người ký"), max_length=120, blank=True)
    recipients = models.TextField(
        _("nơi nhận"), help_text=_("Mỗi dòng một nơi nhận; dòng cuối là “Lưu: VT, …”.")
    )
    include_charts = models.BooleanField(_("kèm biểu đồ các chỉ tiêu (Phụ lục III)"), default=True)
    # Bumped by every save and checked in the UPDATE's WHERE clause: an edit made on an older version is refused
    # instead of overwriting a colleague's text.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ConsolidatedReportQuerySet.as_manager()

    NARRATIVE_FIELDS = (
        "number",
        "symbol",
        "report_date",
        "title",
        "opening",
        "leadership",
        "strengths",
        "shortcomings",
        "directions",
        "proposals",
        "closing",
        "authority_prefix",
        "authority_title",
        "signer_title",
        "signer_name",
        "recipients",
        "include_charts",
    )

    class Meta:
        verbose_name = _("báo cáo tổng hợp")
        verbose_name_plural = _("báo cáo tổng hợp")
        constraints = [
            models.CheckConstraint(
                name="consolidated_authority_prefix_valid",
                condition=models.Q(authority_prefix__in=["", "KT.", "TM.", "TL.", "TUQ.", "Q."]),
            ),
        ]

    def __str__(self) -> str:
        return f"Báo cáo tổng hợp {self.cycle}"

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    def narrative(self) -> Narrative:
        return Narrative(
            number=self.number,
            symbol=self.symbol,
            date=self.report_date,
            title=self.title,
            opening=self.opening,
            leadership=self.leadership,
            strengths=self.strengths,
            shortcomings=self.shortcomings,
            directions=self.directions,
            proposals=self.proposals,
            closing=self.closing,
            authority_prefix=self.authority_prefix,
            authority_title=self.authority_title,
            signer_title=self.signer_title,
            signer_name=self.signer_name,
            recipients=self.recipient_lines(),
            include_charts=self.include_charts,
        )

    @classmethod
    def from_narrative(cls, narrative: Narrative, **fields) -> "ConsolidatedReport":
        """An unsaved report holding ``narrative`` (the suggested first draft)."""
        return cls(
            number=narrative.number,
            symbol=narrative.symbol,
            report_date=narrative.date,
            title=narrative.title,
            opening=narrative.opening,
            leadership=narrative.leadership,
            strengths=narrative.strengths,
            shortcomings=narrative.shortcomings,
            directions=narrative.directions,
            proposals=narrative.proposals,
            closing=narrative.closing,
            authority_prefix=narrative.authority_prefix,
            authority_title=narrative.authority_title,
            signer_title=narrative.signer_title,
            signer_name=narrative.signer_name,
            recipients="\n".join(narrative.recipients),
            include_charts=narrative.include_charts,
            version=0,
            **fields,
        )


class BuildState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


def build_upload_to(instance: "BuildRun", filename: str) -> str:
    """A generated name under ``consolidated/<year>/``; the readable name is served as the download name."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"consolidated/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class BuildRun(models.Model):
    """One build of the report's files started from the app (``manage.py build_report`` writes files without a run)."""

    report = models.ForeignKey(
        ConsolidatedReport, verbose_name=_("báo cáo tổng hợp"), on_delete=models.CASCADE, related_name="runs"
    )
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=BuildState.choices, default=BuildState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    step = models.CharField(_("bước"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    narrative_version = models.PositiveIntegerField(_("phiên bản nội dung"), default=0)
    docx = models.FileField(_("tệp DOCX"), upload_to=build_upload_to, max_length=255, blank=True)
    xlsx = models.FileField(_("tệp XLSX"), upload_to=build_upload_to, max_length=255, blank=True)
    docx_name = models.CharField(max_length=200, blank=True)
    xlsx_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    # Which submissions and figures the files were built from, and how long each step took.
    manifest = models.JSONField(_("nguồn dữ liệu"), default=dict, blank=True)
    duration_ms = models.PositiveIntegerField(_("thời gian tạo (ms)"), null=True, blank=True)

    objects = BuildRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần tạo báo cáo tổng hợp")
        verbose_name_plural = _("các lần tạo báo cáo tổng hợp")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="buildrun_state_valid",
                condition=models.Q(state__in=["queued", "running", "done", "failed"]),
            ),
            models.CheckConstraint(
                name="buildrun_progress_percent", condition=models.Q(progress__gte=0, progress__lte=100)
            ),
            # At most one build in progress per report: a double click or a second tab does not start another.
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(state__in=["queued", "running"]),
                name="buildrun_one_active_per_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.state in (BuildState.QUEUED, BuildState.RUNNING)

    def is_stale(self, now: datetime.datetime | None = None) -> bool:
        return self.is_active and (now or timezone.now()) - self.created_at > STALE_AFTER

    @property
    def is_done(self) -> bool:
        return self.state == BuildState.DONE
