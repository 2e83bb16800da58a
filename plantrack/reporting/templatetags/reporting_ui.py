from django import template

from plantrack.reporting.models import EntryStatus, EventKind

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dicts keyed by ids."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def entry_status(code: str) -> str:
    """An entry's status in words ("Hoàn thành"…) for frozen snapshots, which keep the code."""
    return EntryStatus(code).label if code in EntryStatus.values else code


@register.filter
def event_kind(code: str) -> str:
    """An event's kind in words ("Hội nghị"…) for frozen snapshots, which keep the code."""
    return EventKind(code).label if code in EventKind.values else code
