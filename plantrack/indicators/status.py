"""Status of a target in a year, and a projection to its target year: pure functions, no database.

The rules are written down, with worked examples, in docs/target-status.md; the tests in
tests/test_status.py pin every one of them. In short:

* **end state** (approximately, at least, at most, per population, ranges reached by the target year): the value is
  compared with a straight path from the baseline to the target value in the target year;
* **each year** (yearly growth, a band that must hold every year of a period): every year is judged on its own;
* **cumulative** (a count over the period): the running total is compared pro rata with the period;
* a **compound** target takes the worst status of its measured parts.

A series is a mapping ``{year: Decimal}`` of the indicator's values (for a cumulative target: the count of each
year, not the running total).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HUNDRED = Decimal(100)


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def symbol(self) -> str:
        # Shown beside the colour so the status never depends on colour alone.
        return {"achieved": "✔", "on_track": "↗", "at_risk": "!", "off_track": "✖", "no_data": "–"}[
            self.value
        ]


STATUS_LABELS = {
    Status.ACHIEVED: gettext_lazy("Đạt"),
    Status.ON_TRACK: gettext_lazy("Đúng tiến độ"),
    Status.AT_RISK: gettext_lazy("Có nguy cơ"),
    Status.OFF_TRACK: gettext_lazy("Chậm"),
    Status.NO_DATA: gettext_lazy("Chưa có số liệu"),
}

# Worst first: a compound target shows the worst status among its parts.
SEVERITY = [Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.ACHIEVED]


class Assessment(StrEnum):
    END_STATE = "end_state"
    EACH_YEAR = "each_year"
    CUMULATIVE = "cumulative"


class Direction(StrEnum):
    UP = (
        "up"  # higher is better: exceeding an "approximately" value or the top of a range still counts as met
    )
    DOWN = "down"  # lower is better
    BAND = "band"  # the value must stay near the figure or inside the range, neither above nor below


@dataclass(frozen=True)
class Rule:
    """Everything the status of one measured target depends on."""

    comparator: str
    low: Decimal | None
    high: Decimal | None
    target_year: int
    period_start: int | None = None
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    direction: str = Direction.UP
    assessment: str = Assessment.END_STATE
    # "approximately": the value counts as met within this share of the target value (5 % of 62,8 = ±3,14).
    tolerance_percent: Decimal = Decimal(5)
    # Behind the mark by at most this share of the distance still to cover: at risk; more: off track.
    at_risk_margin_percent: Decimal = Decimal(10)
    # Milestones by year set by the department ("lộ trình"): (year, value), the path goes through them.
    milestones: tuple[tuple[int, Decimal], ...] = ()

    @property
    def goal(self) -> Decimal | None:
        """The single figure an end-state target aims at (for a range: its lower bound)."""
        if self.comparator == "at_most":
            return self.high if self.high is not None else self.low
        return self.low if self.low is not None else self.high

    @property
    def tolerance(self) -> Decimal:
        goal = self.goal or Decimal(0)
        return abs(goal) * self.tolerance_percent / HUNDRED

    @property
    def margin(self) -> Decimal:
        return self.at_risk_margin_percent / HUNDRED

    @property
    def band(self) -> tuple[Decimal | None, Decimal | None]:
        """The lower and upper value the target accepts (None: open on that side), for charts and reasons."""
        goal = self.goal
        if self.comparator == "range":
            low, high = self.low, self.high
        elif self.comparator == "approximately" and goal is not None:
            low, high = goal - self.tolerance, goal + self.tolerance
        elif self.comparator == "at_most" or (
            self.comparator == "per_population" and self.direction == Direction.DOWN
        ):
            low, high = None, goal
        else:
            low, high = goal, None
        if self.direction == Direction.UP and self.comparator in ("range", "approximately"):
            high = None
        if self.direction == Direction.DOWN and self.comparator in ("range", "approximately"):
            low = None
        return low, high

    def meets(self, value: Decimal) -> bool:
        low, high = self.band
        return (low is None or value >= low) and (high is None or value <= high)


@dataclass(frozen=True)
class Verdict:
    status: Status
    year: int
    value: Decimal | None = None  # the value judged (for a cumulative target: the running total)
    expected: Decimal | None = None  # where the path says the value should be this year
    reason: str = ""

    @property
    def label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class Projection:
    year: int
    value: Decimal | None
    method: str
    meets: bool | None = None
    points: list[tuple[int, Decimal]] = field(default_factory=list)  # the fitted line, for charts


# --- helpers ----------------------------------------------------------------------------------------------------


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"))


def _fmt(value: Decimal | None) -> str:
    """A number for a sentence: at most two decimals, the Vietnamese decimal comma, no trailing zeros."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    text = f"{value:f}"
    return text.replace(".", ",")


