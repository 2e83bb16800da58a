"""Writes to user accounts."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from plantrack.core.text import fold
from plantrack.orgs.models import Agency
from plantrack.orgs.selectors import agency_find_by_name
from plantrack.security.models import SecurityAction, UserSession
from plantrack.security.services import security_event_record
from plantrack.security.sessions import session_track, session_untrack, user_sessions_end

from .models import AGENCY_ROLES, Membership, Role, User


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
    "phone",
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
    """Deactivate ``user``; their sessions end with it. An administrator cannot deactivate their own account
    (nobody would be left to undo it)."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của chính mình."), code="self")
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    # The post_save receiver ends them too; ending them here says so where the rule is written.
    user_sessions_end(user=user)
    security_event_record(
        actor=actor, action=SecurityAction.USER_DEACTIVATED, request=request, target=user.username
    )


@transaction.atomic
def user_reactivate(*, actor, user: User, request=None) -> None:
    """Let a deactivated ``user`` log in again."""
    if user.is_active:
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    security_event_record(
        actor=actor, action=SecurityAction.USER_ACTIVATED, request=request, target=user.username
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


# --- User management by administrators (/tai-khoan/quan-ly/) ------------------------------------------------------
# Each function checks the business rules, records the change in the security log and raises ValidationError
# (a dict keyed by field name where a field is at fault) for a refused change. A temporary password is returned
# to the caller to be shown once; it is never stored or logged in clear.

# Roles that cannot exist without an agency (the user_agency_roles_have_agency constraint).
ROLES_NEEDING_AGENCY = (Role.REPORTER, Role.HEAD, Role.COORDINATOR)
_READABLE_CHARACTERS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I: read aloud


def temporary_password_generate() -> str:
    """A random password that is easy to read out or type from paper: three groups of four, e.g. ``k7Pq-x3Mz-Wd9r``
    (about 71 bits), with lower case, upper case, digits and a hyphen so any character-class rule is met."""
    while True:
        groups = ["".join(secrets.choice(_READABLE_CHARACTERS) for _i in range(4)) for _j in range(3)]
        password = "-".join(groups)
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


def _account_problems(
    *, username: str | None, email: str, role: str, agency: Agency | None, exclude_pk: int | None = None
) -> dict[str, list[str]]:
    """What is wrong with these account fields, by field name (empty when nothing is). ``username`` None: kept."""
    problems: dict[str, list[str]] = {}
    if username is not None:
        if not username:
            problems.setdefault("username", []).append(_("Thiếu tên đăng nhập."))
        else:
            try:
                UnicodeUsernameValidator()(username)
            except ValidationError:
                problems.setdefault("username", []).append(
                    _("Tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _ (không có dấu cách).")
                )
            if len(username) > 150:
                problems.setdefault("username", []).append(_("Tên đăng nhập dài quá 150 ký tự."))
            taken = User.objects.filter(username__iexact=username).exclude(pk=exclude_pk).exists()
            if taken:
                problems.setdefault("username", []).append(
                    _("Tên đăng nhập “%(username)s” đã có người dùng.") % {"username": username}
                )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.setdefault("email", []).append(
                _("Địa chỉ thư điện tử “%(email)s” không hợp lệ.") % {"email": email}
            )
    if role not in Role.values:
        problems.setdefault("role", []).append(_("Vai trò không hợp lệ."))
    elif role in ROLES_NEEDING_AGENCY and agency is None:
        problems.setdefault("agency", []).append(
            _("Vai trò “%(role)s” cần chọn cơ quan, đơn vị.") % {"role": Role(role).label}
        )
    return problems


def _create_account(*, username, full_name, email, agency, role, phone="") -> tuple[User, str]:
    password = temporary_password_generate()
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        agency=agency,
        role=role,
        must_change_password=settings.PASSWORD_FORCE_CHANGE,
    )
    user.set_password(password)
    user.save()
    return user, password


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    email: str = "",
    agency: Agency | None = None,
    role: str,
    phone: str = "",
    request=None,
) -> tuple[User, str]:
    """Create an account with a temporary password that the person must change at first login.

    Returns the user and the temporary password (to show the administrator once)."""
    username, email = username.strip(), email.strip()
    problems = _account_problems(username=username, email=email, role=role, agency=agency)
    if problems:
        raise ValidationError(problems)
    user, password = _create_account(
        username=username,
        full_name=full_name.strip(),
        email=email,
        agency=agency,
        role=role,
        phone=phone.strip(),
    )
    security_event_record(
        actor=actor,
        action=SecurityAction.USER_CREATED,
        request=request,
        target=user.username,
        detail={"role": user.role, "agency": str(user.agency or "")},
    )
    return user, password


