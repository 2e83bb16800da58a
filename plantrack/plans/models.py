"""A plan as data: metadata, outline, targets, tasks with their assignments, and the reporting rule."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plantrack.core.models import TimeStampedModel
from plantrack.core.text import fold

from .querysets import PlanQuerySet, TaskQuerySet


class Plan(TimeStampedModel):
    number = models.CharField(_("số"), max_length=20)
    symbol = models.CharField(_("ký hiệu"), max_length=40)
    issuer = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="plans_issued",
    )
    place = models.CharField(_("địa danh"), max_length=80)
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.TextField(_("trích yếu"))
    # The department in charge of following the plan up (IV.2): its officers are the plan's coordinators.
    coordinator_agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("cơ quan theo dõi"),
        on_delete=models.PROTECT,
        related_name="plans_coordinated",
    )
    report_due_day = models.PositiveSmallIntegerField(_("ngày hạn báo cáo"), default=5)
    report_due_month = models.PositiveSmallIntegerField(_("tháng hạn báo cáo"), default=12)
    is_published = models.BooleanField(_("đã công bố"), default=True)

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number", "symbol"], name="plan_unique_number_per_issuer"
            ),
            models.CheckConstraint(
                name="plan_due_date_valid",
                condition=models.Q(
                    report_due_day__gte=1,
                    report_due_day__lte=31,
                    report_due_month__gte=1,
                    report_due_month__lte=12,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Kế hoạch {self.code}"

    @property
    def code(self) -> str:
        return f"{self.number}/{self.symbol}"


class ReferenceKind(models.TextChoices):
    IMPLEMENTS = "implements", _("Thực hiện")
    BASED_ON = "based_on", _("Căn cứ")


class PlanReference(models.Model):
    """A document the plan implements or rests on ("Quyết định số 709/QĐ-TTg ngày 23/7/2024")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="references")
    kind = models.CharField(_("loại"), max_length=16, choices=ReferenceKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    text = models.TextField(_("nội dung"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("văn bản căn cứ")
        verbose_name_plural = _("văn bản căn cứ")

    def __str__(self) -> str:
        return self.number


class PlanRecipient(models.Model):
    """One line of "Nơi nhận", with the agency or group it names when it names one."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recipients")
    text = models.CharField(_("nơi nhận"), max_length=255)
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, null=True, blank=True)
    group = models.ForeignKey("orgs.AgencyGroup", on_delete=models.PROTECT, null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")

    def __str__(self) -> str:
        return self.text


class OutlineNode(models.Model):
    """A heading or prose paragraph of the plan's outline (I., 1., a)). Tasks and targets are stored in their own
    tables and hang under the node whose code prefixes theirs."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outline")
    code = models.CharField(_("mã"), max_length=40)
    label = models.CharField(_("ký hiệu mục"), max_length=10)
    title = models.TextField(_("tiêu đề"), blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    depth = models.PositiveSmallIntegerField(default=0)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("mục")
        verbose_name_plural = _("mục lục")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="outline_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Comparator(models.TextChoices):
    APPROXIMATELY = "approximately", _("Khoảng")
    AT_LEAST = "at_least", _("Tối thiểu")
    AT_MOST = "at_most", _("Tối đa")
    RANGE = "range", _("Trong khoảng")
    YEARLY_GROWTH = "yearly_growth", _("Tăng hằng năm")
    PER_POPULATION = "per_population", _("Tỷ lệ trên dân số")
    COUNT_OVER_PERIOD = "count_over_period", _("Số lượng trong giai đoạn")
    COMPOUND = "compound", _("Chỉ tiêu ghép")
    QUALITATIVE = "qualitative", _("Định tính")


# How a qualitative target reads wherever targets are listed (set-up page, scorecard, plan page): one sentence.
QUALITATIVE_NOTE = _("Chỉ tiêu định tính — đánh giá bằng nhận xét")


class Target(TimeStampedModel):
    """A measured objective (chỉ tiêu). A compound line is a parent with comparator ``compound`` and parts."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="parts")
    code = models.CharField(_("mã"), max_length=40)
    text = models.TextField(_("nội dung"))
    short_name = models.CharField(_("tên ngắn"), max_length=160, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    comparator = models.CharField(_("so sánh"), max_length=24, choices=Comparator.choices)
    min_value = models.DecimalField(
        _("giá trị tối thiểu"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("giá trị tối đa"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    period_start_year = models.PositiveSmallIntegerField(_("từ năm"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("năm đích"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("năm gốc"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("giá trị năm gốc"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)
    # Set by an applied amendment that cancels the target (``plans.amendments``); the row stays, struck through.
    cancelled_by = models.ForeignKey(
        "Amendment",
        verbose_name=_("hủy theo văn bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancelled_targets",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_unique_code"),
            models.CheckConstraint(
                name="target_min_le_max",
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(min_value__lte=models.F("max_value")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.short_name or self.text[:60]}"

    @property
    def is_qualitative(self) -> bool:
        """Judged in words in the reports, not by a figure: no unit, formula or figures to set up."""
        return self.comparator == Comparator.QUALITATIVE

    @property
    def is_measured(self) -> bool:
        return self.comparator not in (Comparator.COMPOUND, Comparator.QUALITATIVE)


class TaskGroup(models.Model):
    """A group of tasks (III.1 … III.6)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="task_groups")
    code = models.CharField(_("mã"), max_length=20)
    title = models.TextField(_("tên nhóm nhiệm vụ"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("nhóm nhiệm vụ")
        verbose_name_plural = _("nhóm nhiệm vụ")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="taskgroup_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Recurrence(models.TextChoices):
    CONTINUOUS = "continuous", _("Thường xuyên")
    YEARLY = "yearly", _("Hằng năm")
    ONCE = "once", _("Có thời hạn")


class Task(TimeStampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    group = models.ForeignKey(
        TaskGroup, verbose_name=_("nhóm"), on_delete=models.PROTECT, related_name="tasks"
    )
    code = models.CharField(_("mã"), max_length=40, help_text=_("Đường dẫn mục lục, ví dụ III.2.b.1"))
    heading = models.TextField(_("đề mục giao việc"), blank=True)
    text = models.TextField(_("nội dung"))
    recurrence = models.CharField(
        _("tính chất"), max_length=16, choices=Recurrence.choices, default=Recurrence.CONTINUOUS
    )
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    # What the plan says the task delivers ("Sản phẩm" column of an appendix table), as written.
    product = models.TextField(_("sản phẩm"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    search_text = models.TextField(editable=False, blank=True)
    # Set by an applied amendment that cancels the task (``plans.amendments``): from ``cancelled_on`` nobody owes
    # it any more (``responsibility.PlanResponsibility``), but the row stays, struck through on the plan page, and
    # the reports that answered for it keep their entries.
    cancelled_by = models.ForeignKey(
        "Amendment",
        verbose_name=_("hủy theo văn bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancelled_tasks",
    )
    cancelled_on = models.DateField(_("hủy từ ngày"), null=True, blank=True)

    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_unique_code"),
            models.CheckConstraint(
                name="task_deadline_only_when_once",
                condition=models.Q(deadline__isnull=True) | models.Q(recurrence="once"),
            ),
            models.CheckConstraint(
                name="task_cancelled_has_date",
                condition=models.Q(cancelled_by__isnull=True, cancelled_on__isnull=True)
                | models.Q(cancelled_by__isnull=False, cancelled_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.text}")
        super().save(*args, **kwargs)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COORDINATE = "coordinate", _("Phối hợp")


class Assignment(models.Model):
    """Who owes a task: one agency, one group (every member), or an unnamed set as written ("các cơ quan liên
    quan"). ``related_only`` marks "… liên quan": only the related members of the group, so it is not expanded."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=16, choices=AssignmentRole.choices)
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    group = models.ForeignKey(
        "orgs.AgencyGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    related_only = models.BooleanField(_("chỉ các đơn vị liên quan"), default=False)
    as_written = models.CharField(_("tên như trong văn bản"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "role", "order"]
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.CheckConstraint(
                name="assignment_role_valid", condition=models.Q(role__in=["lead", "coordinate"])
            ),
            models.CheckConstraint(
                name="assignment_agency_xor_group",
                condition=~(models.Q(agency__isnull=False) & models.Q(group__isnull=False)),
            ),
            models.CheckConstraint(
                name="assignment_names_someone",
                condition=models.Q(agency__isnull=False)
                | models.Q(group__isnull=False)
                | ~models.Q(as_written=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.get_role_display()}: {self.display_name}"

    @property
    def display_name(self) -> str:
        if self.agency_id:
            return self.agency.name
        if self.group_id:
            return f"{self.group.name} liên quan" if self.related_only else self.group.name
        return self.as_written

    @property
    def is_group(self) -> bool:
        return self.agency_id is None


class DutyKind(models.TextChoices):
    IMPLEMENT = "implement", _("Tổ chức thực hiện")
    REPORT = "report", _("Báo cáo định kỳ")
    MONITOR = "monitor", _("Theo dõi, đôn đốc")


class PlanDuty(models.Model):
    """A duty of section IV ("Tổ chức thực hiện"): who reports to whom and when, who monitors."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="duties")
    code = models.CharField(_("mã"), max_length=20)
    kind = models.CharField(_("loại"), max_length=16, choices=DutyKind.choices)
    text = models.TextField(_("nội dung"))
    who_text = models.CharField(_("chủ thể (như văn bản)"), max_length=255)
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    groups = models.ManyToManyField("orgs.AgencyGroup", blank=True, related_name="+")
    recipient = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("gửi về"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_text = models.CharField(_("gửi về (như văn bản)"), max_length=255, blank=True)
    due_day = models.PositiveSmallIntegerField(null=True, blank=True)
    due_month = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("trách nhiệm tổ chức thực hiện")
        verbose_name_plural = _("trách nhiệm tổ chức thực hiện")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="duty_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.who_text}"

    @property
    def due_display(self) -> str:
        if self.due_day and self.due_month:
            return f"{self.due_day:02d}/{self.due_month:02d}"
        return ""


class ReportingPeriod(models.TextChoices):
    """The periods of a periodic reporting regime (chế độ báo cáo định kỳ)."""

    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")


# Months in one period of each kind; the first period of a year ends in this month.
PERIOD_MONTHS = {
    ReportingPeriod.MONTHLY: 1,
    ReportingPeriod.QUARTERLY: 3,
    ReportingPeriod.HALF_YEARLY: 6,
    ReportingPeriod.YEARLY: 12,
}


class ReportingRegime(models.Model):
    """One periodic regime of a plan: "báo cáo 6 tháng trước ngày 15/6 và 15/12", "hằng năm trước ngày 05/12".

    A period's report is due on ``due_day`` of the month ``due_month_offset`` months after the period's last month
    (0: the same month; 1: the month after; negative: before the period ends, as "hằng năm, trước 05/12" is not —
    05/12 is in the last month, offset 0). ``reporting.regimes`` turns a regime into the cycles of a year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="regimes")
    period = models.CharField(_("kỳ"), max_length=16, choices=ReportingPeriod.choices)
    due_day = models.PositiveSmallIntegerField(_("ngày hạn báo cáo"))
    due_month_offset = models.SmallIntegerField(_("tháng hạn (so với tháng cuối kỳ)"), default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="regime_one_per_plan_period"),
            models.CheckConstraint(
                name="regime_period_valid",
                condition=models.Q(period__in=["monthly", "quarterly", "half_yearly", "yearly"]),
            ),
            models.CheckConstraint(
                name="regime_due_valid",
                condition=models.Q(
                    due_day__gte=1, due_day__lte=31, due_month_offset__gte=-11, due_month_offset__lte=12
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code}: {self.get_period_display()} ({self.due_display})"

    @property
    def due_month(self) -> int:
        """The calendar month of the first period's due date (6 for "15/6 and 15/12"), as the plan writes it;
        13 and more fall in the next year."""
        return PERIOD_MONTHS[self.period] + self.due_month_offset

    @property
    def due_display(self) -> str:
        month = (self.due_month - 1) % 12 + 1
        return f"{self.due_day:02d}/{month:02d}"


class AmendmentState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    APPLIED = "applied", _("Đã áp dụng")


class Amendment(TimeStampedModel):
    """A later document that amends a plan ("Kế hoạch số 120/KH-UBND ngày 02/6/2026 sửa đổi, bổ sung …"): a list of
    changes (``AmendmentChange``) applied together from ``effective_on``. Written only through
    ``plans.amendments``; design: docs/design/plan-amendments.md."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    title = models.TextField(_("trích yếu"))
    effective_on = models.DateField(_("hiệu lực từ ngày"))
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=AmendmentState.choices, default=AmendmentState.DRAFT
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(_("áp dụng lúc"), null=True, blank=True)
    applied_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What applying did outside the changed rows (reports and entries added, entries closed, task texts kept):
    # exactly what undoing must take back. Empty while a draft.
    effects = models.JSONField(_("tác động"), default=dict, blank=True)

    class Meta:
        verbose_name = _("văn bản sửa đổi, bổ sung kế hoạch")
        verbose_name_plural = _("văn bản sửa đổi, bổ sung kế hoạch")
        ordering = ["plan", "effective_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="amendment_unique_number_per_plan"),
            models.CheckConstraint(
                name="amendment_state_valid", condition=models.Q(state__in=["draft", "applied"])
            ),
            models.CheckConstraint(
                name="amendment_applied_has_time",
                condition=models.Q(state="draft") | models.Q(applied_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """ "Kế hoạch số 120/KH-UBND ngày 02/06/2026" — how the plan page and closed entries cite it."""
        return _("Kế hoạch số %(n)s ngày %(d)s") % {
            "n": self.number,
            "d": self.issued_on.strftime("%d/%m/%Y"),
        }

    @property
    def is_applied(self) -> bool:
        return self.state == AmendmentState.APPLIED


class ChangeKind(models.TextChoices):
    TASK_ADD = "task_add", _("Bổ sung nhiệm vụ")
    TASK_CHANGE = "task_change", _("Sửa đổi nhiệm vụ")
    TASK_CANCEL = "task_cancel", _("Bãi bỏ nhiệm vụ")
    TARGET_ADD = "target_add", _("Bổ sung chỉ tiêu")
    TARGET_CHANGE = "target_change", _("Sửa đổi chỉ tiêu")
    TARGET_CANCEL = "target_cancel", _("Bãi bỏ chỉ tiêu")


TASK_KINDS = (ChangeKind.TASK_ADD, ChangeKind.TASK_CHANGE, ChangeKind.TASK_CANCEL)


class AmendmentChange(models.Model):
    """One change of an amendment. ``payload`` holds the new values as entered (task: ``group``, ``code``,
    ``text``, ``deadline`` ISO date or null, ``leads``/``coordinates`` agency ids; target: ``code``, ``text``,
    ``unit``, ``comparator``, ``min_value``, ``max_value``, ``target_year``), only the keys that change;
    ``before`` the values the change replaced, written when applied and read back by undo. A task or target
    added by the change is linked here once applied."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("loại thay đổi"), max_length=16, choices=ChangeKind.choices)
    task = models.ForeignKey(
        Task,
        verbose_name=_("nhiệm vụ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment_changes",
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("chỉ tiêu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment_changes",
    )
    payload = models.JSONField(_("nội dung"), default=dict, blank=True)
    before = models.JSONField(_("trước khi sửa"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("nội dung sửa đổi")
        verbose_name_plural = _("nội dung sửa đổi")
        ordering = ["amendment", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="amendmentchange_kind_valid",
                condition=models.Q(
                    kind__in=[
                        "task_add",
                        "task_change",
                        "task_cancel",
                        "target_add",
                        "target_change",
                        "target_cancel",
                    ]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_code}"

    @property
    def subject_code(self) -> str:
        if self.task_id:
            return self.task.code
        if self.target_id:
            return self.target.code
        return self.payload.get("code", "")


# The import drafts live with the import code (plans/importing/); importing them here registers them with the app.
from .importing.models import DraftStatus, JobState, PlanImportDraft, PlanImportJob  # noqa: E402, F401
