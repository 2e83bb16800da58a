"""API tokens: issued only after the same full login as the pages, short-lived, revoked with the user's sessions.

The login page takes a person through the password (with django-axes' lockout), then the second factor when they
have one, then a forced password change. A token is the API's session, so it is issued only when every one of
those steps would let the person into the pages: the password goes through ``authenticate(request=...)`` (axes
counts the failure and applies the lockout, per user name and address and per address), a TOTP code is checked
with django-otp's own verification (and its throttling), and an account that must change its password or enrol a
second factor first gets no token. Tokens are django-rest-knox tokens: stored hashed, one per sign-in, expiring
after ``REST_KNOX["TOKEN_TTL"]``; ``plantrack.security.sessions.user_sessions_end`` revokes them with the
sessions (password change, deactivation, "end sessions").
"""

from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from plantrack.security.models import SecurityAction
from plantrack.security.services import security_event_record

from .gates import otp_required, password_change_due


class TokenRefused(Exception):
    """The login did not go through; ``code`` says which step refused it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class IssuedToken:
    token: str
    record: AuthToken


def api_token_issue(*, request, username: str, password: str, otp_token: str = "") -> IssuedToken:
    """Sign ``username`` in for the API and return a new token, or raise :class:`TokenRefused`.

    ``request`` is Django's ``HttpRequest`` (not DRF's wrapper): django-axes marks a locked-out request on it,
    which its middleware turns into the 429 answer."""
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        # The failure is already in the security log (user_login_failed) and counted by axes.
        if getattr(request, "axes_locked_out", False):
            raise TokenRefused("locked_out", _("Đăng nhập sai quá nhiều lần; tạm khóa đăng nhập."))
        raise TokenRefused("invalid_credentials", _("Tên đăng nhập hoặc mật khẩu không đúng."))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if not otp_token:
            _refuse(
                user, request, "otp_required", _("Tài khoản dùng xác thực hai bước: gửi kèm mã (otp_token).")
            )
        if match_token(user, otp_token) is None:
            security_event_record(
                actor=user, action=SecurityAction.OTP_FAILED, request=request, detail={"stage": "api_token"}
            )
            _refuse(user, request, "otp_invalid", _("Mã xác thực không đúng hoặc đã hết hạn."))
    elif otp_required(user):
        _refuse(
            user,
            request,
            "otp_enrolment_required",
            _("Tài khoản phải bật xác thực hai bước trên trang web trước khi dùng API."),
        )
    if password_change_due(user):
        _refuse(
            user,
            request,
            "password_change_required",
            _("Tài khoản phải đổi mật khẩu trên trang web trước khi dùng API."),
        )
    record, token = AuthToken.objects.create(user=user)
    security_event_record(
        actor=user,
        action=SecurityAction.API_TOKEN_ISSUED,
        request=request,
        target=user.get_username(),
        detail={"expiry": record.expiry.isoformat() if record.expiry else None},
    )
    return IssuedToken(token=token, record=record)


def api_token_revoke(*, user, record: AuthToken, request=None) -> None:
    """The token's holder signs it out."""
    record.delete()
    security_event_record(actor=user, action=SecurityAction.API_TOKEN_REVOKED, request=request)


def _refuse(user, request, code: str, message: str):
    security_event_record(
        action=SecurityAction.LOGIN_FAILED,
        request=request,
        target=user.get_username(),
        detail={"username": user.get_username(), "via": "api_token", "reason": code},
    )
    raise TokenRefused(code, message)
