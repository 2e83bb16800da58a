"""Every error under /api/ is JSON: the 404 and 500 handlers.

DRF answers the errors of its own views (400, 401, 403, 404, 405, 409, 429) as ``{"detail": ...}``; a path that
matches no route (``/api/v1/reports/abc/``) or an unexpected exception reaches Django's handlers instead, which
would answer with an HTML page. ``not_found`` and ``server_error`` (``handler404``/``handler500`` of the root
URLconf) answer those in JSON under /api/ and leave the pages' HTML error pages as they are.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"
# The shapes of error bodies for the schema live in plantrack.core.api_errors (every app's api.py documents them).


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Không tìm thấy."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("Lỗi máy chủ."), "code": "server_error"}, status=500)
    return defaults.server_error(request)
