"""Writes to user accounts."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.db import transaction

from plantrack.orgs.models import Agency
from plantrack.security.models import SecurityAction, UserSession
from plantrack.security.services import security_event_record
from plantrack.security.sessions import session_track, session_untrack, user_sessions_end

from .models import Role, User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    agency_name: str | None
    phone: str = ""
    office_code: str = ""


# One account per role. The department in charge is Sở KH&CN; the reporting agency is Sở Tài chính (it leads
# III.2.c and coordinates III.6.b), a second agency proves isolation.
DEMO_ACCOUNTS = [
    DemoAccount("admin", "Quản trị hệ thống", Role.ADMIN, None),
    DemoAccount(
        "dieuphoi",
        "Nguyễn Văn Điều (Sở KH&CN)",
        Role.COORDINATOR,
        "Sở Khoa học và Công nghệ",
        phone="0251 3822 000",
        office_code="QLKH",
    ),
    DemoAccount("chuyenvien.stc", "Trần Thị Chuyên (Sở Tài chính)", Role.REPORTER, "Sở Tài chính"),
    DemoAccount("lanhdao.stc", "Lê Văn Lãnh (Sở Tài chính)", Role.HEAD, "Sở Tài chính"),
    DemoAccount("chuyenvien.snv", "Phạm Thị Nội (Sở Nội vụ)", Role.REPORTER, "Sở Nội vụ"),
    DemoAccount("lanhdao.snv", "Hoàng Văn Vụ (Sở Nội vụ)", Role.HEAD, "Sở Nội vụ"),
    DemoAccount("xem", "Lãnh đạo UBND tỉnh (xem)", Role.VIEWER, "Ủy ban nhân dân tỉnh Đồng Nai"),
]


@transaction.atomic
def demo_accounts_ensure(*, password: str | None = None) -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that do not exist yet; never touches an existing account's password."""
    password = password or settings.PLANTRACK_DEMO_PASSWORD
    if not password:
        raise ValueError("PLANTRACK_DEMO_PASSWORD is empty: demo accounts are not created in production.")
    result = []
    for spec in DEMO_ACCOUNTS:
        agency = Agency.objects.get(name=spec.agency_name) if spec.agency_name else None
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "full_name": spec.full_name,
                "role": spec.role,
                "agency": agency,
                "is_demo": True,
                "phone": spec.phone,
                "office_code": spec.office_code,
                "is_staff": spec.role == Role.ADMIN,
                "is_superuser": spec.role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        result.append((spec, created))
    return result


# --- Account security --------------------------------------------------------------------------------------------
# Every write that matters to account security goes through one of these functions, which also records it in the
# security log. The admin and the account pages call them; the session-ending on password change or deactivation
# is plumbing in plantrack.security.receivers so that no code path can forget it.

ADMIN_TRACKED_FIELDS = (
    "username",
    "full_name",
    "email",
    "role",
    "agency",
    "is_active",
    "is_staff",
    "is_superuser",
    "must_change_password",
    "groups",
    "user_permissions",
)


def _jsonable(value):
    if hasattr(value, "all"):  # a related manager (groups, permissions)
        return sorted(str(item) for item in value.all())
    if hasattr(value, "pk"):
        return str(value)
    return value


@transaction.atomic
def user_account_record_admin_change(
    *, actor, user: User, created: bool, changed_fields: list[str], before: dict | None = None, request=None
) -> None:
    """Record an administrator's creation or change of an account (the admin has already saved it)."""
    before = before or {}
    if created:
        security_event_record(
            actor=actor,
            action=SecurityAction.USER_CREATED,
            request=request,
            target=user.username,
            detail={"role": user.role, "agency": str(user.agency or "")},
        )
        return
    fields = [name for name in changed_fields if name in ADMIN_TRACKED_FIELDS]
    if not fields:
        return
    changes = {
        name: {"from": before.get(name), "to": _jsonable(getattr(user, name, None))} for name in fields
    }
    security_event_record(
        actor=actor,
        action=SecurityAction.USER_CHANGED,
        request=request,
        target=user.username,
        detail={"changes": changes},
    )
    if "role" in fields:
        security_event_record(
            actor=actor,
            action=SecurityAction.ROLE_CHANGED,
            request=request,
            target=user.username,
            detail=changes["role"],
        )
    if "is_active" in fields:
        action = SecurityAction.USER_ACTIVATED if user.is_active else SecurityAction.USER_DEACTIVATED
        security_event_record(actor=actor, action=action, request=request, target=user.username)


def user_admin_snapshot(user: User) -> dict:
    """The tracked fields of ``user`` as they are in the database, for the "from" side of a change record."""
    if user.pk is None:
        return {}
    stored = User.objects.filter(pk=user.pk).first()
    if stored is None:
        return {}
    return {name: _jsonable(getattr(stored, name, None)) for name in ADMIN_TRACKED_FIELDS}


