"""Session lifetime enforcement, extra security headers and logging of refused requests."""

import ipaddress
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

from .context import current_request
from .models import SecurityAction
from .net import client_ip
from .services import security_event_record
from .sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY, TRACKED_KEY, session_track

logger = logging.getLogger("plantrack.security")

# Writing the "last seen" time on every request would save the session row on every request; a minute of slack on
# a 30-minute idle timeout is not worth that write.
SEEN_RESOLUTION_SECONDS = 60


class SessionLifetimeMiddleware:
    """Ends an authenticated session that was idle longer than SESSION_IDLE_TIMEOUT or that started more than
    SESSION_ABSOLUTE_LIFETIME ago, whatever the cookie says. Runs after AuthenticationMiddleware; the request then
    continues as anonymous, so LoginRequiredMiddleware sends the person to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            user = _loaded(getattr(request, "user", None))
            if user is not None:
                # The user is loaded here anyway: the rest of the request reads it directly, not through the lazy
                # wrappers of AuthenticationMiddleware and OTPMiddleware (hundreds of proxied lookups a page).
                request.user = user
            if user is not None and user.is_authenticated and hasattr(request, "session"):
                self._check(request, user)
            return self.get_response(request)
        finally:
            current_request.reset(token)

    def _check(self, request, user) -> None:
        now = int(timezone.now().timestamp())
        session = request.session
        started = session.get(SESSION_STARTED_KEY)
        seen = session.get(SESSION_SEEN_KEY)
        if started is None:
            # A session signed in before this middleware existed: start counting now.
            session[SESSION_STARTED_KEY] = now
            session[SESSION_SEEN_KEY] = now
            session_track(request=request, user=user)
            return
        reason = None
        if now - started >= settings.SESSION_ABSOLUTE_LIFETIME:
            reason = "absolute"
        elif seen is not None and now - seen >= settings.SESSION_IDLE_TIMEOUT:
            reason = "idle"
        if reason is None:
            if seen is None or now - seen >= SEEN_RESOLUTION_SECONDS:
                session[SESSION_SEEN_KEY] = now
            if session.get(TRACKED_KEY) != session.session_key:
                # The key changed since login (a password change cycles it): keep the mapping current.
                session_track(request=request, user=user)
            return
        security_event_record(
            actor=user, action=SecurityAction.SESSION_EXPIRED, request=request, detail={"reason": reason}
        )
        request.plantrack_session_expired = reason
        logout(request)
        messages.info(request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."))


def _loaded(user):
    """``user`` itself, out of its ``LazyObject`` wrappers (loading it if it was not yet)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class SecurityHeadersAndLogMiddleware:
    """Adds Permissions-Policy and no-store caching for signed-in pages, and records refused requests
    (403 answers, and 404 answers of a resolved view for a signed-in user — what permission-checked getters give for
    objects the user may not see) in the security log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if authenticated and "Cache-Control" not in response:
            # Pages of a signed-in user hold agency data: no copy in shared or browser caches.
            patch_cache_control(response, private=True, no_store=True)
        try:
            self._log_refusal(request, response, user if authenticated else None)
        except Exception:  # the log must never turn an answer into a 500
            logger.exception("could not record a refused request")
        return response

    @staticmethod
    def _log_refusal(request, response, user) -> None:
        if response.status_code == 403:
            security_event_record(
                actor=user,
                action=SecurityAction.PERMISSION_DENIED,
                request=request,
                detail={"method": request.method},
            )
        elif response.status_code == 404 and user is not None and getattr(request, "resolver_match", None):
            security_event_record(
                actor=user,
                action=SecurityAction.NOT_FOUND,
                request=request,
                detail={"method": request.method, "view": request.resolver_match.view_name},
            )


class AdminAccessMiddleware:
    """Restricts the management pages (Django admin, security log) to ADMIN_ALLOWED_NETWORKS and, when set, to
    ADMIN_ACCESS_HOURS (local time, e.g. ``07:00-19:00``). Both empty by default: no restriction."""

    MANAGEMENT_NAMESPACES = {"admin", "security"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.core.exceptions import PermissionDenied

        match = getattr(request, "resolver_match", None)
        if match is None or not (set(match.namespaces) & self.MANAGEMENT_NAMESPACES):
            return None
        if not management_access_allowed(request):
            raise PermissionDenied
        return None


def management_access_allowed(request, now=None) -> bool:
    networks = settings.ADMIN_ALLOWED_NETWORKS
    if networks:
        try:
            address = ipaddress.ip_address(client_ip(request) or "")
        except ValueError:
            return False
        if not any(address in ipaddress.ip_network(net, strict=False) for net in networks):
            return False
    hours = settings.ADMIN_ACCESS_HOURS
    if hours:
        start, _, end = hours.partition("-")
        local = timezone.localtime(now)
        current = local.strftime("%H:%M")
        if not (start.strip() <= current < end.strip()):
            return False
    return True
