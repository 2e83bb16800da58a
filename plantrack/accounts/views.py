"""The signed-in person's own account (password change, also the forced one; second factor), the password reset
by e-mail before login, and the administrators' user management."""

import base64
from dataclasses import asdict
from functools import wraps

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from plantrack.core.lists import export_format, paginate, table_export
from plantrack.security.lockout import usernames_locked_out
from plantrack.security.middleware import management_access_allowed
from plantrack.security.sessions import session_keep_alive

from . import selectors, services
from .forms import (
    AccountPasswordChangeForm,
    AccountPasswordResetForm,
    AccountSetPasswordForm,
    MembershipAddForm,
    OtpTokenForm,
    PasswordConfirmForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    UsersImportForm,
)
from .gates import otp_enrolled, otp_required, password_change_due
from .models import Role, User
from .permissions import ANY_AGENCY, is_administrator, role_holders
from .sheets import account_rows_read, account_template_xlsx, temporary_passwords_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET"])
def account(request):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "otp_enrolled": otp_enrolled(request=request, user=user),
            "otp_required": otp_required(user),
            "sessions": services.user_sessions_list(user=user, current_key=request.session.session_key),
        },
    )


@require_http_methods(["POST"])
def sessions_end_others(request):
    ended = services.user_sessions_end_others(user=request.user, request=request)
    messages.success(
        request,
        ngettext("Đã đăng xuất %(n)d phiên khác.", "Đã đăng xuất %(n)d phiên khác.", ended) % {"n": ended},
    )
    return redirect("accounts:account")


