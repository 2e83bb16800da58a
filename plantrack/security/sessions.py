"""Tracking and ending a user's server-side sessions."""

import ipaddress
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from knox.models import AuthToken

from .models import UserSession
from .net import client_ip

TRACKED_KEY = "plantrack_tracked_key"
SESSION_STARTED_KEY = "plantrack_session_started"
SESSION_SEEN_KEY = "plantrack_session_seen"


def _store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _ip(request) -> str | None:
    value = client_ip(request)
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def session_track(*, request, user) -> None:
    """Remember that ``request.session`` belongs to ``user`` (called at login and after a key change)."""
    session = request.session
    if session.session_key is None:
        session.save()
    key = session.session_key
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip_address": _ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    session[TRACKED_KEY] = key


def session_untrack(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def user_api_tokens_revoke(*, user) -> int:
    """Revoke every API token of ``user``; returns how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def user_sessions_end(*, user, keep_session_key: str | None = None) -> int:
    """End every server-side session of ``user`` except ``keep_session_key``, and revoke all their API tokens
    (a token is a session of the API: no token survives a password change, a deactivation or "end sessions");
    returns how many browser sessions were ended."""
    user_api_tokens_revoke(user=user)
    store = _store_class()
    rows = list(UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""))
    for row in rows:
        store(session_key=row.session_key).delete()
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def session_idle_remaining(request) -> int:
    """Seconds left before the idle timeout ends ``request.session`` (SessionLifetimeMiddleware's rule), for the
    page's warning two minutes before."""
    seen = request.session.get(SESSION_SEEN_KEY)
    if seen is None:
        return settings.SESSION_IDLE_TIMEOUT
    return max(0, settings.SESSION_IDLE_TIMEOUT - (int(timezone.now().timestamp()) - int(seen)))


def session_keep_alive(request) -> int:
    """Count ``request`` as activity now (the middleware only notes activity once a minute) and return the
    seconds left before the idle timeout."""
    request.session[SESSION_SEEN_KEY] = int(timezone.now().timestamp())
    return settings.SESSION_IDLE_TIMEOUT
