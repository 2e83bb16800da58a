"""Site-wide pages that draw on several apps: the home page, the search page and the agency page."""

import datetime
from itertools import groupby

from django.conf import settings
from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.template.loader import render_to_string

from plantrack.accounts.permissions import (
    coordinated_scope,
    is_administrator,
    is_viewer,
    member_agency_ids,
)
from plantrack.core.lists import paginate
from plantrack.core.page_cache import cached_body, page_with_body
from plantrack.core.search import filter_words, query_terms
from plantrack.core.text import fold, vi_sort_key
from plantrack.core.versions import ALL, ORGS_KEY, plan_key, plan_reports_key, tokens
from plantrack.orgs.models import Agency, AgencyGroup, GroupMembership, Succession
from plantrack.orgs.permissions import agency_get_for_user
from plantrack.orgs.selectors import SuccessionGraph
from plantrack.plans.models import Assignment, AssignmentRole, Plan, Task
from plantrack.plans.selectors import agency_task_rows
from plantrack.reporting.timeliness import agency_task_timeliness, plan_task_timeliness, rows_visible_to

from . import cached, todo

SEARCH_LIMIT = 50
SEARCH_SECTIONS = ("co-quan", "nhiem-vu")  # ?muc=: one section, paged
MAX_QUERY_LENGTH = 200


HOME_PLANS_PER_PAGE = 20  # the plan list on the home page


# Plan summaries on the home page: the first plans followed (the plan list itself is paged).
HOME_SUMMARIES = 10


def home(request):
    """A to-do home per role (``home.todo``): what the user's agencies owe, what awaits their decision as head,
    what their plans' coordination needs, a one-screen summary of each plan they follow up, and for
    administrators the accounts that need them. A user with several roles sees each block. Below them, one page
    of the plans the user can see and the agency's panel. The shared blocks are cached per version of what they
    show (``home.cached``)."""
    user = request.user
    today = todo.today_local()
    facts = cached.home_facts(user=user, today=today, summaries=HOME_SUMMARIES)
    page, plans, plans_html = cached.plan_list(
        user=user, facts=facts, page_number=request.GET.get("trang"), per_page=HOME_PLANS_PER_PAGE
    )
    my_reports = todo.reporter_block(user=user, today=today)
    coordination, coordination_html = cached.coordination(user=user, facts=facts)
    context = {
        "plans": plans,
        "plans_page": page,
        "plans_html": plans_html,
        "today": today,
        "my_reports": my_reports,
        "awaiting_head": todo.head_block(user=user, reports=my_reports),
        "coordination": coordination,
        "coordination_html": coordination_html,
        "summaries": cached.summaries(user=user, facts=facts),
        "accounts": todo.admin_block(user=user),
    }
    if user.agency is not None:
        panel, context["agency_panel_html"] = cached.agency_panel(user=user, agency=user.agency, facts=facts)
        if panel is not None:
            context["agency_summary"] = panel
    return render(request, "home/home.html", context)


def search(request):
    """Agencies, agency groups and tasks with a word starting with each word of the query, ignoring case and
    diacritics (plantrack.core.search).

    Results that hold the query as one phrase come first.
    """
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    terms = query_terms(query)
    section = request.GET.get("muc", "")
    if section not in SEARCH_SECTIONS:
        section = ""
    context = {
        "query": query,
        "terms": terms,
        "section": section,
        "page": None,
        "agencies": [],
        "groups": [],
        "tasks": [],
        "agency_total": 0,
        "task_total": 0,
        "group_total": 0,
    }
    if terms:
        folded_phrase = fold(query)
        # Every match is ranked (phrase first) on its key columns, then only the rows shown are read in full: the
        # totals are exact and the query count does not grow with the number of matches.
        agency_keys = list(filter_words(Agency.objects.all(), query).values_list("pk", "name", "search_text"))
        agency_keys.sort(
            key=lambda r: (folded_phrase not in r[2], folded_phrase not in fold(r[1]), vi_sort_key(r[1]))
        )
        task_qs = filter_words(Task.objects.filter(plan__in=Plan.objects.for_user(request.user)), query)
        task_keys = list(
            task_qs.order_by("-plan__issued_on", "plan_id", "order").values_list("pk", "search_text")
        )
        task_keys.sort(key=lambda r: folded_phrase not in r[1])
        agency_ids = [r[0] for r in agency_keys]
        task_ids = [r[0] for r in task_keys]
        if section == "co-quan":
            context["page"] = paginate(request, agency_ids, per_page=SEARCH_LIMIT)
            agency_ids, task_ids = list(context["page"].object_list), []
        elif section == "nhiem-vu":
            context["page"] = paginate(request, task_ids, per_page=SEARCH_LIMIT)
            agency_ids, task_ids = [], list(context["page"].object_list)
        else:
            agency_ids, task_ids = agency_ids[:SEARCH_LIMIT], task_ids[:SEARCH_LIMIT]
        agencies = Agency.objects.select_related("parent").prefetch_related("aliases").in_bulk(agency_ids)
        tasks = (
            Task.objects.select_related("plan", "group")
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.filter(role=AssignmentRole.LEAD)
                    .select_related("agency", "group")
                    .order_by("order", "pk"),
                    to_attr="lead_assignments",
                )
            )
            .in_bulk(task_ids)
        )
        groups = []
        if section != "nhiem-vu":
            groups = list(
                filter_words(AgencyGroup.objects.all(), query).annotate(member_count=Count("memberships"))
            )
        context.update(
            agencies=[agencies[pk] for pk in agency_ids],
            agency_total=len(agency_keys),
            groups=groups,
            group_total=len(groups),
            tasks=[tasks[pk] for pk in task_ids],
            task_total=len(task_keys),
        )
    return render(request, "home/search.html", context)


