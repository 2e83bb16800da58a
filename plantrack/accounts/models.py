from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plantrack.core.text import fold


class Role(models.TextChoices):
    REPORTER = "reporter", _("Chuyên viên")
    HEAD = "head", _("Lãnh đạo đơn vị")
    COORDINATOR = "coordinator", _("Điều phối")
    VIEWER = "viewer", _("Xem")
    ADMIN = "admin", _("Quản trị")


AGENCY_ROLES = (Role.REPORTER, Role.HEAD)  # the roles that belong to an agency and write its reports


class User(AbstractUser):
    """A person who logs in. Belongs to one agency with one role (PRODUCT.md §2)."""

    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    # Printed in documents the person drafts: the contact line of an urging letter, the drafting unit of its
    # symbol ("SKHCN-QLKH") and of "Lưu: VT, QLKH." (Decree 30).
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    office_code = models.CharField(
        _("đơn vị soạn thảo (viết tắt)"),
        max_length=20,
        blank=True,
        help_text=_("Chữ viết tắt phòng, đơn vị của người dùng trong cơ quan, ví dụ QLKH."),
    )
    is_demo = models.BooleanField(_("tài khoản demo"), default=False)
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu"),
        default=False,
        help_text=_(
            "Người dùng phải đặt mật khẩu mới ở lần đăng nhập tới (tài khoản do quản trị tạo hoặc đặt lại)."
        ),
    )
    password_changed_at = models.DateTimeField(
        _("đổi mật khẩu lần cuối"), null=True, blank=True, editable=False
    )
    # Folded user name, full name and e-mail, for the account list's search (core.search.filter_words).
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                name="user_agency_roles_have_agency",
                condition=~models.Q(role__in=["reporter", "head", "coordinator"])
                | models.Q(agency__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def refresh_search_text(self) -> None:
        self.search_text = " | ".join(fold(n) for n in (self.username, self.full_name, self.email) if n)

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"username", "full_name", "email"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        # set_password() leaves the raw password in _password until the save; that is when it really changed.
        if self._password is not None:
            self.password_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "password" in update_fields:
                kwargs["update_fields"] = {*update_fields, "password_changed_at"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    # Single-row facts about the role; the rules built on them (active, of which agency or plan) live in
    # accounts.permissions.
    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_agency_member(self) -> bool:
        return self.role in AGENCY_ROLES and self.agency_id is not None


class MembershipQuerySet(models.QuerySet):
    def valid_on(self, day) -> "MembershipQuerySet":
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class Membership(models.Model):
    """A role a user holds besides the primary one on ``User`` (agency + role): the department's coordinator who
    is also its reporter, a head who acts for a second agency.

    ``User.agency``/``User.role`` stay the primary membership (the one the account list, the import sheet and
    organisation changes speak about); these rows only add to it, and ``accounts.permissions`` answers every rule
    from the union of both. A coordinator membership may be narrowed to one plan of its department."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="extra_memberships",
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("kế hoạch"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Chỉ với vai trò Điều phối: giới hạn ở một kế hoạch của đơn vị."),
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("vai trò thêm")
        verbose_name_plural = _("vai trò thêm")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="membership_role_is_agency_role",
                condition=models.Q(role__in=["reporter", "head", "coordinator"]),
            ),
            models.CheckConstraint(
                name="membership_plan_only_for_coordinator",
                condition=models.Q(plan__isnull=True) | models.Q(role="coordinator"),
            ),
            models.CheckConstraint(
                name="membership_dates_ordered",
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_to")),
            ),
            models.UniqueConstraint(name="membership_unique_role", fields=["user", "agency", "role", "plan"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"