@transaction.atomic
def user_update(
    *,
    actor,
    user: User,
    full_name: str,
    email: str,
    agency: Agency | None,
    role: str,
    is_active: bool,
    phone: str | None = None,
    request=None,
) -> list[str]:
    """Change an account's name, e-mail, phone, agency, role and whether it may log in; returns the changed
    fields (``phone`` None: kept).

    An administrator cannot take the administrator role from themselves nor deactivate themselves."""
    email = email.strip()
    if actor is not None and actor.pk == user.pk:
        if role != user.role and user.role == Role.ADMIN and not user.is_superuser:
            raise ValidationError(
                {"role": _("Bạn không thể tự bỏ vai trò quản trị của chính mình.")}, code="self"
            )
        if not is_active:
            raise ValidationError(
                {"is_active": _("Bạn không thể tự khóa tài khoản của chính mình.")}, code="self"
            )
    problems = _account_problems(username=None, email=email, role=role, agency=agency)
    if problems:
        raise ValidationError(problems)
    before = user_admin_snapshot(user)
    values = {"full_name": full_name.strip(), "email": email, "agency": agency, "role": role}
    if phone is not None:
        values["phone"] = phone.strip()
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, values[name])
    if changed:
        user.save(update_fields=changed)
        changes = {name: {"from": before.get(name), "to": _jsonable(getattr(user, name))} for name in changed}
        security_event_record(
            actor=actor,
            action=SecurityAction.USER_CHANGED,
            request=request,
            target=user.username,
            detail={"changes": changes},
        )
        if "role" in changed:
            security_event_record(
                actor=actor,
                action=SecurityAction.ROLE_CHANGED,
                request=request,
                target=user.username,
                detail=changes["role"],
            )
    if is_active != user.is_active:
        (user_reactivate if is_active else user_deactivate)(actor=actor, user=user, request=request)
        changed.append("is_active")
    return changed


def user_unlock(*, actor, user: User, request=None) -> int:
    """Lift the login lockout of ``user`` after too many wrong passwords (``user_lockout_reset`` for a user)."""
    return user_lockout_reset(actor=actor, user=user, request=request)


@transaction.atomic
def user_password_reset(*, actor, user: User, request=None) -> str:
    """An administrator gives ``user`` a new temporary password (returned, to show once); the user's sessions
    end and they must choose their own password at next login. Their own password, they change themselves."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("Đổi mật khẩu của chính bạn ở trang “Đổi mật khẩu”."), code="self")
    password = temporary_password_generate()
    user_password_set_by_admin(actor=actor, user=user, new_password=password, request=request)
    return password


@transaction.atomic
def user_password_reset_by_link(*, user: User, new_password: str, request=None) -> None:
    """The person sets a new password through the link mailed to them (they know it: no forced change). Their
    sessions end, and a login lockout of their user name is lifted."""
    from axes.utils import reset

    user.set_password(new_password)
    user.must_change_password = False
    user.save()
    reset(username=user.get_username())
    security_event_record(
        actor=None,
        action=SecurityAction.PASSWORD_RESET_BY_LINK,
        request=request,
        target=user.username,
        detail={"username": user.username},
    )


# --- Bulk import ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    """One row of an account sheet as read, before any check. ``row`` is the sheet's row number."""

    row: int
    username: str
    full_name: str
    email: str
    agency: str
    role: str
    phone: str = ""


