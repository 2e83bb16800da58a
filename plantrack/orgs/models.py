"""The agency registry: agencies, their names, groups of agencies and succession records."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plantrack.core.models import TimeStampedModel
from plantrack.core.text import fold, vi_sort_string

from .querysets import AgencyQuerySet, GroupMembershipQuerySet


class AgencyKind(models.TextChoices):
    CENTRAL = "central", _("Cơ quan trung ương")
    PROVINCIAL_COMMITTEE = "provincial_committee", _("UBND cấp tỉnh")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
    DISTRICT_COMMITTEE = "district_committee", _("UBND cấp huyện")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND cấp xã")
    PARTY = "party", _("Cơ quan Đảng")
    FRONT = "front", _("Mặt trận Tổ quốc")
    SOCIO_POLITICAL = "socio_political", _("Tổ chức chính trị - xã hội")
    PRESS = "press", _("Cơ quan báo chí")
    UNIVERSITY = "university", _("Trường đại học, cao đẳng")
    OTHER = "other", _("Khác")


class Agency(TimeStampedModel):
    """Any body that can be assigned a task. A renamed or merged agency is a new row linked by succession, so
    a plan written in 2024 keeps the name it used."""

    name = models.CharField(_("tên chính thức"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    abbreviations = models.CharField(
        _("viết tắt"),
        max_length=255,
        blank=True,
        help_text=_("Cách nhau bởi dấu chấm phẩy, ví dụ: SKHCN; Sở KH&CN"),
    )
    kind = models.CharField(_("loại"), max_length=32, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Folded copy of every name the agency goes by; kept up to date by save() and alias saves.
    search_text = models.TextField(editable=False, blank=True, db_index=False)
    # The name's Vietnamese collation key (core.text.vi_sort_string): lists sorted in SQL read it, so "Đài …" comes
    # after "Dân …" and "Ủy ban …" before "Văn phòng …" on SQLite and PostgreSQL alike.
    sort_key = models.TextField(editable=False, blank=True, default="", db_default="")

    history = HistoricalRecords()
    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "valid_from"], name="agency_unique_name_per_validity"),
            models.CheckConstraint(
                name="agency_valid_range",
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_short(self) -> str:
        return self.short_name or self.name

    def abbreviation_list(self) -> list[str]:
        return [a.strip() for a in self.abbreviations.split(";") if a.strip()]

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def all_names(self) -> list[str]:
        names = [self.name, self.short_name, *self.abbreviation_list()]
        if self.pk:
            names += [alias.name for alias in self.aliases.all()]
        return [n for n in names if n]

    def refresh_search_text(self, extra_names: tuple[str, ...] = ()) -> None:
        """The derived text columns: what search matches and the name's collation key (bulk inserts call this,
        since they skip ``save()``)."""
        self.search_text = " | ".join(dict.fromkeys(fold(n) for n in [*self.all_names(), *extra_names]))
        self.sort_key = vi_sort_string(self.name)

    def save(self, *args, extra_names: tuple[str, ...] = (), **kwargs):
        """``extra_names``: aliases about to be created with a new agency, so it is written once."""
        self.refresh_search_text(extra_names)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields and "sort_key" not in fields:
            kwargs["update_fields"] = [*fields, "sort_key"]
        super().save(*args, **kwargs)


class AgencyAlias(models.Model):
    """Another name an agency goes by in documents ("Sở Khoa học và công nghệ", "SKHCN")."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("tên gọi khác"), max_length=255)
    folded = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("tên gọi khác")
        verbose_name_plural = _("tên gọi khác")
        constraints = [models.UniqueConstraint(fields=["agency", "folded"], name="alias_unique_per_agency")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.folded = fold(self.name)
        super().save(*args, **kwargs)
        self.agency.save(update_fields=["search_text", "updated_at"])


class SuccessionKind(models.TextChoices):
    MERGE_INTO = "merge_into", _("Sáp nhập vào")
    MERGE_NEW = "merge_new", _("Hợp nhất thành")
    RENAME = "rename", _("Đổi tên thành")
    SPLIT = "split", _("Chia tách thành")
    DISSOLVE = "dissolve", _("Giải thể")
    # A body that was merged away and later set up again takes its old duties back (Sở Ngoại vụ, 2025).
    REESTABLISH = "reestablish", _("Tái lập")


class OrgChange(TimeStampedModel):
    """One organisation change as an administrator records it: a merge, rename, split, dissolution or
    re-establishment, with its legal basis. Its edges are the Succession rows; ``effects`` lists what applying
    it changed, so that it can be undone exactly while nothing depends on it."""

    kind = models.CharField(_("loại thay đổi"), max_length=16, choices=SuccessionKind.choices)
    effective_date = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(_("căn cứ pháp lý (số, ký hiệu)"), max_length=255, blank=True)
    legal_basis_date = models.DateField(_("ngày của căn cứ"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    date_is_uncertain = models.BooleanField(_("ngày hiệu lực chưa được xác nhận"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(_("đã hoàn tác lúc"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    effects = models.JSONField(default=dict, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thay đổi tổ chức")
        verbose_name_plural = _("thay đổi tổ chức")
        ordering = ["effective_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.effective_date:%d/%m/%Y})"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None


class Succession(TimeStampedModel):
    """One edge of an organisation change: ``predecessor`` passes its duties to ``successor`` from
    ``effective_date``. A dissolution has no successor; a split has one row per successor."""

    predecessor = models.ForeignKey(
        Agency, verbose_name=_("cơ quan cũ"), on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan kế thừa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successions_in",
    )
    # Duties passed to a set of bodies that is itself dated ("UBND các xã, phường" after the district level ended).
    successor_group = models.ForeignKey(
        "AgencyGroup",
        verbose_name=_("nhóm kế thừa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successions_in",
    )
    change = models.ForeignKey(
        OrgChange, on_delete=models.CASCADE, null=True, blank=True, related_name="successions"
    )
    kind = models.CharField(_("loại thay đổi"), max_length=16, choices=SuccessionKind.choices)
    effective_date = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế thừa")
        verbose_name_plural = _("kế thừa")
        ordering = ["effective_date", "predecessor__name"]
        constraints = [
            models.CheckConstraint(
                name="succession_one_successor_unless_dissolved",
                condition=models.Q(kind="dissolve", successor__isnull=True, successor_group__isnull=True)
                | (
                    ~models.Q(kind="dissolve")
                    & models.Q(successor__isnull=False, successor_group__isnull=True)
                )
                | (
                    ~models.Q(kind="dissolve")
                    & models.Q(successor__isnull=True, successor_group__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="succession_not_self", condition=~models.Q(predecessor=models.F("successor"))
            ),
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_date"], name="succession_unique_edge"
            ),
        ]

    def __str__(self) -> str:
        target = (
            self.successor.name
            if self.successor_id
            else (self.successor_group.name if self.successor_group_id else "—")
        )
        return f"{self.predecessor} → {target} ({self.effective_date:%d/%m/%Y})"


class AgencyGroup(TimeStampedModel):
    """A named set of agencies ("Các sở, ban, ngành"). A task assigned to a group means each member on the date
    that matters; membership therefore carries validity dates."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên nhóm"), max_length=255, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    members = models.ManyToManyField(Agency, through="GroupMembership", related_name="agency_groups")
    search_text = models.TextField(editable=False, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhóm cơ quan")
        verbose_name_plural = _("nhóm cơ quan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(self.name)
        super().save(*args, **kwargs)


class GroupMembership(models.Model):
    group = models.ForeignKey(AgencyGroup, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên nhóm")
        verbose_name_plural = _("thành viên nhóm")
        constraints = [
            models.UniqueConstraint(fields=["group", "agency", "valid_from"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group} ∋ {self.agency}"