def _agency_page_cache(request, agency, today: datetime.date) -> tuple[str, tuple]:
    """``(versions, parts)`` of the agency page's cached body: the versions of what it shows (the agencies, groups
    and successions; the tasks and the reports of every plan — one token per scope, ``core.versions.ALL``), and the
    agency, the day and what decides the user's view: which plans (``PlanQuerySet.visibility``: published only, or
    all for administrators) and whose task states they see (``rows_visible_to``: everyone's for viewers and
    administrators, the agency's own people theirs, coordinators those of the plans they follow)."""
    versions = tokens(ORGS_KEY, plan_key(ALL), plan_reports_key(ALL))
    user = request.user
    if is_viewer(user) or is_administrator(user) or agency.pk in member_agency_ids(user):
        sees = "all"
    else:
        sees = coordinated_scope(user)
    plans = Plan.objects.visibility(user)
    return versions, (agency.pk, plans, sees, today.isoformat(), settings.PLANTRACK_TASK_DUE_SOON_DAYS)


def agency_detail(request, pk: int):
    """ "Việc của đơn vị": who the agency is, the groups it belongs to, and every task it owes across plans. The
    body is the same for every user whose view ``_agency_page_cache`` says is the same: kept in the cache."""
    agency = agency_get_for_user(user=request.user, pk=pk)
    today = datetime.date.today()
    versions, parts = _agency_page_cache(request, agency, today)
    body, _hit = cached_body(
        "agency",
        versions=versions,
        parts=parts,
        # Rendered without the request: no context processor, nothing of the user in the cached body.
        render=lambda: render_to_string(
            "home/_agency_body.html", _agency_body_context(request, agency, today)
        ),
    )
    return page_with_body(request, "home/agency_detail.html", {"agency": agency}, body)


def _agency_body_context(request, agency, today: datetime.date) -> dict:
    # An agency that no longer exists is shown with what it owed on its last day, not with nothing.
    as_of = agency.valid_to if agency.valid_to and agency.valid_to < today else today
    rows = agency_task_rows(agency=agency, day=as_of, plans=Plan.objects.for_user(request.user))
    # Each task's timeliness for this agency (reporting.timeliness): from the agency's own accepted reports in one
    # query when it answers for itself that day; through each plan's expansion when a succession moved its duties.
    answers_itself = agency.is_valid_on(as_of) and not SuccessionGraph().edges_in_force(agency.pk, as_of)
    if answers_itself:
        own_states = agency_task_timeliness(
            agency=agency, owed=[(r.task, r.roles) for r in rows if not r.related_only], as_of=as_of
        )
    plans = []
    for plan, items in groupby(rows, key=lambda r: r.task.plan):
        items = list(items)
        if answers_itself:
            pairs = [own_states[r.task.pk] for r in items if r.task.pk in own_states]
        else:
            pairs = [
                t
                for t in plan_task_timeliness(plan=plan, as_of=as_of, agency_id=agency.pk)
                if t.agency.pk == agency.pk
            ]
        states = {t.task.pk: t for t in rows_visible_to(user=request.user, plan=plan, rows=pairs)}
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
        "children": sorted(agency.children.all(), key=lambda a: vi_sort_key(a.name)),
        "memberships": memberships,
        "plans": plans,
        "lead_total": sum(len(p["lead"]) for p in plans),
        "coordinate_total": sum(len(p["coordinate"]) for p in plans),
        "maybe_total": sum(len(p["maybe"]) for p in plans),
        "predecessors": list(successions.filter(successor=agency)),
        "successors": list(successions.filter(predecessor=agency)),
    }
    return context