def _grade(shortfall: Decimal, rule: Rule, *, allow_on_track: bool = True) -> Status:
    if shortfall <= 0 and allow_on_track:
        return Status.ON_TRACK
    if shortfall <= rule.margin:
        return Status.AT_RISK
    return Status.OFF_TRACK


def _start(rule: Rule, series: Mapping[int, Decimal], year: int) -> tuple[int, Decimal] | None:
    """The path's starting point: the baseline when it comes before ``year``, else the earliest figure before it."""
    if rule.baseline_year is not None and rule.baseline_value is not None and rule.baseline_year < year:
        return rule.baseline_year, rule.baseline_value
    earlier = sorted(y for y in series if y < year)
    if earlier:
        return earlier[0], series[earlier[0]]
    return None


def _aim(rule: Rule, value: Decimal) -> tuple[Decimal, int]:
    """The bound the value must move to, and in which direction (+1 up, −1 down), given where it stands."""
    low, high = rule.band
    if high is not None and value > high:
        return high, -1
    return (low if low is not None else rule.goal), +1


# --- status -----------------------------------------------------------------------------------------------------


def status_for_year(rule: Rule, series: Mapping[int, Decimal], year: int) -> Verdict:
    """The status of the target in ``year`` from the figures in ``series``."""
    if rule.goal is None:
        return Verdict(
            Status.NO_DATA, year, reason=_("Chỉ tiêu chưa có giá trị cần đạt: chưa đánh giá được.")
        )
    if rule.assessment == Assessment.CUMULATIVE:
        return _status_cumulative(rule, series, year)
    value = series.get(year)
    if value is None:
        return Verdict(Status.NO_DATA, year, reason=_("Chưa có số liệu năm %(year)s.") % {"year": year})
    if rule.meets(value):
        return Verdict(Status.ACHIEVED, year, value, reason=_meets_reason(rule, value))
    if rule.assessment == Assessment.EACH_YEAR and (rule.period_start is None or year >= rule.period_start):
        return _status_each_year(rule, value, year)
    end_year = rule.target_year
    if rule.assessment == Assessment.EACH_YEAR and rule.period_start is not None:
        end_year = rule.period_start  # before the period, the band has to be reached by its first year
    return _status_on_path(rule, series, year, value, end_year)


def _meets_reason(rule: Rule, value: Decimal) -> str:
    low, high = rule.band
    if rule.comparator == "range" and rule.high is not None and value > rule.high:
        return _("%(value)s vượt cận trên %(high)s của khoảng chỉ tiêu: đạt.") % {
            "value": _fmt(value),
            "high": _fmt(rule.high),
        }
    if rule.comparator == "approximately":
        return _("%(value)s ở mức khoảng %(goal)s (sai lệch cho phép ±%(tol)s): đạt.") % {
            "value": _fmt(value),
            "goal": _fmt(rule.goal),
            "tol": _fmt(rule.tolerance),
        }
    if low is not None and high is not None:
        return _("%(value)s nằm trong khoảng %(low)s – %(high)s: đạt.") % {
            "value": _fmt(value),
            "low": _fmt(low),
            "high": _fmt(high),
        }
    if high is not None:
        return _("%(value)s không vượt quá %(high)s: đạt.") % {"value": _fmt(value), "high": _fmt(high)}
    return _("%(value)s đạt mức %(low)s.") % {"value": _fmt(value), "low": _fmt(low)}


