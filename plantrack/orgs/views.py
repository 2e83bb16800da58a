"""The agency registry list (searchable, by kind). The agency page, "Việc của đơn vị", shows what the agency owes
across plans, so it lives in ``plantrack.home``."""

from itertools import groupby

from django.db.models import Case, Count, IntegerField, Value, When
from django.shortcuts import render
from django.utils.translation import gettext as _

from plantrack.core.lists import export_format, paginate, table_export
from plantrack.core.search import filter_words
from plantrack.core.text import vi_sorted

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
    # One order, in SQL, for the page and the file: by kind, top-level bodies before their units, then the
    # Vietnamese collation key (a ă â b … đ …), so paging never splits what the eye expects together.
    kind_rank = Case(
        *[When(kind=value, then=Value(i)) for i, value in enumerate(AgencyKind.values)],
        default=Value(99),
        output_field=IntegerField(),
    )
    is_unit = Case(When(parent__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    ordered = agencies.order_by(kind_rank, is_unit, "sort_key", "pk")
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
    page = paginate(request, ordered)
    for agency in page.object_list:
        agency.membership = membership.get(agency.pk)
    per_kind = dict(agencies.order_by().values_list("kind").annotate(n=Count("pk")))
    sections = [
        {
            "kind": kind,
            "label": AgencyKind(kind).label,
            "agencies": list(items),
            "total": per_kind.get(kind, 0),
        }
        for kind, items in groupby(page.object_list, key=lambda a: a.kind)
    ]
    return render(
        request,
        "orgs/agency_list.html",
        {
            "sections": sections,
            "total": page.paginator.count,
            "page": page,
            "query": query,
            "groups": groups,
            "current_group": current_group,
        },
    )
