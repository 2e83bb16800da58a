"""What pages show of the signed-in session (the idle-timeout warning)."""

from django import template

from plantrack.security.sessions import session_idle_remaining as remaining

register = template.Library()


@register.simple_tag(takes_context=True)
def session_idle_remaining(context) -> int:
    """Seconds left before the idle timeout of the signed-in session (the warning comes two minutes before)."""
    request = context.get("request")
    return remaining(request) if request is not None and hasattr(request, "session") else 0
