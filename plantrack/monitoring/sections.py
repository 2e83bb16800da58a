"""The shared sections of the cycle dashboard, rendered once and cached.

The agency table and the task progress (group bars and the agency × task matrix) are the same for everyone who
may open the dashboard: they depend on the cycle, its plan, the agencies, the filters and the day, never on the
user; so do the plan's task deadline counts, and the scorecard for users who see the same figures. They are cached (Django's cache: Redis when configured, local memory otherwise) under a key that carries the
version tokens of the cycle, its plan and the agencies (``cache_versions``), which are replaced in the same
transaction as any change they show: the first request after a commit misses and renders the new state.
"""

import dataclasses
import datetime
import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

from plantrack.core.versions import tokens
from plantrack.indicators.querysets import figure_visibility_key
from plantrack.indicators.selectors import plan_scorecard
from plantrack.reporting.models import ReportingCycle
from plantrack.reporting.timeliness import open_task_counts, plan_task_timeliness

from .cache_versions import ORGS_KEY, cycle_key, plan_figures_key, plan_key, plan_reports_key
from .selectors import CELL_ORDER, CELL_STATUSES, STATES, DashboardFilters, dashboard, task_progress

TIMEOUT = 6 * 3600  # a version change makes an entry unreachable long before; this only frees memory


def version_keys(cycle: ReportingCycle) -> tuple[str, ...]:
    return (
        cycle_key(cycle.pk),
        plan_key(cycle.plan_id),
        ORGS_KEY,
        plan_reports_key(cycle.plan_id),
        plan_figures_key(cycle.plan_id),
    )


def _key(kind: str, pk: int, *parts) -> str:
    digest = hashlib.sha256(repr((*parts, get_language())).encode()).hexdigest()[:32]
    return f"monitoring:{kind}:{pk}:{digest}"


def legend() -> list[tuple[str, str, str]]:
    return [(s, str(CELL_STATUSES[s][0]), str(CELL_STATUSES[s][1])) for s in CELL_ORDER]


def dashboard_sections(
    *,
    cycle: ReportingCycle,
    form,
    filters: DashboardFilters,
    today: datetime.date,
    user,
    querystring: str = "",
    versions: str | None = None,
) -> dict:
    """``accepted``, ``total``, ``shown``, ``counts`` (code, label, n), ``deadlines`` (the plan's open task counts)
    and the rendered ``filters`` (the filter form: its group list is long), ``agencies``, ``progress`` and
    ``scorecard`` sections; ``board`` and ``progress_data`` too when
    they were just computed (not when read from the cache). One query for the versions and one cache read when
    nothing changed (no query for the versions when the caller read them: ``versions``, the tokens of
    ``version_keys(cycle)``)."""
    if versions is None:
        versions = tokens(*version_keys(cycle))
    cycle_part, plan_part, orgs_part, reports_part, figures_part = versions.split(".")
    deadlines_key = _key("deadlines", cycle.plan_id, plan_part, orgs_part, reports_part, today.isoformat())
    scorecard_key = _key(
        "scorecard",
        cycle.pk,
        plan_part,
        reports_part,
        figures_part,
        figure_visibility_key(user, cycle.plan),
        today.isoformat(),
    )
    sections_key = _key("sections", cycle.pk, versions, today.isoformat(), dataclasses.astuple(filters))
    filters_key = _key("filters", cycle.pk, orgs_part, querystring)
    found = cache.get_many([sections_key, deadlines_key, scorecard_key, filters_key])
    filters_html = found.get(filters_key)
    if filters_html is None:
        context = {"cycle": cycle, "form": form, "filters": filters}
        filters_html = render_to_string("monitoring/_dashboard_filters.html", context)
        cache.set(filters_key, filters_html, TIMEOUT)
    deadlines = found.get(deadlines_key)
    if deadlines is None:
        deadlines = open_task_counts(plan_task_timeliness(plan=cycle.plan, as_of=today))
        cache.set(deadlines_key, deadlines, TIMEOUT)
    scorecard = found.get(scorecard_key)
    if scorecard is None:
        rows = plan_scorecard(plan=cycle.plan, user=user, year=cycle.year)
        scorecard = render_to_string(
            "monitoring/_dashboard_scorecard.html", {"scorecard": rows, "cycle": cycle}
        )
        cache.set(scorecard_key, scorecard, TIMEOUT)
    shared = {"deadlines": deadlines, "scorecard": scorecard, "filters": filters_html}
    cached = found.get(sections_key)
    if cached is not None:
        return {**cached, **shared}
    board = dashboard(cycle=cycle, filters=filters, today=today)
    progress = task_progress(board=board)
    context = {"cycle": cycle, "board": board, "progress": progress, "legend": legend()}
    sections = {
        "accepted": board.all_counts.get("accepted", 0),
        "total": board.total,
        "shown": len(board.rows),
        "counts": [(code, str(label), board.all_counts.get(code, 0)) for code, label in STATES.items()],
        "agencies": render_to_string("monitoring/_dashboard_agencies.html", context),
        "progress": render_to_string("monitoring/_dashboard_progress.html", context),
    }
    cache.set(sections_key, sections, TIMEOUT)
    return {**sections, **shared, "board": board, "progress_data": progress}
