"""Reads over the agency registry used by several apps."""

import datetime

from plantrack.core.text import fold

from .models import Agency, AgencyGroup, GroupMembership


def group_members_on(*, group: AgencyGroup, day: datetime.date) -> list[Agency]:
    """The agencies a group means on ``day``."""
    memberships = GroupMembership.objects.valid_on(day).filter(group=group).select_related("agency")
    return sorted({m.agency for m in memberships if m.agency.is_valid_on(day)}, key=lambda a: a.name)


def agency_find_by_name(*, name: str) -> Agency | None:
    """Exact match on the official name first, then on the folded official, short or alias name.

    Used by plan import to resolve names as written; returns None rather than guessing between candidates.
    """
    agency = Agency.objects.filter(name=name).first()
    if agency:
        return agency
    folded = fold(name)
    # search_text holds every folded name joined by " | "; the contains filter narrows, the split makes it exact.
    candidates = {a.pk: a for a in Agency.objects.filter(search_text__contains=folded)
                  if folded in a.search_text.split(" | ")}
    return next(iter(candidates.values())) if len(candidates) == 1 else None
