"""The home page's shared parts, cached under the versions of what they show (``core.versions``).

A warm home page reads the tokens of the agencies and of every plan (``plan_key(ALL)``: one token for all plans),
the open cycles of the plans the user coordinates, and the tokens of those cycles and of the plans the user follows;
every block is then one cache read, keyed by those tokens, by what decides what the user may see in it, by the
language and by the day. Nothing per request is cached: the consolidated reports (written by the build queue with
plain UPDATEs, so never versioned) are read live, and the fragments hold no CSRF token, no user name and no message.

Keys and what bumps them (``monitoring.cache_versions``, ``plans.cache_versions``):

- the plans the user can see, in the list's order, and those they follow: "plan:*" (any plan's row), which plans
  the user may read (``PlanQuerySet.visibility``) and follows (viewer, or the plans they coordinate);
- the plan list (one page): "plan:*" (the plans' rows, tasks, groups, targets), "orgs" (issuer and coordinating
  agency names), the page, the user's agency (the "Đơn vị theo dõi" badge), the day (tasks cancelled from a date
  stop counting);
- the coordination block: the user's coordinator roles, each open cycle's "cycle:<id>" (its reports, reminders),
  "plan:*", "orgs", the day (lateness);
- the summaries of followed plans: each plan's "plan-reports:<id>", "plan-figures:<id>", what the user may see of
  its figures (``figure_visibility_key``), "plan:*", "orgs", the day;
- the agency panel: the agency, which plans the user may read, "plan:*" (assignments, task texts), "orgs" (the
  agency's name, group memberships), the day.
"""

import datetime
import hashlib
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils.translation import get_language

from plantrack.accounts.permissions import (
    coordinated_plans_q,
    coordinated_scope,
    follows_plans,
    is_coordinator,
    is_coordinator_of,
    is_viewer,
)
from plantrack.core.versions import (
    ALL,
    ORGS_KEY,
    cycle_key,
    plan_figures_key,
    plan_key,
    plan_reports_key,
    tokens,
)
from plantrack.indicators.querysets import figure_visibility_key
from plantrack.plans.models import Plan, Target, Task, TaskGroup
from plantrack.plans.selectors import agency_task_summary
from plantrack.reporting.models import CycleState, ReportingCycle

from . import todo

ALL_PLANS = plan_key(ALL)  # every plan's rows, tasks, groups and targets: one token
CACHE_SECONDS = 6 * 3600  # a version change makes an entry unreachable long before; this frees memory


def _key(block: str, *parts) -> str:
    return f"home:{block}:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


@dataclass
class HomeFacts:
    """What the blocks are keyed by, read in at most three small queries, none of which grows with the plans."""

    visible: list[int]  # the ids of the plans the user can see, in the list's order
    followed: list[SimpleNamespace]  # the first HOME_SUMMARIES of them the user follows up: pk, coordinator
    open_cycles: list[
        tuple[int, int]
    ]  # (cycle id, plan id) of the open cycles of the plans the user coordinates
    versions: dict[str, str]
    today: datetime.date
    language: str

    def tokens_of(self, *keys: str) -> tuple[str, ...]:
        return tuple(self.versions[k] for k in keys)


def _visible_and_followed(user, summaries: int) -> tuple[list[int], list[SimpleNamespace]]:
    """The plans the user can see in the list's order (made total: two provinces' plans may share a date and a
    number, and pages must never overlap), and the first ``summaries`` of them the user follows up, newest first."""
    visible = list(
        Plan.objects.for_user(user)
        .order_by(*Plan._meta.ordering, "pk")
        .values_list("pk", "coordinator_agency_id", "issued_on")
    )
    followed = []
    if follows_plans(user):
        plans = [SimpleNamespace(pk=pk, coordinator_agency_id=c, issued_on=i) for pk, c, i in visible]
        followed = [p for p in plans if is_viewer(user) or is_coordinator_of(user, p)]
        followed.sort(key=lambda p: (-p.issued_on.toordinal(), p.pk))
    return [pk for pk, _c, _i in visible], followed[:summaries]


def home_facts(*, user, today: datetime.date, summaries: int) -> HomeFacts:
    """The keys of the blocks. The plan list and the followed plans are kept in the cache per version of every plan
    (``plan_key(ALL)``) and per what decides which plans the user sees and follows: the list of 681 plans of a
    national database is not read on each request."""
    versions = dict(zip((ORGS_KEY, ALL_PLANS), tokens(ORGS_KEY, ALL_PLANS).split("."), strict=True))
    follows = ("viewer" if is_viewer(user) else coordinated_scope(user)) if follows_plans(user) else ()
    visible, followed = _cached(
        _key("visible", Plan.objects.visibility(user), follows, summaries, versions[ALL_PLANS]),
        lambda: _visible_and_followed(user, summaries),
    )
    open_cycles = []
    if is_coordinator(user):
        open_cycles = list(
            ReportingCycle.objects.filter(coordinated_plans_q(user, via="plan__"), state=CycleState.OPEN)
            .order_by("pk")
            .values_list("pk", "plan_id")
        )
    keys = [cycle_key(cycle_id) for cycle_id, _ in open_cycles]
    for p in followed:
        keys += [plan_reports_key(p.pk), plan_figures_key(p.pk)]
    if keys:
        versions.update(zip(keys, tokens(*keys).split("."), strict=True))
    return HomeFacts(visible, followed, open_cycles, versions, today, get_language())


