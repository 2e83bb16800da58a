"""The chart of a target: its series against the target band, the path and the projection. SVG for pages, PNG for
documents, both drawn server-side by matplotlib (Agg, no display, nothing fetched from outside)."""

import io
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: no display on a server
# Set once for the process (rc_context per request would not be thread-safe): SVG text stays text (smaller,
# searchable, read by screen readers), and ids are stable so the same chart gives the same bytes.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "plantrack"

from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from plantrack.core.numbers import format_decimal  # noqa: E402

from .selectors import IndicatorView  # noqa: E402
from .status import Assessment  # noqa: E402

INK, MUTED, RED, BLUE, GREEN, AMBER = "#1f2933", "#5f6b7a", "#b71c1c", "#0d47a1", "#1b5e20", "#8a5a00"


def _f(value) -> float:
    return float(value) if value is not None else float("nan")


def target_chart(view: IndicatorView, *, fmt: str = "svg", width: float = 8.0, height: float = 4.6) -> bytes:
    """The chart as SVG or PNG bytes. Text is Vietnamese (DejaVu Sans, shipped with matplotlib, has the
    diacritics); numbers use the decimal comma."""
    rule = view.rule
    series = view.series
    cumulative = rule.assessment == Assessment.CUMULATIVE
    years = sorted(series)
    start_years = [y for y, _v in view.path] + years
    if rule.baseline_year:
        start_years.append(rule.baseline_year)
    if rule.period_start:
        start_years.append(rule.period_start - (1 if cumulative else 0))
    first = min(start_years) if start_years else rule.target_year - 5
    last = max([rule.target_year, *years])

    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot()
    ax.set_xlim(first - 0.5, last + 0.5)

    if cumulative:
        ax.bar(years, [_f(series[y]) for y in years], color="#90a4ae", width=0.6, label=_("Số trong năm"))
        totals = [_f(view.cumulative(y)) for y in years]
        ax.plot(years, totals, marker="o", color=BLUE, linewidth=2.2, label=_("Cộng dồn"))
        for y, t in zip(years, totals, strict=True):
            ax.annotate(
                format_decimal(Decimal(str(t)), 0),
                (y, t),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=8,
                color=BLUE,
            )
    else:
        ax.plot(
            years,
            [_f(series[y]) for y in years],
            marker="o",
            color=BLUE,
            linewidth=2.2,
            label=_("Số liệu thực hiện"),
        )
        for y in years:
            ax.annotate(
                view.fmt(series[y]),
                (y, _f(series[y])),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=8,
                color=BLUE,
            )

    low, high = rule.band
    band_first = (
        rule.period_start if rule.assessment == Assessment.EACH_YEAR and rule.period_start else first - 0.5
    )
    goal = rule.goal
    if cumulative:
        low, high = rule.low, rule.high
        band_first = rule.target_year - 0.5
    values = [_f(v) for v in series.values()] + [_f(v) for _y, v in view.path]
    values += [_f(v) for v in (low, high, goal) if v is not None]
    if cumulative:
        values += [_f(view.cumulative(y)) for y in years]
    if view.projection.value is not None:
        values.append(_f(view.projection.value))
    finite = [v for v in values if v == v]
    top = max(finite) if finite else 1.0
    bottom = min(finite + [0.0]) if finite else 0.0
    span = (top - bottom) or 1.0
    ax.set_ylim(bottom - span * 0.05 if bottom < 0 else 0, top + span * 0.18)
    y0, y1 = ax.get_ylim()
    if low is not None or high is not None:
        ax.axhspan(
            _f(low) if low is not None else y0,
            _f(high) if high is not None else y1,
            xmin=(band_first - (first - 0.5)) / (last - first + 1),
            color=GREEN,
            alpha=0.12,
            label=_("Vùng đạt chỉ tiêu"),
        )
    if not cumulative:
        for line in {v for v in (rule.low, rule.high) if v is not None}:
            ax.axhline(_f(line), color=GREEN, linewidth=1, linestyle="-", alpha=0.7)

    if view.path:
        ax.plot(
            [y for y, _v in view.path],
            [_f(v) for _y, v in view.path],
            color=AMBER,
            linestyle="--",
            linewidth=1.5,
            label=_("Lộ trình") if not cumulative else _("Lộ trình theo tỷ lệ thời gian"),
        )
    proj = view.projection
    if proj.value is not None and proj.points:
        ax.plot(
            [y for y, _v in proj.points],
            [_f(v) for _y, v in proj.points],
            color=MUTED,
            linestyle=":",
            linewidth=1.5,
            label=_("Dự báo theo xu hướng"),
        )
        ax.plot([proj.year], [_f(proj.value)], marker="D", color=MUTED, markersize=5)

    ax.axvline(rule.target_year, color=RED, linewidth=0.8, linestyle="-.", alpha=0.6)
    ax.text(
        rule.target_year,
        y1,
        _("Năm đích %(year)s") % {"year": rule.target_year},
        color=RED,
        fontsize=8,
        ha="right",
        va="top",
        rotation=90,
    )
    if view.has_demo:
        ax.text(
            0.5,
            0.5,
            _("SỐ LIỆU DEMO"),
            transform=ax.transAxes,
            fontsize=34,
            color=RED,
            alpha=0.08,
            ha="center",
            va="center",
            rotation=20,
        )

    step = 1 if last - first <= 14 else 2
    ax.set_xticks(range(first, last + 1, step))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_decimal(Decimal(str(round(v, 4))))))
    unit = view.definition.unit or view.target.unit
    ax.set_ylabel(unit, color=INK)
    ax.set_title(f"{view.target.code} {view.definition.name}", fontsize=10, color=INK, loc="left", wrap=True)
    ax.grid(axis="y", color="#d9dee5", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), fontsize=8, frameon=False, ncols=3)
    # Fixed margins sized for the widest tick labels and two legend rows, not tight_layout: measuring the text
    # drew the chart twice and cost a third of the time (issue 12 point 10).
    fig.subplots_adjust(
        left=0.75 / width, right=1 - 0.15 / width, top=1 - 0.45 / height, bottom=0.95 / height
    )

    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()
