from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plantrack.core.lists import export_format, paginate, redirect_back, table_export

from .models import Notification
from .services import notification_mark_read, notifications_mark_all_read


def notification_list(request):
    """All of the user's notifications, newest first, 50 a page (no silent cut), or the whole list as a file."""
    notifications = Notification.objects.for_user(request.user)
    fmt = export_format(request)
    if fmt:
        return table_export(
            fmt=fmt,
            filename="thong-bao",
            title=_("Thông báo"),
            headers=[_("Thời điểm"), _("Tiêu đề"), _("Nội dung"), _("Đã đọc lúc")],
            rows=([n.created_at, n.subject, n.body, n.read_at] for n in notifications.iterator()),
        )
    page = paginate(request, notifications)
    rows = list(page.object_list)
    # One reverse for the page instead of one per row (50 a page).
    open_url = reverse("notifications:open", args=[_PK_SLOT])
    for n in rows:
        n.open_url = open_url.replace(str(_PK_SLOT), str(n.pk))
    return render(request, "notifications/notification_list.html", {"notifications": rows, "page": page})


_PK_SLOT = 987654321


@require_POST
def notification_open(request, pk: int):
    """Mark as read and go to what the notification is about."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notification_mark_read(actor=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect_back(request, "notifications:list")


@require_POST
def notification_read_all(request):
    n = notifications_mark_all_read(actor=request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": n})
    return redirect_back(request, "notifications:list")