@transaction.atomic
def user_deactivate(*, actor, user: User, request=None) -> None:
    """Deactivate ``user``; their sessions end with it."""
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    security_event_record(
        actor=actor, action=SecurityAction.USER_DEACTIVATED, request=request, target=user.username
    )


@transaction.atomic
def user_password_change(*, user: User, new_password: str, request) -> None:
    """The signed-in ``user`` changes their own password: other sessions end, this one stays (with a new key)."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save()
    old_key = request.session.session_key
    update_session_auth_hash(request, user)  # keeps this session, under a new key
    session_untrack(session_key=old_key)
    session_track(request=request, user=user)
    security_event_record(
        actor=user, action=SecurityAction.PASSWORD_CHANGED, request=request, target=user.username
    )


@transaction.atomic
def user_password_set_by_admin(*, actor, user: User, new_password: str, request=None) -> None:
    """An administrator sets ``user``'s password: the user must choose their own at next login."""
    user.set_password(new_password)
    user.must_change_password = settings.PASSWORD_FORCE_CHANGE and not user.is_demo
    user.save()
    security_event_record(
        actor=actor, action=SecurityAction.PASSWORD_SET_BY_ADMIN, request=request, target=user.username
    )


@transaction.atomic
def user_sessions_end_by_admin(*, actor, user: User, request=None) -> int:
    """An administrator ends every session of ``user`` (the administrator's own current session is kept)."""
    keep = request.session.session_key if request is not None and request.user.pk == user.pk else None
    ended = user_sessions_end(user=user, keep_session_key=keep)
    security_event_record(
        actor=actor,
        action=SecurityAction.SESSIONS_ENDED,
        request=request,
        target=user.username,
        detail={"count": ended},
    )
    return ended


def user_sessions_list(*, user: User, current_key: str | None) -> list[dict]:
    """The user's open sessions (newest first), the current one marked."""
    return [
        {
            "created_at": row.created_at,
            "ip_address": row.ip_address,
            "user_agent": row.user_agent,
            "current": row.session_key == current_key,
        }
        for row in UserSession.objects.filter(user=user).order_by("-created_at")[:50]
    ]


@transaction.atomic
def user_sessions_end_others(*, user: User, request) -> int:
    """The signed-in user logs out every other browser of theirs."""
    ended = user_sessions_end(user=user, keep_session_key=request.session.session_key)
    security_event_record(
        actor=user,
        action=SecurityAction.SESSIONS_ENDED,
        request=request,
        target=user.username,
        detail={"count": ended, "by": "self"},
    )
    return ended


@transaction.atomic
def user_lockout_reset(*, actor, user: User | None = None, username: str = "", request=None) -> int:
    """Lift the login lockout of a user name (every address). Returns how many lockout records were removed."""
    from axes.utils import reset

    username = user.get_username() if user is not None else username
    removed = reset(username=username)
    security_event_record(
        actor=actor,
        action=SecurityAction.UNLOCK,
        request=request,
        target=username,
        detail={"records": removed},
    )
    return removed


@transaction.atomic
def user_otp_enrol_confirm(*, user: User, device, token: str, request) -> bool:
    """Confirm an unconfirmed TOTP ``device`` of ``user`` with a first code; the session counts as verified."""
    from django_otp import login as otp_login

    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        security_event_record(
            actor=user, action=SecurityAction.OTP_FAILED, request=request, detail={"stage": "enrol"}
        )
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    type(device).objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    otp_login(request, device)
    request.session["plantrack_otp_enrolled"] = True
    security_event_record(
        actor=user, action=SecurityAction.OTP_ENROLLED, request=request, target=user.username
    )
    return True


def user_otp_verify(*, user: User, token: str, request) -> bool:
    """Check a code against ``user``'s confirmed devices; on success the session counts as verified.

    Not atomic on purpose: django-otp's throttling counter of a failed attempt must be kept."""
    from django_otp import login as otp_login
    from django_otp import match_token

    device = match_token(user, token)
    if device is None:
        security_event_record(
            actor=user, action=SecurityAction.OTP_FAILED, request=request, detail={"stage": "verify"}
        )
        return False
    otp_login(request, device)
    security_event_record(actor=user, action=SecurityAction.OTP_VERIFIED, request=request)
    return True


@transaction.atomic
def user_otp_remove(*, actor, user: User, request=None) -> int:
    """Remove every TOTP device of ``user`` (the user themselves, or an administrator after a lost phone)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if request is not None and request.user.pk == user.pk:
        request.session["plantrack_otp_enrolled"] = False
    security_event_record(
        actor=actor,
        action=SecurityAction.OTP_REMOVED,
        request=request,
        target=user.username,
        detail={"devices": removed},
    )
    return removed
