"""PNG charts of the targets for the consolidated report, drawn by ``plantrack.indicators.charts.target_chart``.

Drawing a chart with matplotlib takes a few hundred milliseconds, far more than the rest of the report, and a
chart depends only on its target, its indicator definition and its series. So PNGs are kept in a small file cache
(``<DATA_DIR>/cache/charts/<sha256>.png``, or ``CONSOLIDATED_CHART_CACHE_DIR``) keyed by a digest of exactly
those inputs plus the chart module's source: a changed figure, rule or chart code gives a new key. Stale files are
harmless; ``chart_cache_clear`` removes them.

Charts are *prepared* when figures change, not at build time: the indicators services send ``figures_changed``
after the commit of a figure write (``plantrack.indicators.signals``), and :func:`charts_prepare_soon` draws the
charts of that plan whose key is not yet in the cache — only the changed target's, since every other key is
unchanged — in a background thread (``CONSOLIDATED_CHART_PREPARE``: ``thread``, ``inline`` or ``off``). The
build then finds every chart in the cache and never imports matplotlib (issue 12 point 10: build ≤ 1 s).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import translation

from .compile import Compilation, TargetRow, _target_rows

log = logging.getLogger(__name__)

# How many charts this process has drawn (not read from the cache): tests and the bench count draws with it.
draw_count = 0


def cache_dir() -> Path | None:
    configured = settings.CONSOLIDATED_CHART_CACHE_DIR
    return Path(configured) if configured else None  # "" switches caching off


@lru_cache(maxsize=1)
def _chart_code_digest() -> str:
    # Read the source without importing it: importing matplotlib alone takes longer than a cached build.
    origin = importlib.util.find_spec("plantrack.indicators.charts").origin
    return hashlib.sha256(Path(origin).read_bytes()).hexdigest()[:16]


def chart_key(row: TargetRow, *, language: str = "vi") -> str:
    view = row.view
    target, definition = view.target, view.definition
    parts = [
        _chart_code_digest(),
        language,
        target.code,
        target.text,
        target.short_name,
        target.unit,
        target.comparator,
        target.min_value,
        target.max_value,
        target.period_start_year,
        target.target_year,
        target.baseline_year,
        target.baseline_value,
        definition.unit,
        definition.direction,
        definition.assessment,
        definition.tolerance_percent,
        definition.at_risk_margin_percent,
        definition.baseline_year,
        definition.baseline_value,
        definition.decimal_places,
        definition.formula,
        sorted((year, str(p.value), p.is_demo) for year, p in view.points.items()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def chart_png(row: TargetRow) -> bytes:
    global draw_count
    directory = cache_dir()
    path = directory / f"{chart_key(row)}.png" if directory else None
    if path is not None and path.exists():
        return path.read_bytes()
    # local import: matplotlib loads only when a chart must really be drawn, not with every build
    from plantrack.indicators.charts import target_chart

    data = target_chart(row.view, fmt="png")
    draw_count += 1
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)  # atomic: a concurrent build never reads half a file
    return data


def chartable_rows(compilation: Compilation) -> list[TargetRow]:
    """Measured targets (and parts of compound ones) with at least one usable figure, in plan order."""
    return _chartable(compilation.targets)


def _chartable(targets: list[TargetRow]) -> list[TargetRow]:
    rows = []
    for row in targets:
        for candidate in [row, *row.parts]:
            if candidate.view is not None and candidate.view.series:
                rows.append(candidate)
    return rows


def consolidated_charts(compilation: Compilation, *, progress=None) -> list[tuple[TargetRow, bytes]]:
    rows = chartable_rows(compilation)
    result = []
    for index, row in enumerate(rows):
        result.append((row, chart_png(row)))
        if progress:
            progress(index + 1, len(rows))
    return result


def charts_prepare(*, plan_id: int, from_year: int | None = None) -> int:
    """Draw into the cache the charts the consolidated reports of ``plan_id`` will need and do not find there:
    one set per reporting cycle of the plan from ``from_year`` on (a figure of year Y shows in the reports of Y and
    later). Returns how many charts were drawn; reads the same rows as the build (``compile._target_rows``), so the
    keys are the build's."""
    from plantrack.plans.models import Plan
    from plantrack.reporting.models import ReportingCycle

    if cache_dir() is None:
        return 0
    drawn = 0
    years = ReportingCycle.objects.filter(plan_id=plan_id).values_list("year", flat=True)
    if from_year is not None:
        years = years.filter(year__gte=from_year)
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        return 0
    with translation.override("vi"):
        for year in sorted(years):
            for row in _chartable(_target_rows(plan, year)):
                path = cache_dir() / f"{chart_key(row)}.png"
                if not path.exists():
                    chart_png(row)
                    drawn += 1
    return drawn


_lock = threading.Lock()
_pending: dict[int, int | None] = {}  # plan id -> earliest year changed (None: every year), not yet prepared
_running: set[int] = set()  # plans with a preparing thread


def _earliest(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else min(a, b)


def charts_prepare_soon(*, plan_id: int, year: int | None = None, **_signal) -> None:
    """Prepare ``plan_id``'s charts after a figure change, as ``CONSOLIDATED_CHART_PREPARE`` says. Called after the
    commit (receiver of ``plantrack.indicators.signals.figures_changed``). In thread mode one thread per plan runs
    at a time; changes arriving meanwhile are folded into its next round, so a batch of 80 figure writes draws each
    changed chart about once, never 80 threads."""
    mode = settings.CONSOLIDATED_CHART_PREPARE
    if mode == "off" or cache_dir() is None:
        return
    if mode == "inline":
        charts_prepare(plan_id=plan_id, from_year=year)
        return
    with _lock:
        _pending[plan_id] = _earliest(_pending[plan_id], year) if plan_id in _pending else year
        if plan_id in _running:
            return
        _running.add(plan_id)
    threading.Thread(target=_prepare_thread, args=(plan_id,), name=f"charts-{plan_id}", daemon=True).start()


def _prepare_thread(plan_id: int) -> None:
    try:
        while True:
            with _lock:
                if plan_id not in _pending:
                    _running.discard(plan_id)
                    return
                from_year = _pending.pop(plan_id)
            try:
                charts_prepare(plan_id=plan_id, from_year=from_year)
            except Exception:  # the build draws a missing chart itself; never fail because of the cache
                log.exception("Preparing the charts of plan %s failed", plan_id)
    finally:
        with _lock:
            _running.discard(plan_id)
        connections.close_all()


def chart_cache_clear() -> int:
    directory = cache_dir()
    if directory is None or not directory.exists():
        return 0
    removed = 0
    for path in directory.glob("*.png"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
