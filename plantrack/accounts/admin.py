from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plantrack.security.context import current_request

from . import services
from .models import User


class PasswordSetByAdminForm(AdminPasswordChangeForm):
    """The admin's "change password" form for another user: the user must choose their own at next login."""

    def save(self, commit=True):
        request = current_request.get()
        actor = getattr(request, "user", None)
        if actor is not None and actor.pk == self.user.pk:
            return super().save(commit=commit)  # an administrator changing their own password
        services.user_password_set_by_admin(
            actor=actor, user=self.user, new_password=self.cleaned_data["password1"], request=request
        )
        return self.user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = PasswordSetByAdminForm
    list_display = (
        "username",
        "full_name",
        "role",
        "agency",
        "is_active",
        "last_login",
        "must_change_password",
    )
    list_filter = ("role", "is_active", "is_staff", "is_demo", "must_change_password")
    search_fields = ("username", "full_name", "email", "agency__name")
    list_select_related = ("agency",)
    autocomplete_fields = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin"), {"fields": ("full_name", "email", "phone", "office_code", "agency", "role")}),
        (
            _("Trạng thái"),
            {
                "fields": (
                    "is_active",
                    "must_change_password",
                    "is_demo",
                    "last_login",
                    "password_changed_at",
                    "date_joined",
                )
            },
        ),
        (
            _("Quyền quản trị Django"),
            {"classes": ("collapse",), "fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "agency",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "password_changed_at", "date_joined", "is_demo")
    actions = ["end_sessions", "lockout_reset", "otp_reset", "deactivate"]

    def save_model(self, request, obj, form, change):
        before = services.user_admin_snapshot(obj) if change else {}
        if not change:
            obj.must_change_password = settings.PASSWORD_FORCE_CHANGE
        super().save_model(request, obj, form, change)
        obj._plantrack_admin_before = before

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        services.user_account_record_admin_change(
            actor=request.user,
            user=obj,
            created=not change,
            changed_fields=list(form.changed_data),
            before=getattr(obj, "_plantrack_admin_before", {}),
            request=request,
        )

    @admin.action(description=_("Kết thúc mọi phiên đăng nhập"))
    def end_sessions(self, request, queryset):
        total = sum(
            services.user_sessions_end_by_admin(actor=request.user, user=user, request=request)
            for user in queryset
        )
        self.message_user(
            request,
            ngettext("Đã kết thúc %d phiên.", "Đã kết thúc %d phiên.", total) % total,
            messages.SUCCESS,
        )

    @admin.action(description=_("Mở khóa đăng nhập (sau nhiều lần nhập sai)"))
    def lockout_reset(self, request, queryset):
        for user in queryset:
            services.user_lockout_reset(actor=request.user, user=user, request=request)
        self.message_user(request, _("Đã mở khóa đăng nhập."), messages.SUCCESS)

    @admin.action(description=_("Tắt xác thực hai bước (mất điện thoại)"))
    def otp_reset(self, request, queryset):
        for user in queryset:
            services.user_otp_remove(actor=request.user, user=user, request=request)
        self.message_user(request, _("Đã tắt xác thực hai bước."), messages.SUCCESS)

    @admin.action(description=_("Khóa tài khoản (kết thúc các phiên)"))
    def deactivate(self, request, queryset):
        for user in queryset.exclude(pk=request.user.pk):
            services.user_deactivate(actor=request.user, user=user, request=request)
        self.message_user(request, _("Đã khóa các tài khoản đã chọn."), messages.SUCCESS)
