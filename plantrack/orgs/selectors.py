"""Reads over the agency registry used by several apps."""

import datetime

from plantrack.core.text import fold, vi_sort_key

from .models import Agency, AgencyGroup, GroupMembership, Succession


def group_members_on(*, group: AgencyGroup, day: datetime.date) -> list[Agency]:
    """The agencies a group means on ``day``."""
    memberships = GroupMembership.objects.valid_on(day).filter(group=group).select_related("agency")
    return sorted(
        {m.agency for m in memberships if m.agency.is_valid_on(day)}, key=lambda a: vi_sort_key(a.name)
    )


def agency_find_by_name(*, name: str) -> Agency | None:
    """Exact match on the official name first, then on the folded official, short or alias name.

    Used by plan import to resolve names as written; returns None rather than guessing between candidates.
    """
    agency = Agency.objects.filter(name=name).first()
    if agency:
        return agency
    folded = fold(name)
    # search_text holds every folded name joined by " | "; the contains filter narrows, the split makes it exact.
    candidates = {
        a.pk: a
        for a in Agency.objects.filter(search_text__contains=folded)
        if folded in a.search_text.split(" | ")
    }
    return next(iter(candidates.values())) if len(candidates) == 1 else None


# --- resolution by date -------------------------------------------------------------------------------------------


class SuccessionGraph:
    """Every active succession edge, loaded once, to resolve many agencies for one date without N queries.

    Resolution rule: from an agency, take its outgoing edges that are in force on the day; when several dates are in
    force, the latest wins (Sở Ngoại vụ: merged into the Office on 01/03/2025, re-established on 01/07/2025). Follow
    the chain (A → B → C) until an agency with no edge in force. A dissolution with no successor ends the chain with
    nobody; an edge to a group means the group's members on the day.
    """

    def __init__(self) -> None:
        self.edges: dict[int, list] = {}
        for edge in (
            Succession.objects.filter(models_q_active())
            .select_related("successor", "successor_group")
            .order_by("effective_date", "pk")
        ):
            self.edges.setdefault(edge.predecessor_id, []).append(edge)

    def edges_in_force(self, agency_id: int, day: datetime.date) -> list:
        in_force = [e for e in self.edges.get(agency_id, []) if e.effective_date <= day]
        if not in_force:
            return []
        latest = max(e.effective_date for e in in_force)
        return [e for e in in_force if e.effective_date == latest]

    def resolve(self, agency: Agency, day: datetime.date) -> "Resolution":
        agencies: dict[int, Agency] = {}
        groups: dict[int, AgencyGroup] = {}
        path: list[Agency] = []
        seen: set[int] = set()

        def walk(node: Agency) -> None:
            if node.pk in seen:  # a cycle in bad data must not hang the resolver
                return
            seen.add(node.pk)
            edges = self.edges_in_force(node.pk, day)
            if not edges:
                agencies[node.pk] = node
                return
            path.append(node)
            for edge in edges:
                if edge.successor_id:
                    walk(edge.successor)
                elif edge.successor_group_id:
                    groups[edge.successor_group_id] = edge.successor_group

        walk(agency)
        return Resolution(
            agencies=sorted(agencies.values(), key=lambda a: vi_sort_key(a.name)),
            groups=sorted(groups.values(), key=lambda g: vi_sort_key(g.name)),
            changed=bool(path),
        )


def models_q_active():
    from django.db.models import Q

    return Q(change__isnull=True) | Q(change__undone_at__isnull=True)


class Resolution:
    """Who answers for an agency on a day: agencies and/or groups; empty when it was dissolved with no successor."""

    def __init__(self, *, agencies: list[Agency], groups: list[AgencyGroup], changed: bool) -> None:
        self.agencies = agencies
        self.groups = groups
        self.changed = changed

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.agencies] + [g.name for g in self.groups]

    def __repr__(self) -> str:
        return f"Resolution({self.names}, changed={self.changed})"


def agency_resolve_on(*, agency: Agency, day: datetime.date) -> Resolution:
    return SuccessionGraph().resolve(agency, day)


def agency_lineage(*, agency: Agency) -> dict[str, list]:
    """Predecessors and successors of one agency with dates, for the agency page."""
    active = Succession.objects.filter(models_q_active())
    return {
        "predecessors": list(active.filter(successor=agency).select_related("predecessor", "change")),
        "successors": list(
            active.filter(predecessor=agency).select_related("successor", "successor_group", "change")
        ),
    }
