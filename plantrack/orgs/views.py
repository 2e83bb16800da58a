"""The agency registry pages: the list (searchable, by kind) and "Việc của đơn vị"."""

import datetime
from itertools import groupby

from django.db.models import Count
from django.shortcuts import render

from plantrack.core.search import filter_words
from plantrack.plans.models import Plan
from plantrack.plans.selectors import agency_task_rows

from .models import Agency, AgencyGroup, AgencyKind, GroupMembership, Succession
from .permissions import agency_get_for_user


def agency_list(request):
    """Every agency, grouped by kind; ``q`` narrows by name, abbreviation or alias, ``nhom`` by group."""
    query = request.GET.get("q", "").strip()[:200]
    group_code = request.GET.get("nhom", "").strip()
    agencies = Agency.objects.select_related("parent").prefetch_related("aliases")
    if query:
        agencies = filter_words(agencies, query)
    groups = list(AgencyGroup.objects.annotate(member_count=Count("memberships")).order_by("name"))
    current_group = next((g for g in groups if g.code == group_code), None)
    membership = {}
    if current_group is not None:
        # Every member the group ever had, each with its membership dates: a 2024 plan still means the districts.
        membership = {m.agency_id: m for m in GroupMembership.objects.filter(group=current_group)}
        agencies = agencies.filter(pk__in=membership)
    kind_rank = {value: i for i, value in enumerate(AgencyKind.values)}
    ordered = sorted(agencies, key=lambda a: (kind_rank.get(a.kind, 99), a.parent_id is not None, a.name))
    for agency in ordered:
        agency.membership = membership.get(agency.pk)
    sections = [
        {"kind": kind, "label": AgencyKind(kind).label, "agencies": list(items)}
        for kind, items in groupby(ordered, key=lambda a: a.kind)
    ]
    return render(
        request,
        "orgs/agency_list.html",
        {
            "sections": sections,
            "total": len(ordered),
            "query": query,
            "groups": groups,
            "current_group": current_group,
        },
    )


def agency_detail(request, pk: int):
    """ "Việc của đơn vị": who the agency is, the groups it belongs to, and every task it owes across plans."""
    agency = agency_get_for_user(user=request.user, pk=pk)
    # An agency that no longer exists is shown with what it owed on its last day, not with nothing.
    today = datetime.date.today()
    as_of = agency.valid_to if agency.valid_to and agency.valid_to < today else today
    rows = agency_task_rows(agency=agency, day=as_of, plans=Plan.objects.for_user(request.user))
    plans = []
    for plan, items in groupby(rows, key=lambda r: r.task.plan):
        items = list(items)
        owed = [r for r in items if not r.related_only]
        plans.append(
            {
                "plan": plan,
                "lead": [r for r in owed if r.is_lead],
                "coordinate": [r for r in owed if not r.is_lead],
                "maybe": [r for r in items if r.related_only],
            }
        )
    memberships = list(
        GroupMembership.objects.filter(agency=agency).select_related("group").order_by("group__name")
    )
    successions = Succession.objects.select_related("predecessor", "successor", "successor_group")
    context = {
        "agency": agency,
        "as_of": as_of,
        "ended": as_of != today,
        "aliases": [a.name for a in agency.aliases.all()],
        "children": list(agency.children.order_by("name")),
        "memberships": memberships,
        "plans": plans,
        "lead_total": sum(len(p["lead"]) for p in plans),
        "coordinate_total": sum(len(p["coordinate"]) for p in plans),
        "maybe_total": sum(len(p["maybe"]) for p in plans),
        "predecessors": list(successions.filter(successor=agency)),
        "successors": list(successions.filter(predecessor=agency)),
    }
    return render(request, "orgs/agency_detail.html", context)