def _status_each_year(rule: Rule, value: Decimal, year: int) -> Verdict:
    aim, sign = _aim(rule, value)
    scale = abs(aim) or Decimal(1)
    shortfall = sign * (aim - value) / scale
    status = _grade(shortfall, rule, allow_on_track=False)
    return Verdict(
        status,
        year,
        value,
        expected=aim,
        reason=_(
            "Từng năm được đánh giá riêng: %(value)s so với mức %(aim)s, lệch %(gap)s%% mức chỉ tiêu "
            "(có nguy cơ khi lệch không quá %(margin)s%%)."
        )
        % {
            "value": _fmt(value),
            "aim": _fmt(aim),
            "gap": _fmt(shortfall * HUNDRED),
            "margin": _fmt(rule.at_risk_margin_percent),
        },
    )


def path_corners(
    rule: Rule, start: tuple[int, Decimal], aim: Decimal, end_year: int
) -> list[tuple[int, Decimal]]:
    """The path's corners: the start, the milestones strictly between the start and ``end_year``, the aim."""
    inner = sorted((y, v) for y, v in rule.milestones if start[0] < y < end_year)
    return [start, *inner, (end_year, aim)]


def path_value(rule: Rule, start: tuple[int, Decimal], aim: Decimal, end_year: int, year: int) -> Decimal:
    """The value the path from ``start`` to ``aim`` in ``end_year`` reaches in ``year``: straight from one corner
    (start, milestone, aim) to the next."""
    corners = path_corners(rule, start, aim, end_year)
    if end_year <= start[0]:
        return aim
    for (y0, v0), (y1, v1) in zip(corners, corners[1:], strict=False):
        if year <= y1:
            return v0 + (v1 - v0) * Decimal(year - y0) / Decimal(y1 - y0)
    return aim


def _status_on_path(
    rule: Rule, series: Mapping[int, Decimal], year: int, value: Decimal, end_year: int
) -> Verdict:
    if year >= end_year:
        return Verdict(
            Status.OFF_TRACK,
            year,
            value,
            reason=_("Đã đến năm %(end)s mà %(value)s chưa đạt mức chỉ tiêu.")
            % {"end": end_year, "value": _fmt(value)},
        )
    start = _start(rule, series, year)
    if start is None:
        return Verdict(
            Status.ON_TRACK,
            year,
            value,
            expected=value,
            reason=_(
                "Chưa có năm gốc và đây là năm đầu tiên có số liệu: năm %(year)s được lấy làm điểm xuất phát của "
                "lộ trình, chưa thể đánh giá chậm hay nhanh."
            )
            % {"year": year},
        )
    aim, sign = _aim(rule, value)
    expected = path_value(rule, start, aim, end_year, year)
    scale = abs(aim - start[1]) or abs(aim) or Decimal(1)
    shortfall = sign * (expected - value) / scale
    status = _grade(shortfall, rule)
    words = {
        "value": _fmt(value),
        "expected": _fmt(expected),
        "start_year": start[0],
        "start": _fmt(start[1]),
        "aim": _fmt(aim),
        "end": end_year,
        "gap": _fmt(max(shortfall, Decimal(0)) * HUNDRED),
        "margin": _fmt(rule.at_risk_margin_percent),
    }
    marks = path_corners(rule, start, aim, end_year)[1:-1]
    if marks:
        words["marks"] = ", ".join(f"{_fmt(v)} ({y})" for y, v in marks)
        path = _("Lộ trình từ %(start)s (%(start_year)s) qua mốc %(marks)s đến %(aim)s (%(end)s)") % words
    else:
        path = _("Lộ trình thẳng từ %(start)s (%(start_year)s) đến %(aim)s (%(end)s)") % words
    words["path"] = path
    if status == Status.ON_TRACK:
        text = _("%(path)s cần %(expected)s; đạt %(value)s: đúng tiến độ.")
    else:
        text = _(
            "%(path)s cần %(expected)s; đạt %(value)s, chậm %(gap)s%% quãng đường "
            "(có nguy cơ khi chậm không quá %(margin)s%%)."
        )
    return Verdict(status, year, value, expected=_q(expected), reason=text % words)


