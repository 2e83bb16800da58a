"""PNG charts of the targets for the consolidated report, drawn by ``plantrack.indicators.charts.target_chart``.

Drawing a chart with matplotlib takes a few hundred milliseconds, far more than the rest of the report, and a
chart depends only on its target, its indicator definition and its series. So PNGs are kept in a small file cache
(``<DATA_DIR>/cache/charts/<sha256>.png``, or ``CONSOLIDATED_CHART_CACHE_DIR``) keyed by a digest of exactly
those inputs plus the chart module's source: a changed figure, rule or chart code gives a new key. Stale files are
harmless; ``chart_cache_clear`` removes them.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .compile import Compilation, TargetRow


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
    directory = cache_dir()
    path = directory / f"{chart_key(row)}.png" if directory else None
    if path is not None and path.exists():
        return path.read_bytes()
    # local import: matplotlib loads only when a chart must really be drawn, not with every build
    from plantrack.indicators.charts import target_chart

    data = target_chart(row.view, fmt="png")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)  # atomic: a concurrent build never reads half a file
    return data


def chartable_rows(compilation: Compilation) -> list[TargetRow]:
    """Measured targets (and parts of compound ones) with at least one usable figure, in plan order."""
    rows = []
    for row in compilation.targets:
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


def chart_cache_clear() -> int:
    directory = cache_dir()
    if directory is None or not directory.exists():
        return 0
    removed = 0
    for path in directory.glob("*.png"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
