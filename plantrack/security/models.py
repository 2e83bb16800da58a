from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import AppendOnlyError, SecurityEventQuerySet


class SecurityAction(models.TextChoices):
    """What a security log row records. Other apps pass one of these values (plain strings are kept too)."""

    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOCKOUT = "lockout", _("Khóa đăng nhập tạm thời")
    UNLOCK = "unlock", _("Mở khóa đăng nhập")
    LOGOUT = "logout", _("Đăng xuất")
    API_TOKEN_ISSUED = "api_token_issued", _("Cấp mã truy cập API")
    API_TOKEN_REVOKED = "api_token_revoked", _("Thu hồi mã truy cập API")
    SESSION_EXPIRED = "session_expired", _("Hết phiên làm việc")
    SESSIONS_ENDED = "sessions_ended", _("Kết thúc các phiên đăng nhập")
    PASSWORD_CHANGED = "password_changed", _("Đổi mật khẩu")
    PASSWORD_SET_BY_ADMIN = "password_set", _("Quản trị đặt lại mật khẩu")
    PASSWORD_RESET_REQUESTED = "password_reset_asked", _("Yêu cầu đặt lại mật khẩu qua thư điện tử")
    PASSWORD_RESET_BY_LINK = "password_reset_link", _("Đặt lại mật khẩu qua thư điện tử")
    OTP_ENROLLED = "otp_enrolled", _("Bật xác thực hai bước")
    OTP_REMOVED = "otp_removed", _("Tắt xác thực hai bước")
    OTP_VERIFIED = "otp_verified", _("Xác thực hai bước thành công")
    OTP_FAILED = "otp_failed", _("Mã xác thực hai bước sai")
    PERMISSION_DENIED = "permission_denied", _("Từ chối truy cập")
    NOT_FOUND = "not_found", _("Đối tượng không có hoặc không được xem")
    USER_CREATED = "user_created", _("Tạo tài khoản")
    USER_CHANGED = "user_changed", _("Sửa tài khoản")
    ROLE_CHANGED = "role_changed", _("Đổi vai trò")
    USER_DEACTIVATED = "user_deactivated", _("Khóa tài khoản")
    USER_ACTIVATED = "user_activated", _("Mở lại tài khoản")
    USERS_IMPORTED = "users_imported", _("Nhập tài khoản từ tệp Excel")
    UPLOAD = "upload", _("Tải tệp lên")
    EXPORT = "export", _("Xuất dữ liệu")
    BACKUP = "backup", _("Sao lưu")
    RESTORE = "restore", _("Phục hồi")


class SecurityEvent(models.Model):
    """One row of the security log: who did what, when (stored in UTC), and from where.

    Append-only: the model refuses ``save()`` on an existing row and ``delete()``; the queryset refuses bulk
    ``update()``/``delete()``; the admin is read-only. ``actor`` keeps its id even if the user is later removed
    (no database constraint, no cascade), and ``actor_username`` keeps the name as it was at the time.
    """

    occurred_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("hành động"), max_length=40, db_index=True)
    target = models.CharField(_("đối tượng"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)
    path = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện an toàn thông tin")
        verbose_name_plural = _("nhật ký an toàn thông tin")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["action", "-occurred_at"], name="security_event_action_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_username}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The security log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The security log is append-only.")

    def get_action_display(self) -> str:
        try:
            return SecurityAction(self.action).label
        except ValueError:
            return self.action


class UserSession(models.Model):
    """Which server-side session belongs to which user, so that all of a user's sessions can be ended
    (deactivation, password change, an administrator's action) whatever the session backend."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tracked_sessions",
        verbose_name=_("người dùng"),
    )
    session_key = models.CharField(_("khóa phiên"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("bắt đầu"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
