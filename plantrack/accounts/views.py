"""The signed-in person's own account: password change (also the forced one), second factor."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from plantrack.security.sessions import session_keep_alive

from . import services
from .forms import AccountPasswordChangeForm, OtpTokenForm, PasswordConfirmForm
from .gates import otp_enrolled, otp_required, password_change_due


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


@login_not_required
@require_http_methods(["POST"])
def session_keepalive(request):
    """ "Tiếp tục làm việc": counts as activity and answers the seconds left before the idle timeout. Signed out,
    it answers 401 in JSON (a script asks, not a person: no login redirect)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_out": True, "login_url": reverse("login")}, status=401)
    return JsonResponse({"remaining": session_keep_alive(request)})
