"""Indicators behind targets: how each is measured, who provides it, and its yearly figures.

A target (``plans.Target``) says what the plan wants; an :class:`IndicatorDefinition` says how it is measured.
A *direct* indicator has its yearly figure typed in. A *computed* one is derived from the figures of its
:class:`IndicatorComponent` rows through a formula (``formula.py``), every time it is read: the derived value is
never stored, so it can never disagree with its inputs, and nobody types it twice.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plantrack.core.models import TimeStampedModel

from .querysets import IndicatorDefinitionQuerySet, YearlyFigureQuerySet
from .status import Assessment, Direction


class ValueType(models.TextChoices):
    DECIMAL = "decimal", _("Số thập phân")
    INTEGER = "integer", _("Số nguyên")
    PERCENT = "percent", _("Tỷ lệ phần trăm (0–100)")


class IndicatorKind(models.TextChoices):
    DIRECT = "direct", _("Nhập trực tiếp")
    COMPUTED = "computed", _("Tính từ thành phần")


class DirectionChoice(models.TextChoices):
    UP = Direction.UP.value, _("Càng cao càng tốt")
    DOWN = Direction.DOWN.value, _("Càng thấp càng tốt")
    BAND = Direction.BAND.value, _("Phải nằm trong khoảng")


class AssessmentChoice(models.TextChoices):
    END_STATE = Assessment.END_STATE.value, _("Đạt vào năm đích, theo lộ trình")
    EACH_YEAR = Assessment.EACH_YEAR.value, _("Đánh giá riêng từng năm")
    CUMULATIVE = Assessment.CUMULATIVE.value, _("Cộng dồn trong giai đoạn")


class SeriesRules(models.Model):
    """What a typed-in series accepts: shared by direct indicators and components."""

    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    value_type = models.CharField(
        _("kiểu giá trị"), max_length=16, choices=ValueType.choices, default=ValueType.DECIMAL
    )
    min_allowed = models.DecimalField(
        _("giá trị nhỏ nhất cho phép"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    max_allowed = models.DecimalField(
        _("giá trị lớn nhất cho phép"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    jump_threshold_percent = models.DecimalField(
        _("ngưỡng biến động (%)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Số liệu thay đổi so với năm trước quá tỷ lệ này thì phải ghi giải trình. Để trống: không kiểm tra."
        ),
    )

    class Meta:
        abstract = True

    @property
    def allowed_range(self) -> tuple[Decimal | None, Decimal | None]:
        low, high = self.min_allowed, self.max_allowed
        if self.value_type == ValueType.PERCENT:
            low = Decimal(0) if low is None else low
            high = Decimal(100) if high is None else high
        return low, high


class IndicatorDefinition(TimeStampedModel, SeriesRules):
    target = models.OneToOneField(
        "plans.Target", verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="indicator"
    )
    kind = models.CharField(
        _("cách có số liệu"), max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.DIRECT
    )
    formula = models.CharField(
        _("công thức"),
        max_length=200,
        blank=True,
        help_text=_(
            "Chỉ dùng tên thành phần, số, + - * / và prev(tên) cho số liệu năm trước. "
            "Ví dụ: nhan_luc / dan_so * 10000"
        ),
    )
    provider = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("cơ quan cung cấp số liệu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators_provided",
    )
    direction = models.CharField(
        _("chiều đánh giá"), max_length=8, choices=DirectionChoice.choices, default=DirectionChoice.UP
    )
    assessment = models.CharField(
        _("cách đánh giá"),
        max_length=16,
        choices=AssessmentChoice.choices,
        default=AssessmentChoice.END_STATE,
    )
    tolerance_percent = models.DecimalField(
        _('sai lệch cho phép với chỉ tiêu "khoảng" (%)'), max_digits=6, decimal_places=2, default=Decimal(5)
    )
    at_risk_margin_percent = models.DecimalField(
        _('biên "có nguy cơ" (%)'),
        max_digits=6,
        decimal_places=2,
        default=Decimal(10),
        help_text=_(
            'Chậm so với lộ trình không quá tỷ lệ này của quãng đường thì là "có nguy cơ", quá thì là "chậm".'
        ),
    )
    baseline_year = models.PositiveSmallIntegerField(_("năm gốc"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("giá trị năm gốc"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    decimal_places = models.PositiveSmallIntegerField(_("số chữ số thập phân khi hiển thị"), default=1)
    method_note = models.TextField(_("ghi chú phương pháp, nguồn số liệu"), blank=True)
    # The department's milestones by year ("lộ trình"): [{"year": 2025, "value": "43"}, …], sorted by year; the
    # path a target is judged against goes through them (indicators.status.path_value).
    milestones = models.JSONField(_("mốc lộ trình theo năm"), default=list, blank=True)

    history = HistoricalRecords()
    objects = IndicatorDefinitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("định nghĩa chỉ tiêu")
        verbose_name_plural = _("định nghĩa chỉ tiêu")
        ordering = ["target__plan", "target__order"]
        constraints = [
            models.CheckConstraint(
                name="indicator_formula_iff_computed",
                condition=(models.Q(kind="computed") & ~models.Q(formula=""))
                | (models.Q(kind="direct") & models.Q(formula="")),
            ),
            models.CheckConstraint(
                name="indicator_allowed_range_ordered",
                condition=models.Q(min_allowed__isnull=True)
                | models.Q(max_allowed__isnull=True)
                | models.Q(min_allowed__lte=models.F("max_allowed")),
            ),
            models.CheckConstraint(
                name="indicator_baseline_complete",
                condition=models.Q(baseline_year__isnull=True, baseline_value__isnull=True)
                | models.Q(baseline_year__isnull=False, baseline_value__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.target)

    def formula_in_words(self) -> str:
        """The formula with the components' labels and × ÷ (see ``formula.formula_words``)."""
        from .formula import formula_words

        return formula_words(self.formula, labels={c.name: c.label for c in self.components.all()})

    @property
    def is_computed(self) -> bool:
        return self.kind == IndicatorKind.COMPUTED

    @property
    def milestone_pairs(self) -> tuple[tuple[int, Decimal], ...]:
        """The milestones as ``((year, value), …)`` sorted by year."""
        return tuple(sorted((int(m["year"]), Decimal(str(m["value"]))) for m in self.milestones or ()))

    @property
    def name(self) -> str:
        return self.target.short_name or self.target.text


