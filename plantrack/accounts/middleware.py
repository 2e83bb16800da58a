"""Sends a signed-in person through the pending account gate (second factor, password change) before any page."""

from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from .gates import pending_gate

# Reachable while a gate is pending: logging out and switching language.
ALWAYS_ALLOWED = {"logout", "set_language"}


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            target = pending_gate(request=request, user=user)
            if target is not None:
                try:
                    match = resolve(request.path_info)
                except Resolver404:
                    match = None
                allowed = match is not None and (
                    match.url_name in ALWAYS_ALLOWED or match.view_name == target
                )
                if not allowed:
                    return redirect(target)
        return self.get_response(request)