def _count_of(queryset) -> Coalesce:
    """A correlated COUNT(*) of ``queryset``'s rows of the outer plan: one small aggregate per plan listed, instead
    of COUNT(DISTINCT) over the join of every plan's targets, tasks and groups."""
    counted = (
        queryset.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted), 0)


def plans_with_counts(ids: list[int]) -> list[Plan]:
    """The plans ``ids``, in that order, with their counts of top-level targets, tasks and task groups."""
    found = Plan.objects.select_related("issuer", "coordinator_agency").annotate(
        target_count=_count_of(Target.objects.filter(parent__isnull=True)),
        # tasks in force: one cancelled by an amendment (from its effective date) is no longer counted
        task_count=_count_of(Task.objects.exclude(cancelled_on__lte=datetime.date.today())),
        group_count=_count_of(TaskGroup.objects.all()),
    )
    plans = found.in_bulk(ids)
    return [plans[pk] for pk in ids if pk in plans]


def _light(obj, *attrs: str) -> SimpleNamespace:
    """The figures of a row that the view's callers read, without the related rows loaded with it."""
    return SimpleNamespace(**{a: getattr(obj, a) for a in attrs})


def _cached(key: str, build):
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def plan_list(*, user, facts: HomeFacts, page_number, per_page: int) -> tuple[Page, list, str]:
    """One page of the plans the user can see: their ids and counts, and the rendered cards and pager."""
    page = Paginator(facts.visible, per_page).get_page(page_number)
    ids = list(page.object_list)
    key = _key(
        "plans",
        facts.language,
        facts.today,
        ids,
        facts.tokens_of(ORGS_KEY, ALL_PLANS),
        user.agency_id,
        page.number,
        page.paginator.num_pages,
    )

    def build():
        plans = plans_with_counts(ids)
        html = render_to_string(
            "home/_plan_cards.html", {"plans": plans, "plans_page": page, "user_agency_id": user.agency_id}
        )
        return [_light(p, "pk", "target_count", "task_count", "group_count") for p in plans], html

    plans, html = _cached(key, build)
    return page, plans, html


def coordination(*, user, facts: HomeFacts) -> tuple[todo.CoordinatorBlock | None, str]:
    """The coordinator's block (its figures; cached but for its latest builds, read live) and its rendered part."""
    if not is_coordinator(user):
        return None, ""
    key = _key(
        "coordination",
        facts.language,
        facts.today,
        coordinated_scope(user),
        facts.open_cycles,
        facts.tokens_of(ORGS_KEY, ALL_PLANS, *(cycle_key(c) for c, _ in facts.open_cycles)),
    )

    def build():
        block = todo.coordinator_block(user=user, today=facts.today, builds=False)
        html = render_to_string("home/_coordination.html", {"coordination": block})
        # What is kept beside the HTML is its figures, not the rows with their cycles, plans and agencies.
        light = todo.CoordinatorBlock(
            cycles=[
                _light(c, "pk", "plan_id", "expected", "sent", "waiting", "accepted") for c in block.cycles
            ],
            to_review=[_light(r, "pk", "agency_id", "cycle_id") for r in block.to_review],
            to_review_total=block.to_review_total,
            late=[_light(r, "pk", "agency_id", "cycle_id") for r in block.late],
            late_total=block.late_total,
            reminders=block.reminders,
        )
        return light, html

    block, html = _cached(key, build)
    block.builds = todo.coordinator_builds(user=user)
    return block, html


def summaries(*, user, facts: HomeFacts) -> list[todo.PlanSummary]:
    """The summaries of the plans the user follows (cached but for their latest builds, read live)."""
    if not facts.followed:
        return []
    key = _key(
        "summaries",
        facts.language,
        facts.today,
        [
            (
                p.pk,
                facts.tokens_of(plan_reports_key(p.pk), plan_figures_key(p.pk)),
                figure_visibility_key(user, p),
            )
            for p in facts.followed
        ],
        facts.tokens_of(ORGS_KEY, ALL_PLANS),
    )

    def build():
        ids = [p.pk for p in facts.followed]
        plans = Plan.objects.in_bulk(ids)
        found = todo.plan_summaries(user=user, plans=[plans[pk] for pk in ids], with_builds=False)
        for s in found:
            s.html = render_to_string("home/_summary.html", {"s": s})
        return found

    found = _cached(key, build)
    builds = todo.latest_builds(user=user, plans=[p.pk for p in facts.followed])
    for s in found:
        s.latest_build = builds.get(s.plan.pk)
    return found


def agency_panel(*, user, agency, facts: HomeFacts) -> tuple[dict | None, str]:
    """The panel of the user's agency: ``plans.selectors.agency_task_summary`` over the plans they can see, and
    its rendered HTML; ``(None, "")`` for an agency that owes nothing (the provincial leaders' UBND)."""
    key = _key(
        "agency",
        facts.language,
        facts.today,
        agency.pk,
        Plan.objects.visibility(user),
        facts.tokens_of(ORGS_KEY, ALL_PLANS),
    )

    def build():
        summary = agency_task_summary(agency=agency, plans=Plan.objects.for_user(user))
        if not (summary.lead or summary.coordinate or summary.maybe):
            return None, ""
        panel = {
            "agency": agency,
            "lead": summary.lead,
            "coordinate": summary.coordinate,
            "maybe": summary.maybe,
            # Tasks that name the agency itself first: they are the ones it answers for alone.
            "leading": [SimpleNamespace(task=task) for task in summary.leading],
        }
        return panel, render_to_string("home/_agency_panel.html", {"agency_summary": panel})

    return _cached(key, build)
