"""Monitoring a reporting cycle: the reminder schedule, the log of reminders sent, and urging letters.

The states, the schedule and why a reminder can never go out twice are described in docs/design/urging.md.
Every write goes through ``services.py``.
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plantrack.core.models import TimeStampedModel

from .querysets import EscalationRecordQuerySet, ReminderLogQuerySet, UrgingLetterQuerySet
from .schedule import DEFAULT_DAYS_AFTER, DEFAULT_DAYS_BEFORE, DEFAULT_REPEAT_EVERY, ScheduleRule, Step

_LIST_ITEM = re.compile(r"^(\d+[.)]|[-+–•])\s")


def _default_before() -> list[int]:
    return list(DEFAULT_DAYS_BEFORE)


def _default_after() -> list[int]:
    return list(DEFAULT_DAYS_AFTER)


class ReminderSchedule(TimeStampedModel):
    """When reminders go out for one cycle, in days counted from its due date. A cycle without a row follows the
    default (30, 7 and 1 days before, the day after, then weekly); the row is created when a coordinator edits it.

    Steps are keyed by their offset from the due date, so a step sent once is not sent again after an edit; moving
    the due date re-arms the schedule (see docs/design/urging.md)."""

    cycle = models.OneToOneField(
        "reporting.ReportingCycle",
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.CASCADE,
        related_name="reminder_schedule",
    )
    days_before = models.JSONField(_("nhắc trước hạn (số ngày)"), default=_default_before, blank=True)
    days_after = models.JSONField(_("đôn đốc sau hạn (số ngày)"), default=_default_after, blank=True)
    repeat_every_days = models.PositiveSmallIntegerField(
        _("sau đó nhắc lại mỗi (ngày)"),
        default=DEFAULT_REPEAT_EVERY,
        help_text=_("0: không nhắc lại sau lần đôn đốc cuối."),
    )
    repeat_limit = models.PositiveSmallIntegerField(
        _("số lần nhắc lại tối đa"),
        default=0,
        help_text=_("0: nhắc lại cho đến khi đơn vị gửi báo cáo hoặc kỳ đóng."),
    )
    is_active = models.BooleanField(_("đang bật"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lịch nhắc hạn")
        verbose_name_plural = _("lịch nhắc hạn")
        constraints = [
            models.CheckConstraint(
                name="reminder_schedule_repeat_bounded", condition=models.Q(repeat_every_days__lte=365)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.rule.describe()}"

    @property
    def rule(self) -> ScheduleRule:
        return ScheduleRule(
            days_before=tuple(self.days_before or ()),
            days_after=tuple(self.days_after or ()),
            repeat_every=self.repeat_every_days,
            repeat_limit=self.repeat_limit,
            active=self.is_active,
        )


class ReminderLog(models.Model):
    """One reminder sent: one row per step × agency × recipient.

    The unique constraint is what makes a step impossible to send twice to the same person, even when two runs of
    the job overlap: the second insert fails, its transaction (notification included) is rolled back, and the
    e-mail, queued for commit, never leaves."""

    cycle = models.ForeignKey(
        "reporting.ReportingCycle",
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.CASCADE,
        related_name="reminder_logs",
    )
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "reporting.AgencyReport",
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        related_name="reminder_logs",
    )
    due_date = models.DateField(_("hạn báo cáo khi gửi"))
    step_offset = models.SmallIntegerField(_("bước (số ngày so với hạn)"))
    step_day = models.DateField(_("ngày của bước"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # "user:<id>" for an account, "email:<address>" for an agency mailbox without an account; never NULL so the
    # unique constraint holds on every database.
    recipient_key = models.CharField(max_length=280)
    recipient_name = models.CharField(_("tên người nhận"), max_length=255)
    email = models.CharField(_("thư điện tử"), max_length=254, blank=True)
    report_state = models.CharField(_("trạng thái báo cáo khi gửi"), max_length=16)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    sent_at = models.DateTimeField(_("gửi lúc"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người bấm gửi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Trống: do lịch tự động (lệnh send_reminders)."),
    )
    is_demo = models.BooleanField(_("dữ liệu demo"), default=False)

    objects = ReminderLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký nhắc hạn")
        verbose_name_plural = _("nhật ký nhắc hạn")
        ordering = ["-sent_at", "agency__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "due_date", "step_offset", "agency", "recipient_key"],
                name="reminder_once_per_step_agency_recipient",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "agency", "-sent_at"], name="reminder_last_sent_idx")]

    def __str__(self) -> str:
        return f"{self.agency} — {self.step_offset:+d} — {self.recipient_name}"

    @property
    def step(self) -> Step:
        return Step(self.step_offset, self.step_day)

    @property
    def report_state_label(self) -> str:
        # local import: selectors.py imports these models
        from .selectors import STATES

        return str(STATES.get(self.report_state, self.report_state))


# "Kính gửi" of a letter to many agencies: their class, with the list in the letter's appendix (Decree 30 practice).
ADDRESSEE_CLASS = _("Các cơ quan, đơn vị (theo danh sách kèm theo)")


class UrgingLetter(TimeStampedModel):
    """An urging letter (công văn đôn đốc) for a cycle, edited in the app and exported as a Decree 30 DOCX.

    Every field printed in the letter is stored here, filled with defaults from data (plan, agencies, cycle) by
    ``urging_letter_prepare`` and edited by the coordinator before export."""

    cycle = models.ForeignKey(
        "reporting.ReportingCycle",
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.CASCADE,
        related_name="urging_letters",
    )
    sequence = models.PositiveSmallIntegerField(_("lần đôn đốc"))
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255)
    number = models.CharField(
        _("số"), max_length=20, blank=True, help_text=_("Để trống cho văn thư điền khi đăng ký văn bản.")
    )
    symbol = models.CharField(_("ký hiệu"), max_length=60, help_text=_("Ví dụ: SKHCN-QLKH"))
    place = models.CharField(_("địa danh"), max_length=80)
    letter_date = models.DateField(_("ngày ban hành"))
    subject = models.TextField(_("trích yếu (V/v)"))
    addressees = models.TextField(_("kính gửi"), help_text=_("Mỗi dòng một cơ quan, đơn vị."))
    body = models.TextField(_("nội dung"), help_text=_("Các đoạn cách nhau bởi một dòng trống."))
    new_deadline = models.DateField(_("hạn mới đề nghị gửi báo cáo"))
    signer_authority = models.CharField(
        _("thẩm quyền ký"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ: KT. GIÁM ĐỐC, TL. GIÁM ĐỐC; để trống nếu người đứng đầu ký."),
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    recipients = models.TextField(
        _("nơi nhận"), help_text=_("Mỗi dòng một nơi nhận; dòng cuối: “- Lưu: VT, …”.")
    )
    # What the dashboard said when the letter was prepared: [{"agency_id", "name", "state", "label"}].
    listed_agencies = models.JSONField(_("đơn vị chậm, chưa nộp khi soạn"), default=list, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người soạn"), on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(_("xuất tệp lần cuối"), null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xuất tệp"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = UrgingLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("công văn đôn đốc")
        verbose_name_plural = _("công văn đôn đốc")
        ordering = ["cycle", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "sequence"], name="urging_letter_unique_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.number_line} — {self.cycle}"

    @property
    def number_line(self) -> str:
        """ "Số: 123/SKHCN-QLKH", or with blanks for the registry to fill in ("Số:      /SKHCN-QLKH")."""
        return f"Số: {self.number or '     '}/{self.symbol}"

    def addressee_list(self) -> list[str]:
        return [
            line.strip().lstrip("-–• ").rstrip(";.,").strip()
            for line in self.addressees.splitlines()
            if line.strip().lstrip("-–• ").strip()
        ]

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    def paragraphs(self) -> list[str]:
        """The body split on blank lines; single line breaks inside a paragraph are kept as spaces."""
        blocks, current = [], []
        for line in self.body.splitlines():
            if line.strip():
                current.append(line.strip())
            elif current:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
        paragraphs = []
        for block in blocks:
            # A list ("- Sở A;") keeps one item per paragraph, as typed.
            if all(_LIST_ITEM.match(item) for item in block):
                paragraphs.extend(block)
            else:
                paragraphs.append(" ".join(block))
        return paragraphs


class TaskReminderLog(models.Model):
    """One reminder before (or the day after) a task's deadline sent: one row per task × agency × step × recipient.

    Like ``ReminderLog``, the unique constraint makes a step impossible to send twice for the same deadline, even
    when two runs overlap; the deadline is part of the key, so moving a task's deadline re-arms its reminders."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(
        "plans.Task", verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="reminder_logs"
    )
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("thời hạn nhiệm vụ khi gửi"))
    step_offset = models.SmallIntegerField(_("bước (số ngày so với thời hạn)"))
    step_day = models.DateField(_("ngày của bước"))
    state = models.CharField(_("tình trạng thời hạn khi gửi"), max_length=16)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_key = models.CharField(max_length=280)  # as ReminderLog.recipient_key
    recipient_name = models.CharField(_("tên người nhận"), max_length=255)
    email = models.CharField(_("thư điện tử"), max_length=254, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    sent_at = models.DateTimeField(_("gửi lúc"))

    class Meta:
        verbose_name = _("nhật ký nhắc thời hạn nhiệm vụ")
        verbose_name_plural = _("nhật ký nhắc thời hạn nhiệm vụ")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "agency", "deadline", "step_offset", "recipient_key"],
                name="task_reminder_once_per_step_agency_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} — {self.agency} — {self.step_offset:+d} — {self.recipient_name}"


