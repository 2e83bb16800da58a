from django import template

from plantrack.reporting.models import EntryStatus

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
