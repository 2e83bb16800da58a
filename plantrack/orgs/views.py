"""The agency registry list (searchable, by kind). The agency page, "Việc của đơn vị", shows what the agency owes
across plans, so it lives in ``plantrack.home``."""

from itertools import groupby

from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

from plantrack.core.lists import export_format, table_export
from plantrack.core.search import filter_words
from plantrack.core.text import vi_sort_key, vi_sorted

from .models import Agency, AgencyGroup, AgencyKind, GroupMembership


def agency_list(request):
    """Every agency, grouped by kind; ``q`` narrows by name, abbreviation or alias, ``nhom`` by group."""
    query = request.GET.get("q", "").strip()[:200]
    group_code = request.GET.get("nhom", "").strip()
    agencies = Agency.objects.select_related("parent").prefetch_related("aliases")
    if query:
        agencies = filter_words(agencies, query)
    groups = vi_sorted(AgencyGroup.objects.annotate(member_count=Count("memberships")), key=lambda g: g.name)
    current_group = next((g for g in groups if g.code == group_code), None)
    membership = {}
    if current_group is not None:
        # Every member the group ever had, each with its membership dates: a 2024 plan still means the districts.
        membership = {m.agency_id: m for m in GroupMembership.objects.filter(group=current_group)}
        agencies = agencies.filter(pk__in=membership)
    kind_rank = {value: i for i, value in enumerate(AgencyKind.values)}
    ordered = sorted(
        agencies, key=lambda a: (kind_rank.get(a.kind, 99), a.parent_id is not None, vi_sort_key(a.name))
    )
    for agency in ordered:
        agency.membership = membership.get(agency.pk)
    fmt = export_format(request)
    if fmt:
        return table_export(
            fmt=fmt,
            filename="co-quan-don-vi",
            title=_("Cơ quan, đơn vị"),
            headers=[
                _("Tên"),
                _("Tên viết tắt"),
                _("Loại"),
                _("Cơ quan cấp trên"),
                _("Hiệu lực từ"),
                _("Hiệu lực đến"),
            ],
            rows=(
                [a.name, a.short_name, a.get_kind_display(), str(a.parent or ""), a.valid_from, a.valid_to]
                for a in ordered
            ),
        )
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