class EscalationRecord(TimeStampedModel):
    """An escalation to the UBND tỉnh (the last grade of urging): the list of agencies still late or without a
    report after reminders and urging letters, with how many times each was reminded and urged, decided by a
    coordinator and exported as a Decree 30 letter (``escalation_docx.py``).

    ``listed`` keeps the rows as they stood when the decision was taken, so the document and the record never
    change when later reminders are sent."""

    cycle = models.ForeignKey(
        "reporting.ReportingCycle",
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.CASCADE,
        related_name="escalations",
    )
    agencies = models.ManyToManyField("orgs.Agency", verbose_name=_("đơn vị bị báo cáo"), related_name="+")
    # [{"agency_id", "name", "reason", "state_label", "reminders", "letters", "last_reminded"}]
    listed = models.JSONField(_("danh sách khi quyết định"), default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_date = models.DateField(_("ngày quyết định"))
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255)
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=60)
    place = models.CharField(_("địa danh"), max_length=80)
    addressee = models.CharField(_("kính gửi"), max_length=255)
    subject = models.TextField(_("trích yếu (V/v)"))
    body = models.TextField(_("nội dung"), help_text=_("Các đoạn cách nhau bởi một dòng trống."))
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"))
    is_demo = models.BooleanField(_("dữ liệu demo"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EscalationRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo đơn vị chậm, chưa báo cáo")
        verbose_name_plural = _("báo cáo đơn vị chậm, chưa báo cáo")
        ordering = ["cycle", "decision_date", "pk"]

    def __str__(self) -> str:
        return f"{self.number or '…'}/{self.symbol} — {self.cycle}"

    def paragraphs(self) -> list[str]:
        return [" ".join(block.split()) for block in re.split(r"\n\s*\n", self.body) if block.strip()]

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
