"""Plan import drafts: the plan as read from a document, kept until a person publishes it.

A model of the ``plans`` app (``plans/models.py`` imports it); until 2026 it lived in ``documents``, whose
migration 0002 hands the table over to ``plans`` migration 0002."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plantrack.core.models import TimeStampedModel

from .querysets import PlanImportDraftQuerySet


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")


class PlanImportDraft(TimeStampedModel):
    """A plan read from an uploaded document, as interchange data (``plantrack.plan/1``) that the reviewer edits.

    Nothing of the plan exists in the plan tables until it is published; the uploaded file itself is not kept,
    only its text (shown beside the extracted structure)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="plan_import_drafts",
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    file_kind = models.CharField(_("loại tệp"), max_length=8)
    source_lines = models.JSONField(_("văn bản gốc"), default=list)
    data = models.JSONField(_("kế hoạch trích xuất"), default=dict)
    # Problems found while reading (e.g. names matched approximately); live checks are recomputed on each view.
    import_problems = models.JSONField(default=list)
    locations = models.JSONField(default=dict)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("kế hoạch đã công bố"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PlanImportDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản nháp nhập kế hoạch")
        verbose_name_plural = _("bản nháp nhập kế hoạch")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="planimportdraft_published_has_plan",
                condition=~models.Q(status="published")
                | models.Q(plan__isnull=False)
                | models.Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def plan_code(self) -> str:
        return (self.data or {}).get("number") or ""

    @property
    def is_draft(self) -> bool:
        return self.status == DraftStatus.DRAFT


class JobState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang đọc")
    DONE = "done", _("Đã đọc xong")
    FAILED = "failed", _("Không đọc được")


class PlanImportJob(TimeStampedModel):
    """An uploaded document that needs OCR, read by the task worker (``tasks.plan_import_read``) off the request.

    The file stays in the row only until it is read; the job then points at the draft it made, or keeps the
    message saying why it could not be read."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="plan_import_jobs",
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    content = models.BinaryField(_("tệp"), default=bytes)
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    message = models.TextField(_("thông báo"), blank=True)
    draft = models.ForeignKey(
        PlanImportDraft, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ocr_pages = models.PositiveIntegerField(default=0)
    ocr_seconds = models.FloatField(default=0)

    objects = (
        PlanImportDraftQuerySet.as_manager()
    )  # the same visibility: an administrator all, a coordinator own

    class Meta:
        verbose_name = _("tệp kế hoạch chờ nhận dạng chữ")
        verbose_name_plural = _("tệp kế hoạch chờ nhận dạng chữ")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def is_stalled(self) -> bool:
        """Queued or running for longer than the queue retries a task (its lease times its attempts): no worker
        will finish it; the page says so instead of "running" forever."""
        from django.utils import timezone

        q = settings.Q_CLUSTER
        limit = q.get("retry", 180) * q.get("max_attempts", 3) + 60
        return (
            self.state in (JobState.QUEUED, JobState.RUNNING)
            and (timezone.now() - self.created_at).total_seconds() > limit
        )

    @property
    def is_pending(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING) and not self.is_stalled
