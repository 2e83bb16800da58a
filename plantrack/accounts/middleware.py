"""Gates an authenticated person must pass before using the site: second factor, then password change."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

# Pages reachable while a gate is open (the gate pages themselves, logging out, switching language).
ALWAYS_ALLOWED = {"logout", "set_language", "javascript-catalog"}


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._gate(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _gate(self, request, user):
        from . import gates

        target = gates.pending_gate(request=request, user=user)
        if target is None:
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.url_name in ALWAYS_ALLOWED or match.view_name == target:
            return None
        if request.path_info.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"):
            return None
        return redirect(target)