@require_http_methods(["GET", "POST"])
def password_change(request):
    user = request.user
    forced = password_change_due(user)
    form = AccountPasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_change(
            user=user, new_password=form.cleaned_data["new_password1"], request=request
        )
        messages.success(request, _("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


def _pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
    return device


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    user = request.user
    if otp_enrolled(request=request, user=user):
        messages.info(request, _("Bạn đã bật xác thực hai bước."))
        return redirect("accounts:account")
    device = _pending_device(user)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.user_otp_enrol_confirm(
            user=user, device=device, token=form.cleaned_data["token"], request=request
        ):
            messages.success(request, _("Đã bật xác thực hai bước."))
            return redirect("accounts:account")
        form.add_error("token", _("Mã không đúng. Kiểm tra giờ của điện thoại rồi thử lại."))
    secret = base64.b32encode(device.bin_key).decode("ascii")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": qr_svg,
            "required": otp_required(user),
        },
    )


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.user_otp_verify(user=user, token=form.cleaned_data["token"], request=request):
            return redirect(_safe_next(request) or reverse("home"))
        form.add_error("token", _("Mã không đúng hoặc đã hết hạn."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def otp_disable(request):
    user = request.user
    form = PasswordConfirmForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_otp_remove(actor=user, user=user, request=request)
        messages.success(request, _("Đã tắt xác thực hai bước."))
        return redirect("accounts:account")
    return render(request, "accounts/otp_disable.html", {"form": form, "required": otp_required(user)})


def _safe_next(request) -> str | None:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next") or request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


# --- User management (administrators only): /tai-khoan/quan-ly/ ---------------------------------------------------

USERS_PAGE_SIZE = 50
IMPORT_SESSION_KEY = "plantrack_users_import"


def administrator_required(view):
    """Administrators only (403 for everyone else), and only from where management pages may be used
    (ADMIN_ALLOWED_NETWORKS, ADMIN_ACCESS_HOURS), like the Django admin and the security log."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_administrator(request.user) or not management_access_allowed(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _managed_user(request, pk: int) -> User:
    """The account ``pk`` for an administrator (404 if there is none). A superuser's account is managed only by
    a superuser: otherwise resetting its password would hand over every right (403)."""
    user = get_object_or_404(User.objects.select_related("agency"), pk=pk)
    if user.is_superuser and not request.user.is_superuser:
        raise PermissionDenied
    return user


def _no_store(response):
    # Pages showing a temporary password must not stay in the browser's cache or history.
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


@require_http_methods(["GET"])
@administrator_required
def user_list(request):
    form = UserFilterForm(request.GET or None)
    users = User.objects.select_related("agency").order_by("username")
    locked = usernames_locked_out()
    if form.is_valid():
        data = form.cleaned_data
        users = selectors.users_search(users, data["q"])
        if data["agency"] or data["role"]:
            # Whoever holds the role or speaks for the agency, by the primary role or an extra one valid today.
            holders = role_holders(
                data["role"] or Role.values, data["agency"] or ANY_AGENCY, active_only=False
            )
            users = users.filter(pk__in=holders.values("pk"))
        state = data["state"]
        if state == "active":
            users = users.filter(is_active=True)
        elif state == "inactive":
            users = users.filter(is_active=False)
        elif state == "locked":
            users = users.filter(username__in=locked)
        elif state == "must_change":
            users = users.filter(must_change_password=True)
    fmt = export_format(request)
    if fmt:
        return table_export(
            fmt=fmt,
            filename="tai-khoan",
            title=_("Tài khoản"),
            headers=[
                _("Tên đăng nhập"),
                _("Họ và tên"),
                _("Cơ quan, đơn vị"),
                _("Vai trò"),
                _("Vai trò thêm"),
                _("Trạng thái"),
                _("Đăng nhập lần cuối"),
            ],
            rows=(
                [
                    u.username,
                    u.full_name,
                    str(u.agency or ""),
                    u.get_role_display(),
                    "; ".join(f"{m.get_role_display()} — {m.agency}" for m in u.memberships.all()),
                    (_("Hoạt động") if u.is_active else _("Đã khóa tài khoản"))
                    + (" · " + _("Tạm khóa đăng nhập") if u.username in locked else ""),
                    u.last_login,
                ]
                for u in users.prefetch_related("memberships__agency")
            ),
        )
    page = paginate(request, users, per_page=USERS_PAGE_SIZE)
    for user in page.object_list:
        user.is_locked_out = user.username in locked
    return render(
        request, "accounts/user_list.html", {"form": form, "page": page, "total": page.paginator.count}
    )


def _temporary_password_page(request, *, user, password, created: bool):
    response = render(
        request,
        "accounts/user_password_shown.html",
        {"managed": user, "password": password, "created": created},
    )
    return _no_store(response)


@require_http_methods(["GET", "POST"])
@administrator_required
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _temporary_password_page(request, user=user, password=password, created=True)
    return render(request, "accounts/user_form.html", {"form": form})


def _user_edit_initial(managed: User) -> dict:
    return {
        "full_name": managed.full_name,
        "email": managed.email,
        "phone": managed.phone,
        "agency": managed.agency,
        "role": managed.role,
        "is_active": managed.is_active,
    }


@require_http_methods(["GET", "POST"])
@administrator_required
def user_edit(request, pk: int):
    managed = _managed_user(request, pk)
    form = UserEditForm(request.POST or None, initial=_user_edit_initial(managed))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.user_update(
                actor=request.user, user=managed, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("Đã lưu thay đổi của tài khoản %(u)s.") % {"u": managed.username})
            else:
                messages.info(request, _("Không có gì thay đổi."))
            return redirect("accounts:user_edit", pk=managed.pk)
    return _user_edit_page(request, managed=managed, form=form)


def _user_edit_page(request, *, managed: User, form, membership_form=None):
    return render(
        request,
        "accounts/user_edit.html",
        {
            "form": form,
            "managed": managed,
            "is_locked_out": managed.username in usernames_locked_out(),
            "is_self": managed.pk == request.user.pk,
            "memberships": list(managed.memberships.select_related("agency", "plan")),
            "membership_form": membership_form or MembershipAddForm(),
        },
    )


@require_http_methods(["POST"])
@administrator_required
def user_membership_add(request, pk: int):
    """Give the account one more role (reporter, head or coordinator of an agency, optionally of one plan)."""
    managed = _managed_user(request, pk)
    form = MembershipAddForm(request.POST)
    if form.is_valid():
        try:
            services.user_membership_add(
                actor=request.user, user=managed, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã thêm vai trò cho tài khoản %(u)s.") % {"u": managed.username})
            return redirect("accounts:user_edit", pk=managed.pk)
    edit_form = UserEditForm(initial=_user_edit_initial(managed))
    return _user_edit_page(request, managed=managed, form=edit_form, membership_form=form)


@require_http_methods(["POST"])
@administrator_required
def user_membership_remove(request, pk: int, membership_pk: int):
    managed = _managed_user(request, pk)
    membership = get_object_or_404(managed.memberships, pk=membership_pk)
    services.user_membership_remove(actor=request.user, membership=membership, request=request)
    messages.success(request, _("Đã bỏ vai trò thêm của tài khoản %(u)s.") % {"u": managed.username})
    return redirect("accounts:user_edit", pk=managed.pk)


def _refused(request, error: ValidationError, managed: User):
    for message in error.messages:
        messages.error(request, message)
    return redirect("accounts:user_edit", pk=managed.pk)


@require_http_methods(["POST"])
@administrator_required
def user_deactivate(request, pk: int):
    managed = _managed_user(request, pk)
    try:
        services.user_deactivate(actor=request.user, user=managed, request=request)
    except ValidationError as error:
        return _refused(request, error, managed)
    messages.success(
        request, _("Đã khóa tài khoản %(u)s; các phiên đăng nhập của người này đã kết thúc.") % {"u": managed}
    )
    return redirect("accounts:user_edit", pk=managed.pk)


@require_http_methods(["POST"])
@administrator_required
def user_reactivate(request, pk: int):
    managed = _managed_user(request, pk)
    services.user_reactivate(actor=request.user, user=managed, request=request)
    messages.success(request, _("Đã mở lại tài khoản %(u)s.") % {"u": managed})
    return redirect("accounts:user_edit", pk=managed.pk)


@require_http_methods(["POST"])
@administrator_required
def user_unlock(request, pk: int):
    managed = _managed_user(request, pk)
    services.user_unlock(actor=request.user, user=managed, request=request)
    messages.success(
        request, _("Đã mở khóa đăng nhập cho %(u)s: người này đăng nhập lại được ngay.") % {"u": managed}
    )
    return redirect("accounts:user_edit", pk=managed.pk)


@require_http_methods(["POST"])
@administrator_required
def user_password_reset(request, pk: int):
    managed = _managed_user(request, pk)
    try:
        password = services.user_password_reset(actor=request.user, user=managed, request=request)
    except ValidationError as error:
        return _refused(request, error, managed)
    return _temporary_password_page(request, user=managed, password=password, created=False)


@require_http_methods(["GET"])
@administrator_required
def users_import_template(request):
    response = HttpResponse(account_template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-tai-khoan.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@administrator_required
def users_import(request):
    """Step 1: upload the sheet; every row is checked and shown (with its problems) before anything is created."""
    form = UsersImportForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = account_rows_read(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            check = services.users_import_check(rows=rows)
            # Kept for the confirmation step only as the cells typed (no password, nothing resolved).
            request.session[IMPORT_SESSION_KEY] = [asdict(row) for row in rows] if check.ok else None
    return render(request, "accounts/users_import.html", {"form": form, "check": check})


@require_http_methods(["POST"])
@administrator_required
def users_import_confirm(request):
    """Step 2: create the checked accounts, all or none, and show the temporary passwords once."""
    stored = request.session.pop(IMPORT_SESSION_KEY, None)
    if not stored:
        messages.error(request, _("Không còn danh sách chờ tạo: hãy tải tệp lên lại."))
        return redirect("accounts:users_import")
    rows = [services.AccountRow(**row) for row in stored]
    try:
        created = services.users_import(actor=request.user, rows=rows, request=request)
    except ValidationError as error:
        # Something changed since the preview (a user name taken meanwhile): nothing was created.
        for message in error.messages:
            messages.error(request, message)
        return redirect("accounts:users_import")
    workbook = base64.b64encode(temporary_passwords_xlsx(created)).decode("ascii")
    response = render(
        request,
        "accounts/users_import_done.html",
        {"created": created, "xlsx_data_uri": f"data:{XLSX_TYPE};base64,{workbook}"},
    )
    return _no_store(response)


# --- Password reset by e-mail (anyone, before login) --------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = AccountPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = AccountSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_not_required
@require_http_methods(["POST"])
def session_keepalive(request):
    """ "Tiếp tục làm việc": counts as activity and answers the seconds left before the idle timeout. Signed out,
    it answers 401 in JSON (a script asks, not a person: no login redirect)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_out": True, "login_url": reverse("login")}, status=401)
    return JsonResponse({"remaining": session_keep_alive(request)})