def cumulative_start(rule: Rule, series: Mapping[int, Decimal]) -> int | None:
    if rule.period_start is not None:
        return rule.period_start
    if rule.baseline_year is not None:
        return rule.baseline_year + 1
    return min(series) if series else None


def cumulative_total(rule: Rule, series: Mapping[int, Decimal], year: int) -> Decimal:
    first = cumulative_start(rule, series)
    if first is None:
        return Decimal(0)
    return sum((v for y, v in series.items() if first <= y <= year), Decimal(0))


def _status_cumulative(rule: Rule, series: Mapping[int, Decimal], year: int) -> Verdict:
    if series.get(year) is None:
        return Verdict(Status.NO_DATA, year, reason=_("Chưa có số liệu năm %(year)s.") % {"year": year})
    first = cumulative_start(rule, series)
    total = cumulative_total(rule, series, year)
    goal = rule.goal or Decimal(0)
    missing = [y for y in range(first, year) if y not in series]
    note = (
        (
            " "
            + _("Các năm chưa có số liệu (%(years)s) được tính bằng 0.")
            % {"years": ", ".join(map(str, missing))}
        )
        if missing
        else ""
    )
    if total >= goal:
        text = _("Cộng dồn %(first)s–%(year)s: %(total)s, đạt mức %(goal)s.")
        if rule.high is not None and total > rule.high:
            text = _("Cộng dồn %(first)s–%(year)s: %(total)s, vượt cả mức trên %(high)s.")
        return Verdict(
            Status.ACHIEVED,
            year,
            total,
            reason=(
                text
                % {
                    "first": first,
                    "year": year,
                    "total": _fmt(total),
                    "goal": _fmt(goal),
                    "high": _fmt(rule.high),
                }
            )
            + note,
        )
    if year >= rule.target_year:
        return Verdict(
            Status.OFF_TRACK,
            year,
            total,
            expected=goal,
            reason=_("Đến năm %(year)s cộng dồn %(total)s, chưa đạt mức %(goal)s.")
            % {"year": year, "total": _fmt(total), "goal": _fmt(goal)}
            + note,
        )
    years_in_period = rule.target_year - first + 1
    expected = goal * Decimal(year - first + 1) / Decimal(years_in_period)
    shortfall = (expected - total) / (goal or Decimal(1))
    status = _grade(shortfall, rule)
    return Verdict(
        status,
        year,
        total,
        expected=_q(expected),
        reason=_(
            "Tính theo tỷ lệ thời gian: sau %(n)s/%(period)s năm cần %(expected)s, cộng dồn đạt %(total)s."
        )
        % {"n": year - first + 1, "period": years_in_period, "expected": _fmt(expected), "total": _fmt(total)}
        + note,
    )


def compound_status(year: int, parts: Iterable[Verdict]) -> Verdict:
    """The worst status among the measured parts with data. Parts without data keep it from being "achieved"."""
    parts = list(parts)
    with_data = [v for v in parts if v.status != Status.NO_DATA]
    if not with_data:
        return Verdict(
            Status.NO_DATA,
            year,
            reason=_("Chưa có chỉ tiêu thành phần nào có số liệu năm %(year)s.") % {"year": year},
        )
    worst = min(with_data, key=lambda v: SEVERITY.index(v.status)).status
    if worst == Status.ACHIEVED and len(with_data) < len(parts):
        worst = Status.ON_TRACK
    return Verdict(
        worst,
        year,
        reason=_(
            "Chỉ tiêu ghép: lấy tình trạng kém nhất của %(n)s/%(total)s chỉ tiêu thành phần có số liệu; "
            "chưa đủ số liệu các phần thì chưa tính là đạt."
        )
        % {"n": len(with_data), "total": len(parts)},
    )


# --- projection -------------------------------------------------------------------------------------------------


def least_squares(points: list[tuple[int, Decimal]]) -> tuple[float, float]:
    """Intercept and slope of the least-squares line through ``points`` (x = year)."""
    n = len(points)
    xs = [float(x) for x, _y in points]
    ys = [float(y) for _x, y in points]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    return mean_y - slope * mean_x, slope


