"""Inspection and supervision (kiểm tra, giám sát) of a plan's implementation by the department in charge.

An inspection plan (kế hoạch kiểm tra) names the agencies to inspect and the team; each visit (đợt kiểm tra) to one
agency has its dates, minutes (biên bản) and findings; each recommendation (kiến nghị, yêu cầu khắc phục) to the
agency has a deadline and is followed until the department closes it. States and transitions are in
docs/design/inspection.md; every write goes through ``services.py``.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plantrack.core.models import TimeStampedModel

from .querysets import CLOSED, InspectionPlanQuerySet, RecommendationQuerySet, VisitQuerySet


def inspection_upload_to(instance, filename: str) -> str:
    """A generated name under ``inspection/<year>/``: the uploader's file name is kept only as data."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"inspection/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class InspectionPlan(TimeStampedModel):
    """A plan of inspection for one year of a government plan's implementation."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch được kiểm tra"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch kiểm tra"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True, help_text=_("Ví dụ: 15/KH-SKHCN"))
    document_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    scope = models.TextField(_("nội dung, phạm vi kiểm tra"), blank=True)
    agencies = models.ManyToManyField(
        "orgs.Agency", verbose_name=_("cơ quan, đơn vị được kiểm tra"), related_name="+"
    )
    team_lead = models.CharField(_("trưởng đoàn"), max_length=200, blank=True)
    team_members = models.TextField(_("thành viên đoàn"), blank=True, help_text=_("Mỗi dòng một người."))
    # Demo rows (load_default) are removed with the demo data.
    is_demo = models.BooleanField(_("dữ liệu demo"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = InspectionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="inspection_plan_year_sane", condition=models.Q(year__gte=2000, year__lte=2100)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def member_list(self) -> list[str]:
        return [
            line.strip().lstrip("-–• ").strip() for line in self.team_members.splitlines() if line.strip()
        ]


class StoredFile(models.Model):
    """A file checked by content at upload (``reporting.uploads.check_evidence_file``) and stored under a
    generated name."""

    file = models.FileField(_("tệp"), upload_to=inspection_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True


class Visit(TimeStampedModel):
    """One visit of the team to one agency (đợt kiểm tra)."""

    inspection = models.ForeignKey(
        InspectionPlan, verbose_name=_("kế hoạch kiểm tra"), on_delete=models.CASCADE, related_name="visits"
    )
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    findings = models.TextField(_("kết quả kiểm tra, nhận xét"), blank=True)
    minutes = models.FileField(
        _("biên bản kiểm tra"), upload_to=inspection_upload_to, max_length=255, blank=True
    )
    minutes_name = models.CharField(_("tên tệp biên bản"), max_length=255, blank=True)
    minutes_content_type = models.CharField(max_length=120, blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt kiểm tra")
        verbose_name_plural = _("đợt kiểm tra")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="visit_dates_ordered", condition=models.Q(end_date__gte=models.F("start_date"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.start_date:%d/%m/%Y}"


class RecommendationState(models.TextChoices):
    OPEN = "open", _("Chờ khắc phục")
    RESPONDED = "responded", _("Đơn vị đã báo cáo khắc phục")
    CLOSED = CLOSED, _("Đã đóng")


class Recommendation(TimeStampedModel):
    """A recommendation (kiến nghị, yêu cầu khắc phục) to the visited agency, followed until closed.

    open → responded (the agency's reporter or head) → closed (the department), or responded → open again when
    the department reopens it with a comment; a closed one may be reopened too."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("đợt kiểm tra"), on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField(_("nội dung kiến nghị"))
    issued_on = models.DateField(_("ngày kiến nghị"))
    deadline = models.DateField(_("thời hạn khắc phục"))
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=RecommendationState.choices, default=RecommendationState.OPEN
    )
    response = models.TextField(_("kết quả khắc phục của đơn vị"), blank=True)
    responded_at = models.DateTimeField(_("đơn vị báo cáo lúc"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("kiến nghị sau kiểm tra")
        verbose_name_plural = _("kiến nghị sau kiểm tra")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                name="recommendation_state_valid",
                condition=models.Q(state__in=["open", "responded", "closed"]),
            ),
            models.CheckConstraint(
                name="recommendation_closed_has_date",
                condition=~models.Q(state="closed") | models.Q(closed_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="recommendation_state_deadline")]

    def __str__(self) -> str:
        return f"{self.visit.agency} — {self.text[:60]}"

    def is_overdue(self, as_of) -> bool:
        return self.state != RecommendationState.CLOSED and self.deadline < as_of


class RecommendationAction(models.TextChoices):
    ISSUED = "issued", _("Ban hành kiến nghị")
    RESPONDED = "responded", _("Đơn vị báo cáo khắc phục")
    CLOSED = "closed", _("Đóng kiến nghị")
    REOPENED = "reopened", _("Mở lại kiến nghị")


class RecommendationEvent(models.Model):
    """The history of a recommendation: who did what, when, with what comment. Append-only."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=16, choices=RecommendationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    comment = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử kiến nghị")
        verbose_name_plural = _("lịch sử kiến nghị")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.actor}"


class ResponseEvidence(StoredFile):
    """A file the agency attached to its response."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="evidence")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng khắc phục")
        verbose_name_plural = _("minh chứng khắc phục")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