@dataclass(frozen=True)
class AccountProblem:
    row: int
    column: str
    message: str


@dataclass
class AccountImportCheck:
    """The rows resolved to what would be created, and every problem found; nothing is created when there are
    problems."""

    accounts: list[dict]
    problems: list[AccountProblem]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.accounts)


# The sheet's column titles, shown with each problem (the reader finds the same names in the header row).
IMPORT_COLUMNS = {
    "username": _lazy("Tên đăng nhập"),
    "full_name": _lazy("Họ tên"),
    "email": _lazy("Thư điện tử"),
    "agency": _lazy("Đơn vị"),
    "role": _lazy("Vai trò"),
    "phone": _lazy("Điện thoại"),
}


def role_from_text(text: str) -> str | None:
    """A role from its code (``reporter``) or its Vietnamese or English label, ignoring case and diacritics."""
    wanted = fold(text)
    if not wanted:
        return None
    for role in Role:
        names = {fold(role.value)}
        for language in ("vi", "en"):
            with translation.override(language):
                names.add(fold(str(role.label)))
        if wanted in names:
            return role.value
    return None


def agency_from_text(text: str) -> Agency | None:
    """An agency from its official, short or other name or abbreviation (as plan import resolves names), or its
    number in Plantrack."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return Agency.objects.filter(pk=int(text)).first()
    return agency_find_by_name(name=text)


def users_import_check(*, rows: list[AccountRow]) -> AccountImportCheck:
    """Check every row of a sheet against the same rules as ``user_create`` and against each other."""
    accounts, problems = [], []
    first_row_of: dict[str, int] = {}
    for item in rows:
        row_problems: list[AccountProblem] = []

        def problem(column: str, message: str, row=item.row, found=row_problems) -> None:
            found.append(AccountProblem(row=row, column=str(IMPORT_COLUMNS[column]), message=message))

        role = role_from_text(item.role)
        if role is None:
            labels = ", ".join(str(r.label) for r in Role)
            problem(
                "role",
                _("Không rõ vai trò “%(role)s” (dùng một trong: %(labels)s).")
                % {"role": item.role, "labels": labels}
                if item.role
                else _("Thiếu vai trò."),
            )
        agency = agency_from_text(item.agency)
        if item.agency and agency is None:
            problem(
                "agency",
                _("Không tìm thấy cơ quan, đơn vị “%(name)s” (hoặc tên này trùng nhiều đơn vị).")
                % {"name": item.agency},
            )
        elif agency is not None and not agency.is_valid_on(timezone.localdate()):
            problem("agency", _("Cơ quan, đơn vị “%(name)s” không còn hoạt động.") % {"name": agency.name})
        checked = _account_problems(
            username=item.username,
            email=item.email,
            role=role or Role.VIEWER,
            agency=agency if item.agency else None,
        )
        for field, messages in checked.items():
            if field == "agency" and item.agency:
                continue  # the unknown name was already reported
            for message in messages:
                problem(field, message)
        key = item.username.lower()
        if key and key in first_row_of:
            problem(
                "username",
                _("Tên đăng nhập “%(username)s” đã có ở dòng %(row)d của tệp.")
                % {"username": item.username, "row": first_row_of[key]},
            )
        elif key:
            first_row_of[key] = item.row
        problems.extend(row_problems)
        if not row_problems:
            accounts.append(
                {
                    "row": item.row,
                    "username": item.username,
                    "full_name": item.full_name,
                    "email": item.email,
                    "phone": item.phone,
                    "agency": agency,
                    "role": role,
                    "role_label": Role(role).label,
                }
            )
    return AccountImportCheck(accounts=accounts, problems=problems)


@transaction.atomic
def users_import(*, actor, rows: list[AccountRow], request=None) -> list[tuple[User, str]]:
    """Create every account of the sheet, or none: any problem raises ValidationError with the problems (as
    ``error_list`` messages "Dòng n, cột X: …"). Returns each user with their temporary password."""
    check = users_import_check(rows=rows)
    if check.problems:
        raise ValidationError(
            [
                _("Dòng %(row)d, cột “%(column)s”: %(message)s")
                % {"row": p.row, "column": p.column, "message": p.message}
                for p in check.problems
            ]
        )
    if not check.accounts:
        raise ValidationError(_("Tệp không có dòng tài khoản nào."))
    created = []
    for spec in check.accounts:
        user, password = _create_account(
            username=spec["username"],
            full_name=spec["full_name"],
            email=spec["email"],
            agency=spec["agency"],
            role=spec["role"],
            phone=spec["phone"],
        )
        security_event_record(
            actor=actor,
            action=SecurityAction.USER_CREATED,
            request=request,
            target=user.username,
            detail={"role": user.role, "agency": str(user.agency or ""), "import": True},
        )
        created.append((user, password))
    security_event_record(
        actor=actor,
        action=SecurityAction.USERS_IMPORTED,
        request=request,
        target=str(len(created)),
        detail={"count": len(created)},
    )
    return created


# --- Extra roles (accounts.Membership) ------------------------------------------------------------------------

MEMBERSHIP_ROLES = (*AGENCY_ROLES, Role.COORDINATOR)


def _membership_text(m: Membership) -> dict:
    return {
        "role": m.role,
        "agency": str(m.agency),
        "plan": m.plan.code if m.plan_id else "",
        "valid_from": m.valid_from.isoformat() if m.valid_from else "",
        "valid_to": m.valid_to.isoformat() if m.valid_to else "",
    }


@transaction.atomic
def user_membership_add(
    *, actor, user: User, agency: Agency, role: str, plan=None, valid_from=None, valid_to=None, request=None
) -> Membership:
    """Give ``user`` one more role (reporter, head or coordinator of an agency; a coordinator may be narrowed to
    one plan of that agency), besides the primary one on the account. Recorded in the security log."""
    problems = {}
    if role not in MEMBERSHIP_ROLES:
        problems["role"] = _("Vai trò thêm phải là chuyên viên, lãnh đạo đơn vị hoặc điều phối.")
    if plan is not None and role != Role.COORDINATOR:
        problems["plan"] = _("Chỉ vai trò điều phối mới gắn với một kế hoạch.")
    elif plan is not None and plan.coordinator_agency_id != agency.pk:
        problems["plan"] = _("Kế hoạch này do %(a)s theo dõi, không phải %(b)s.") % {
            "a": plan.coordinator_agency,
            "b": agency,
        }
    if valid_from and valid_to and valid_from > valid_to:
        problems["valid_to"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if user.role == role and user.agency_id == agency.pk and plan is None:
        problems["role"] = _("Đây đã là vai trò chính của tài khoản.")
    if Membership.objects.filter(user=user, agency=agency, role=role, plan=plan).exists():
        problems["role"] = _("Tài khoản đã có vai trò này.")
    if problems:
        raise ValidationError(problems)
    membership = Membership.objects.create(
        user=user, agency=agency, role=role, plan=plan, valid_from=valid_from, valid_to=valid_to
    )
    security_event_record(
        actor=actor,
        action=SecurityAction.ROLE_CHANGED,
        request=request,
        target=user.username,
        detail={"added": _membership_text(membership)},
    )
    return membership


@transaction.atomic
def user_membership_remove(*, actor, membership: Membership, request=None) -> None:
    """Take an extra role away from its user. Recorded in the security log."""
    detail = {"removed": _membership_text(membership)}
    username = membership.user.username
    membership.delete()
    security_event_record(
        actor=actor, action=SecurityAction.ROLE_CHANGED, request=request, target=username, detail=detail
    )
