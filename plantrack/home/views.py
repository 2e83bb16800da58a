"""Site-wide pages that draw on several apps: the home page, the search page and the agency page."""

import datetime
from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.shortcuts import render

from plantrack.accounts.permissions import is_head_of
from plantrack.core.search import filter_words, query_terms
from plantrack.core.text import fold, vi_sort_key
from plantrack.orgs.models import Agency, AgencyGroup, GroupMembership, Succession
from plantrack.orgs.permissions import agency_get_for_user
from plantrack.plans.models import Assignment, AssignmentRole, Plan, Task
from plantrack.plans.selectors import agency_task_rows
from plantrack.reporting.models import AgencyReport, CycleState, ReportState
from plantrack.reporting.timeliness import plan_task_timeliness, rows_visible_to

SEARCH_LIMIT = 50
MAX_QUERY_LENGTH = 200


def home(request):
    """The plans the user can see and, for a user who belongs to an agency, a summary of what it owes."""
    plans = list(
        Plan.objects.for_user(request.user)
        .select_related("issuer", "coordinator_agency")
        .annotate(
            target_count=Count("targets", filter=Q(targets__parent__isnull=True), distinct=True),
            task_count=Count("tasks", distinct=True),
            group_count=Count("task_groups", distinct=True),
        )
    )
    context = {"plans": plans}
    agency = request.user.agency
    if agency is not None:
        rows = agency_task_rows(agency=agency, plans=Plan.objects.for_user(request.user))
        owed = [r for r in rows if not r.related_only]
        context["agency_summary"] = {
            "agency": agency,
            "lead": sum(1 for r in owed if r.is_lead),
            "coordinate": sum(1 for r in owed if not r.is_lead),
            "maybe": sum(1 for r in rows if r.related_only),
            # Tasks that name the agency itself first: they are the ones it answers for alone.
            "leading": sorted((r for r in owed if r.is_lead), key=lambda r: not r.direct)[:5],
        }
        # The agency's reports in open cycles: the first thing a clerk or a head comes for.
        my_reports = list(
            AgencyReport.objects.for_user(request.user)
            .filter(agency=agency, cycle__state=CycleState.OPEN)
            .select_related("cycle__plan")
            .order_by("cycle__due_date")
        )
        for r in my_reports:
            r.state_shown = r.display_state(for_agency=True)
        context["my_reports"] = my_reports
        # The head's decisions: reports their reporters handed over ("Trình lãnh đạo").
        if is_head_of(request.user, agency.pk):
            context["awaiting_head"] = [r for r in my_reports if r.state == ReportState.WITH_HEAD]
    return render(request, "home/home.html", context)


def search(request):
    """Agencies, agency groups and tasks with a word starting with each word of the query, ignoring case and
    diacritics (plantrack.core.search).

    Results that hold the query as one phrase come first.
    """
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    terms = query_terms(query)
    context = {
        "query": query,
        "terms": terms,
        "agencies": [],
        "groups": [],
        "tasks": [],
        "agency_total": 0,
        "task_total": 0,
        "group_total": 0,
    }
    if terms:
        folded_phrase = fold(query)
        agency_qs = filter_words(Agency.objects.all(), query)
        agencies = list(agency_qs.select_related("parent").prefetch_related("aliases")[: SEARCH_LIMIT * 4])
        agencies.sort(
            key=lambda a: (
                folded_phrase not in a.search_text,
                folded_phrase not in fold(a.name),
                vi_sort_key(a.name),
            )
        )
        groups = list(
            filter_words(AgencyGroup.objects.all(), query).annotate(member_count=Count("memberships"))
        )
        task_qs = filter_words(Task.objects.filter(plan__in=Plan.objects.for_user(request.user)), query)
        tasks = list(
            task_qs.select_related("plan", "group")
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.filter(role=AssignmentRole.LEAD)
                    .select_related("agency", "group")
                    .order_by("order", "pk"),
                    to_attr="lead_assignments",
                )
            )
            .order_by("-plan__issued_on", "plan_id", "order")[: SEARCH_LIMIT * 2]
        )
        tasks.sort(key=lambda t: folded_phrase not in t.search_text)
        context.update(
            agencies=agencies[:SEARCH_LIMIT],
            agency_total=agency_qs.count(),
            groups=groups,
            group_total=len(groups),
            tasks=tasks[:SEARCH_LIMIT],
            task_total=task_qs.count(),
        )
    return render(request, "home/search.html", context)


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
        # Each task's timeliness for this agency, where the user may see it (reporting.timeliness).
        states = {
            t.task.pk: t
            for t in rows_visible_to(
                user=request.user, plan=plan, rows=plan_task_timeliness(plan=plan, as_of=as_of)
            )
            if t.agency.pk == agency.pk
        }
        for r in items:
            r.timeliness = states.get(r.task.pk)
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
    return render(request, "home/agency_detail.html", context)
