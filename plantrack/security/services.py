"""Writes to the security log. Every other app records security-relevant events through
``security_event_record`` (uploads, exports, account changes…)."""

import ipaddress
import logging
from typing import Any

from .models import SecurityEvent
from .net import client_ip

logger = logging.getLogger("plantrack.security")


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def security_event_record(
    *,
    actor=None,
    action: str,
    request=None,
    target: Any = "",
    detail: dict | None = None,
) -> SecurityEvent:
    """Append one row to the security log and mirror it to the ``plantrack.security`` logger.

    ``actor`` is the user who acted (``None`` or an anonymous user for failed logins); ``action`` a
    :class:`~plantrack.security.models.SecurityAction` value (other short strings are kept as they are);
    ``request`` gives the address, browser and path; ``target`` names what was acted on (a string, or any object
    whose ``str()`` names it); ``detail`` is a small JSON-serialisable dict. Never put passwords, codes or file
    contents in ``detail``.

    The row is written in the caller's transaction if there is one, so an action that rolls back leaves no trace
    of success; failures (a refused login) are recorded outside any workflow transaction by their callers.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    username = ""
    if actor is not None:
        username = actor.get_username()
    elif detail and detail.get("username"):
        username = str(detail["username"])[:150]
    event = SecurityEvent(
        actor=actor,
        actor_username=username,
        action=str(action)[:40],
        target=str(target)[:300] if target else "",
        detail=detail or {},
    )
    if request is not None:
        event.ip_address = _valid_ip(client_ip(request))
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
        event.path = request.get_full_path()[:500] if hasattr(request, "get_full_path") else ""
    event.save()
    logger.info(
        "security action=%s actor=%s target=%s ip=%s path=%s",
        event.action,
        username or "-",
        event.target or "-",
        event.ip_address or "-",
        event.path or "-",
    )
    return event