def projection(rule: Rule, series: Mapping[int, Decimal]) -> Projection:
    """Where the trend so far leads by the target year, with the method in words for the user."""
    target_year = rule.target_year
    if rule.assessment == Assessment.CUMULATIVE:
        first = cumulative_start(rule, series)
        years = sorted(y for y in series if first is not None and first <= y <= target_year)
        if not years:
            return Projection(target_year, None, _("Chưa có số liệu để dự báo."))
        last = years[-1]
        total = cumulative_total(rule, series, last)
        per_year = total / Decimal(last - first + 1)
        value = _q(total + per_year * (target_year - last))
        return Projection(
            target_year,
            value,
            _(
                "Bình quân %(per_year)s mỗi năm trong %(n)s năm (%(first)s–%(last)s), giữ nhịp này đến %(target)s: "
                "%(total)s + %(per_year)s × %(left)s năm = %(value)s."
            )
            % {
                "per_year": _fmt(per_year),
                "n": last - first + 1,
                "first": first,
                "last": last,
                "target": target_year,
                "total": _fmt(total),
                "left": target_year - last,
                "value": _fmt(value),
            },
            meets=value >= (rule.goal or 0),
            points=[(last, total), (target_year, value)],
        )
    if rule.comparator == "yearly_growth":
        years = sorted(series)
        if not years:
            return Projection(target_year, None, _("Chưa có số liệu để dự báo."))
        mean = _q(sum(series.values(), Decimal(0)) / len(years))
        return Projection(
            target_year,
            mean,
            _(
                "Trung bình cộng mức tăng của %(n)s năm có số liệu (%(first)s–%(last)s): %(mean)s; "
                "giả định các năm còn lại giữ mức này."
            )
            % {"n": len(years), "first": years[0], "last": years[-1], "mean": _fmt(mean)},
            meets=rule.meets(mean) if rule.goal is not None else None,
            points=[(years[-1], mean), (target_year, mean)],
        )
    points = sorted(series.items())
    if (
        rule.baseline_year is not None
        and rule.baseline_value is not None
        and rule.baseline_year not in series
    ):
        points = sorted([*points, (rule.baseline_year, rule.baseline_value)])
    if len(points) < 2:
        return Projection(
            target_year, None, _("Cần ít nhất hai năm số liệu (kể cả năm gốc) để dự báo theo xu hướng.")
        )
    intercept, slope = least_squares(points)
    value = _q(Decimal(str(round(intercept + slope * target_year, 6))))
    first_year = points[0][0]
    first_fit = _q(Decimal(str(round(intercept + slope * first_year, 6))))
    return Projection(
        target_year,
        value,
        _(
            "Đường thẳng bình phương nhỏ nhất qua %(n)s điểm số liệu (%(first)s–%(last)s), độ dốc %(slope)s mỗi năm, "
            "kéo dài đến %(target)s: %(value)s."
        )
        % {
            "n": len(points),
            "first": first_year,
            "last": points[-1][0],
            "slope": ("+" if slope >= 0 else "") + _fmt(Decimal(str(round(slope, 4)))),
            "target": target_year,
            "value": _fmt(value),
        },
        meets=rule.meets(value) if rule.goal is not None else None,
        points=[(first_year, first_fit), (target_year, value)],
    )


def path_points(rule: Rule, series: Mapping[int, Decimal]) -> list[tuple[int, Decimal]]:
    """The reference line for charts: the straight path of an end-state target, the pro-rata line of a count."""
    if rule.assessment == Assessment.CUMULATIVE:
        first = cumulative_start(rule, series)
        if first is None or rule.goal is None:
            return []
        return [(first - 1, Decimal(0)), (rule.target_year, rule.goal)]
    if rule.assessment == Assessment.EACH_YEAR or rule.goal is None:
        return []
    start = _start(rule, series, rule.target_year)
    if start is None:
        return []
    aim, _sign = _aim(rule, start[1]) if not rule.meets(start[1]) else (rule.goal, 1)
    return path_corners(rule, (start[0], start[1]), aim, rule.target_year)
