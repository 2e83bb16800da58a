"""The security log page (administrators) and the lockout page of django-axes."""

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from plantrack.core.lists import export_format, paginate, table_export

from .forms import SecurityLogFilterForm
from .lockout import login_locked_until
from .models import SecurityEvent

PAGE_SIZE = 50


@require_GET
def security_log(request):
    if not getattr(request.user, "is_administrator", False):
        raise PermissionDenied
    events = SecurityEvent.objects.for_user(request.user)
    form = SecurityLogFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("user"):
            events = events.filter(actor_username__icontains=data["user"])
        if data.get("ip"):
            events = events.filter(ip_address=data["ip"])
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            events = events.filter(
                occurred_at__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min), tz)
            )
        if data.get("date_to"):
            events = events.filter(
                occurred_at__lte=timezone.make_aware(datetime.combine(data["date_to"], time.max), tz)
            )
    events = events.only("occurred_at", "actor_username", "action", "target", "ip_address", "path", "detail")
    fmt = export_format(request)
    if fmt:
        return table_export(
            fmt=fmt,
            filename="nhat-ky-an-toan-thong-tin",
            title=_("Nhật ký ATTT"),
            headers=[
                _("Thời điểm"),
                _("Người thực hiện"),
                _("Hành động"),
                _("Đối tượng"),
                _("Địa chỉ IP"),
                _("Đường dẫn"),
                _("Chi tiết"),
            ],
            rows=(
                [
                    e.occurred_at,
                    e.actor_username,
                    e.get_action_display(),
                    e.target,
                    e.ip_address,
                    e.path,
                    e.detail_text(),
                ]
                for e in events.iterator()
            ),
        )
    page = paginate(request, events, per_page=PAGE_SIZE)
    return render(request, "security/security_log.html", {"form": form, "page": page})


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: the lockout page, in the site's language, with status 429 (a JSON
    answer under /api/, where the token endpoint shares the login's lockout)."""
    from axes.helpers import get_failure_limit

    cool_off = settings.AXES_COOLOFF_TIME
    username = str((credentials or {}).get("username") or request.POST.get("username") or "")
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        "locked_until": login_locked_until(request=request, username=username),
        "helpdesk": settings.PLANTRACK_HELPDESK,
    }
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {
                "detail": _("Đăng nhập sai quá nhiều lần; tạm khóa đăng nhập."),
                "code": "locked_out",
                "cooloff_minutes": context["cooloff_minutes"],
            },
            status=429,
        )
    return render(request, "registration/locked_out.html", context, status=429)