class IndicatorComponent(SeriesRules):
    """One input of a computed indicator ("nhân lực R&D có trình độ sau đại học", "dân số trung bình")."""

    definition = models.ForeignKey(IndicatorDefinition, on_delete=models.CASCADE, related_name="components")
    name = models.SlugField(
        _("tên trong công thức"),
        max_length=40,
        help_text=_("Chữ thường không dấu và dấu gạch dưới, ví dụ dan_so"),
    )
    label = models.CharField(_("tên thành phần"), max_length=255)
    provider = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("cơ quan cung cấp số liệu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_components_provided",
        help_text=_("Để trống: cơ quan cung cấp số liệu của chỉ tiêu."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành phần của chỉ tiêu")
        verbose_name_plural = _("thành phần của chỉ tiêu")
        ordering = ["definition", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "name"], name="component_unique_name"),
            models.CheckConstraint(
                name="component_allowed_range_ordered",
                condition=models.Q(min_allowed__isnull=True)
                | models.Q(max_allowed__isnull=True)
                | models.Q(min_allowed__lte=models.F("max_allowed")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition.target.code} · {self.label}"

    @property
    def provider_id_effective(self) -> int | None:
        return self.provider_id or self.definition.provider_id


class YearlyFigure(TimeStampedModel):
    """One typed-in figure: the value of a direct indicator, or of one component of a computed one, for a year."""

    definition = models.ForeignKey(
        IndicatorDefinition, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="figures"
    )
    component = models.ForeignKey(
        IndicatorComponent,
        verbose_name=_("thành phần"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="figures",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4)
    source_note = models.CharField(_("nguồn số liệu"), max_length=500, blank=True)
    explanation = models.TextField(_("giải trình biến động"), blank=True)
    # The agency the figure came from (the provider when it was entered), kept for provenance.
    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("cơ quan cung cấp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A figure typed into a report lives and dies with it (reports are never deleted in the workflow; removing the
    # demo cycle removes the figures a visitor typed into its reports).
    report = models.ForeignKey(
        "reporting.AgencyReport",
        verbose_name=_("từ báo cáo"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="figures",
    )
    # Demo figures of `make run` are labelled wherever they show and removed by `manage.py indicators_demo --remove`.
    is_demo = models.BooleanField(_("số liệu demo"), default=False)

    history = HistoricalRecords()
    objects = YearlyFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu năm")
        verbose_name_plural = _("số liệu năm")
        ordering = ["definition_id", "component_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "year"],
                condition=models.Q(component__isnull=True),
                name="figure_one_per_indicator_year",
            ),
            models.UniqueConstraint(
                fields=["component", "year"],
                condition=models.Q(component__isnull=False),
                name="figure_one_per_component_year",
            ),
            models.CheckConstraint(
                name="figure_year_plausible", condition=models.Q(year__gte=1990, year__lte=2100)
            ),
        ]

    def __str__(self) -> str:
        what = self.component.label if self.component_id else self.definition.target.code
        return f"{what} {self.year}: {self.value}"
