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
    # Recorded by other apps (orgs, plans): named here so the log shows words, not codes.
    AGENCIES_IMPORTED = "agencies_imported", _("Nạp danh mục cơ quan")
    ORG_CHANGE_APPLIED = "org_change_applied", _("Áp dụng thay đổi tổ chức")
    ORG_CHANGE_UNDONE = "org_change_undone", _("Hoàn tác thay đổi tổ chức")
    PLAN_PUBLISHED = "plan_published", _("Công bố kế hoạch")
    TASK_DEADLINE_CHANGED = "task_deadline_changed", _("Đổi thời hạn nhiệm vụ")


# The words for the keys of ``SecurityEvent.detail`` (a key not listed is shown as it is).
DETAIL_LABELS = {
    "plan": _("kế hoạch (mã số)"),
    "replaced": _("số dòng thay thế"),
    "task": _("nhiệm vụ (mã số)"),
    "deadline": _("thời hạn"),
    "evidence": _("tệp minh chứng (mã số)"),
    "size": _("dung lượng (byte)"),
    "content_type": _("loại tệp"),
    "format": _("định dạng"),
    "change": _("thay đổi tổ chức (mã số)"),
    "moved_users": _("số tài khoản chuyển đơn vị"),
    "moved_extra_roles": _("số vai trò thêm chuyển sang cơ quan kế thừa"),
    "ended_extra_roles": _("số vai trò thêm chấm dứt"),
    "created": _("số mục thêm"),
    "skipped": _("số mục bỏ qua"),
    "run": _("lần tạo (mã số)"),
    "stage": _("bước"),
    "expiry": _("hết hạn"),
    "username": _("tên đăng nhập"),
    "via": _("qua"),
    "reason": _("lý do"),
    "role": _("vai trò"),
    "agency": _("cơ quan"),
    "changes": _("thay đổi"),
    "count": _("số lượng"),
    "by": _("người làm"),
    "records": _("số bản ghi"),
    "devices": _("số thiết bị"),
    "import": _("nhập từ Excel"),
    "accounts": _("số tài khoản"),
    "ip_address": _("địa chỉ IP"),
    "method": _("phương thức"),
    "view": _("trang"),
    "from": _("trước"),
    "to": _("sau"),
    "is_active": _("đang hoạt động"),
    "email": _("thư điện tử"),
    "full_name": _("họ tên"),
}
DETAIL_VALUES = {
    "api_token": _("mã truy cập API"),
    "enrol": _("bật"),
    "verify": _("xác minh"),
    "self": _("chính người dùng"),
    "xlsx": "XLSX",
    "csv": "CSV",
    "docx": "DOCX",
}


def _detail_value(key: str, value) -> str:
    """One value of a detail in words: yes/no, dd/mm/yyyy dates, role names, nested changes as "before → after"."""
    import datetime

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("có") if value else _("không"))
    if isinstance(value, dict):
        if set(value) == {"from", "to"}:
            return f"{_detail_value(key, value['from'])} → {_detail_value(key, value['to'])}"
        return "; ".join(f"{_detail_key(k)}: {_detail_value(k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_detail_value(key, v) for v in value)
    if isinstance(value, str):
        if key == "role":  # the user model's own choices: security never imports accounts
            from django.contrib.auth import get_user_model

            roles = dict(get_user_model()._meta.get_field("role").choices)
            return str(roles.get(value, value))
        if value in DETAIL_VALUES:
            return str(DETAIL_VALUES[value])
        try:
            when = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return when.strftime("%d/%m/%Y")
        return (
            timezone.localtime(when).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(when)
            else when.strftime("%d/%m/%Y %H:%M")
        )
    return str(value)


def _detail_key(key: str) -> str:
    return str(DETAIL_LABELS.get(key, key))


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

    def detail_items(self) -> list[tuple[str, str]]:
        """The detail as ``(label, value)`` pairs in words, for the log page and its export."""
        if not isinstance(self.detail, dict):
            return [("", str(self.detail))] if self.detail else []
        return [(_detail_key(key), _detail_value(key, value)) for key, value in self.detail.items()]

    def detail_text(self) -> str:
        return "; ".join(f"{label}: {value}" if label else value for label, value in self.detail_items())

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
