"""Every comparator's status rule, pinned with the worked examples of docs/target-status.md."""

from decimal import Decimal as D

import pytest

from plantrack.indicators.status import (
    Assessment,
    Direction,
    Rule,
    Status,
    Verdict,
    compound_status,
    least_squares,
    path_points,
    projection,
    status_for_year,
)


def rule(comparator, low=None, high=None, **kwargs) -> Rule:
    kwargs.setdefault("target_year", 2030)
    return Rule(
        comparator=comparator,
        low=None if low is None else D(str(low)),
        high=None if high is None else D(str(high)),
        **kwargs,
    )


def series(**by_year) -> dict[int, D]:
    return {int(y.removeprefix("y")): D(str(v)) for y, v in by_year.items()}


# --- at least (end state, linear path) -------------------------------------------------------------------------

AT_LEAST_45 = rule("at_least", 45, baseline_year=2020, baseline_value=D(35))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # The path from 35 (2020) to 45 (2030) needs 40 in 2025 (+1 a year): at or above it is on track.
        (40, Status.ON_TRACK),
        (42, Status.ON_TRACK),
        # Behind by at most 10 % of the whole distance (10 points → 1 point): at risk.
        (39, Status.AT_RISK),
        # Behind by more: off track.
        (38.9, Status.OFF_TRACK),
        # The target level reached before the target year: achieved.
        (45, Status.ACHIEVED),
        (46, Status.ACHIEVED),
    ],
)
def test_at_least_against_the_linear_path(value, expected):
    verdict = status_for_year(AT_LEAST_45, {2025: D(str(value))}, 2025)
    assert verdict.status == expected
    if expected in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        assert verdict.expected == D(40)


def test_at_least_in_the_target_year_is_achieved_or_off_track():
    assert status_for_year(AT_LEAST_45, {2030: D(45)}, 2030).status == Status.ACHIEVED
    assert status_for_year(AT_LEAST_45, {2030: D("44.9")}, 2030).status == Status.OFF_TRACK
    # After the target year the same holds.
    assert status_for_year(AT_LEAST_45, {2031: D(44)}, 2031).status == Status.OFF_TRACK


def test_a_target_without_a_value_cannot_be_judged():
    verdict = status_for_year(rule("at_least"), series(y2025=40), 2025)
    assert verdict.status == Status.NO_DATA
    assert "chưa có giá trị" in verdict.reason


def test_no_figure_for_the_year_is_no_data():
    verdict = status_for_year(AT_LEAST_45, {2024: D(40)}, 2025)
    assert verdict.status == Status.NO_DATA
    assert "2025" in verdict.reason


def test_no_baseline_uses_the_earliest_figure_as_the_start():
    no_baseline = rule("at_least", 45)
    # Path from 38,5 (2021) to 45 (2030): 2025 needs 38,5 + 6,5 × 4/9 = 41,39.
    figures = series(y2021=38.5, y2025=40.9)
    verdict = status_for_year(no_baseline, figures, 2025)
    assert verdict.expected == D("41.3889")
    assert verdict.status == Status.AT_RISK  # 0,49 behind of 6,5 = 7,5 % ≤ 10 %
    assert status_for_year(no_baseline, series(y2021=38.5, y2025=40.5), 2025).status == Status.OFF_TRACK


def test_single_year_without_baseline_is_the_start_of_the_path():
    no_baseline = rule("at_least", 45)
    verdict = status_for_year(no_baseline, series(y2025=40), 2025)
    assert verdict.status == Status.ON_TRACK
    assert "điểm xuất phát" in verdict.reason
    # …unless that single figure already meets the target,
    assert status_for_year(no_baseline, series(y2025=45), 2025).status == Status.ACHIEVED
    # …or it is the target year.
    assert status_for_year(no_baseline, series(y2030=40), 2030).status == Status.OFF_TRACK


def test_a_single_year_with_a_baseline_uses_the_path():
    verdict = status_for_year(AT_LEAST_45, series(y2025=38.5), 2025)
    assert verdict.status == Status.OFF_TRACK  # 1,5 behind 40 = 15 % of the distance


def test_baseline_after_the_year_is_ignored():
    late_baseline = rule("at_least", 45, baseline_year=2026, baseline_value=D(30))
    verdict = status_for_year(late_baseline, series(y2021=38.5, y2025=40.9), 2025)
    assert verdict.expected == D("41.3889")


def test_fallen_below_a_baseline_that_already_met_the_target():
    met_at_start = rule("at_least", 45, baseline_year=2020, baseline_value=D(50))
    # Path 50 → 45: 2025 expects 47,5; 44 is 3,5 behind on a 5-point distance.
    assert status_for_year(met_at_start, series(y2025=44), 2025).status == Status.OFF_TRACK


# --- at most ---------------------------------------------------------------------------------------------------


def test_at_most_path_goes_down():
    at_most = rule("at_most", high=10, baseline_year=2020, baseline_value=D(20), direction=Direction.DOWN)
    # Path 20 → 10: 2025 expects 15.
    assert status_for_year(at_most, series(y2025=15), 2025).status == Status.ON_TRACK
    assert status_for_year(at_most, series(y2025="15.9"), 2025).status == Status.AT_RISK
    assert status_for_year(at_most, series(y2025=17), 2025).status == Status.OFF_TRACK
    assert status_for_year(at_most, series(y2025=10), 2025).status == Status.ACHIEVED


# --- approximately ---------------------------------------------------------------------------------------------

TFP = rule("approximately", 62.8, 62.8, period_start=2021)


def test_approximately_higher_is_better_counts_from_the_lower_tolerance():
    # Tolerance 5 % of 62,8 = 3,14: from 59,66 it is achieved, and higher still is achieved.
    assert status_for_year(TFP, series(y2025=59.66), 2025).status == Status.ACHIEVED
    assert status_for_year(TFP, series(y2025=70), 2025).status == Status.ACHIEVED
    # Path from 48 (2021) to 59,66 (2030): 2025 expects 53,18.
    verdict = status_for_year(TFP, series(y2021=48, y2025=55.2), 2025)
    assert verdict.status == Status.ON_TRACK
    assert verdict.expected == D("53.1822")


def test_approximately_as_a_band_refuses_overshooting():
    band = rule("approximately", 62.8, 62.8, direction=Direction.BAND)
    assert status_for_year(band, series(y2030=65.9), 2030).status == Status.ACHIEVED
    assert status_for_year(band, series(y2030=66), 2030).status == Status.OFF_TRACK
    # Overshooting early: the path leads from the start down to the upper edge 65,94 (67,97 in 2025).
    assert status_for_year(band, series(y2020=70, y2025=67.5), 2025).status == Status.ON_TRACK
    assert status_for_year(band, series(y2020=70, y2025=68), 2025).status == Status.AT_RISK
    assert status_for_year(band, series(y2020=66, y2025=69), 2025).status == Status.OFF_TRACK


def test_approximately_tolerance_is_configurable():
    strict = rule("approximately", 62.8, 62.8, tolerance_percent=D(1))
    assert status_for_year(strict, series(y2030=62.2), 2030).status == Status.ACHIEVED  # ≥ 62,172
    assert status_for_year(strict, series(y2030=62.1), 2030).status == Status.OFF_TRACK


# --- per population --------------------------------------------------------------------------------------------


def test_per_population_is_an_end_state_at_least():
    per_pop = rule("per_population", 12)
    # Demo series of plan 386: 7,73 (2021) → 8,68 (2025); the path needs 9,63.
    verdict = status_for_year(per_pop, series(y2021="7.7309", y2025="8.6833"), 2025)
    assert verdict.status == Status.OFF_TRACK
    assert verdict.expected == D("9.6283")
    assert status_for_year(per_pop, series(y2021=7.73, y2025=12.1), 2025).status == Status.ACHIEVED


# --- ranges ----------------------------------------------------------------------------------------------------

SHARE_10_15 = rule("range", 10, 15, direction=Direction.BAND)


def test_range_inside_the_band_is_achieved():
    assert status_for_year(SHARE_10_15, series(y2025=10), 2025).status == Status.ACHIEVED
    assert status_for_year(SHARE_10_15, series(y2025=15), 2025).status == Status.ACHIEVED


def test_range_met_from_above():
    # A band target (10–15 %, no more) approached from above: 18 → 16,5 → 14.
    figures = series(y2021=18, y2023=16.5, y2025=14)
    assert status_for_year(SHARE_10_15, figures, 2025).status == Status.ACHIEVED
    # 2023: the path runs from 18 (2021) down to 15 (2030), 17,33 in 2023; 16,5 is below it: on track.
    verdict = status_for_year(SHARE_10_15, figures, 2023)
    assert verdict.status == Status.ON_TRACK
    assert verdict.expected == D("17.3333")
    # Still above the band in the target year: off track.
    assert status_for_year(SHARE_10_15, series(y2021=18, y2030=15.5), 2030).status == Status.OFF_TRACK


def test_range_above_the_band_when_higher_is_better_is_achieved():
    up = rule("range", 10, 15, direction=Direction.UP)
    verdict = status_for_year(up, series(y2025=18), 2025)
    assert verdict.status == Status.ACHIEVED
    assert "vượt cận trên" in verdict.reason


def test_range_below_the_band_follows_the_path_to_the_lower_bound():
    up = rule("range", 10, 15, direction=Direction.UP)
    # 8,2 (2021) → 10 (2030): 2024 needs 8,8.
    assert status_for_year(up, series(y2021=8.2, y2024=8.8), 2024).status == Status.ON_TRACK
    assert status_for_year(up, series(y2021=8.2, y2024=8.5), 2024).status == Status.OFF_TRACK


def test_range_each_year_of_a_period_is_judged_on_its_own():
    budget = rule("range", 1.5, 2, period_start=2025, assessment=Assessment.EACH_YEAR, direction=Direction.UP)
    assert status_for_year(budget, series(y2025=1.57), 2025).status == Status.ACHIEVED
    assert status_for_year(budget, series(y2026=2.3), 2026).status == Status.ACHIEVED
    # Short of 1,5 by at most 10 % of it (≥ 1,35): at risk; more: off track. No "on track" inside the period.
    assert status_for_year(budget, series(y2026=1.35), 2026).status == Status.AT_RISK
    assert status_for_year(budget, series(y2026=1.34), 2026).status == Status.OFF_TRACK
    # Before the period: a path to the band's lower bound by its first year (1,08 in 2021 → 1,5 in 2025).
    verdict = status_for_year(budget, series(y2021=1.08, y2024=1.40), 2024)
    assert verdict.status == Status.ON_TRACK
    assert verdict.expected == D("1.395")
    assert status_for_year(budget, series(y2021=1.08, y2024=1.39), 2024).status == Status.AT_RISK


# --- yearly growth ---------------------------------------------------------------------------------------------

PATENTS = rule("yearly_growth", 20, assessment=Assessment.EACH_YEAR)


@pytest.mark.parametrize(
    ("growth", "expected"),
    [
        (24.2, Status.ACHIEVED),
        (20, Status.ACHIEVED),
        (18, Status.AT_RISK),  # 2 points short of 20 = 10 %
        (17.9, Status.OFF_TRACK),
        (-5, Status.OFF_TRACK),
    ],
)
def test_yearly_growth_each_year_on_its_own(growth, expected):
    # A bad previous year does not make a good year worse, and vice versa.
    figures = {2023: D(-30), 2024: D(str(growth))}
    assert status_for_year(PATENTS, figures, 2024).status == expected


def test_yearly_growth_without_last_years_count_is_no_data():
    # The growth of the first year with a count cannot be computed; the series has no value for it.
    assert status_for_year(PATENTS, {}, 2021).status == Status.NO_DATA


# --- count over the period -------------------------------------------------------------------------------------

AWARDS = rule("count_over_period", 10, 15, period_start=2021, assessment=Assessment.CUMULATIVE)


def test_count_over_period_pro_rata():
    figures = series(y2021=1, y2022=0, y2023=2, y2024=1, y2025=2)
    verdict = status_for_year(AWARDS, figures, 2025)
    # 5 of 10 years: 5 awards expected, 6 counted.
    assert verdict.status == Status.ON_TRACK
    assert verdict.value == 6
    assert verdict.expected == 5
    # 2024: 4 of 10 years → 4 expected, 4 counted.
    assert status_for_year(AWARDS, figures, 2024).status == Status.ON_TRACK
    # 2022: 2 expected, 1 counted → 50 % of the goal's yearly share short; 10 % of 10 = 1 award of slack.
    assert status_for_year(AWARDS, figures, 2022).status == Status.AT_RISK


def test_count_over_period_reaching_the_goal_early_is_achieved():
    figures = series(y2021=4, y2022=6)
    verdict = status_for_year(AWARDS, figures, 2022)
    assert verdict.status == Status.ACHIEVED
    assert status_for_year(AWARDS, series(y2021=9, y2022=9), 2022).reason.count("vượt") == 1


def test_count_over_period_missing_years_count_as_zero_and_are_named():
    verdict = status_for_year(AWARDS, series(y2021=1, y2025=2), 2025)
    assert verdict.value == 3
    assert verdict.status == Status.OFF_TRACK  # 5 expected, 3 counted
    assert "2022, 2023, 2024" in verdict.reason


def test_count_over_period_short_in_the_target_year_is_off_track():
    assert status_for_year(AWARDS, {y: D(1) for y in range(2021, 2031)}, 2030).status == Status.ACHIEVED
    assert status_for_year(AWARDS, {y: D(0) for y in range(2021, 2031)}, 2030).status == Status.OFF_TRACK


def test_count_over_period_without_a_figure_for_the_year_is_no_data():
    assert status_for_year(AWARDS, series(y2021=1), 2022).status == Status.NO_DATA


# --- compound --------------------------------------------------------------------------------------------------


def v(status: Status) -> Verdict:
    return Verdict(status, 2025)


def test_compound_takes_the_worst_part():
    assert (
        compound_status(2025, [v(Status.ACHIEVED), v(Status.AT_RISK), v(Status.ON_TRACK)]).status
        == Status.AT_RISK
    )
    assert compound_status(2025, [v(Status.ACHIEVED), v(Status.OFF_TRACK)]).status == Status.OFF_TRACK
    assert compound_status(2025, [v(Status.ACHIEVED), v(Status.ACHIEVED)]).status == Status.ACHIEVED


def test_compound_with_parts_missing_is_never_achieved():
    assert compound_status(2025, [v(Status.ACHIEVED), v(Status.NO_DATA)]).status == Status.ON_TRACK
    assert compound_status(2025, [v(Status.NO_DATA), v(Status.NO_DATA)]).status == Status.NO_DATA
    assert compound_status(2025, []).status == Status.NO_DATA


# --- projection ------------------------------------------------------------------------------------------------


def test_least_squares_on_a_straight_line():
    intercept, slope = least_squares([(2021, D(1)), (2022, D(3)), (2023, D(5))])
    assert slope == pytest.approx(2)
    assert intercept + slope * 2030 == pytest.approx(19)


def test_projection_linear_with_its_method():
    p = projection(AT_LEAST_45, series(y2021=36, y2022=37, y2023=38))
    # With the baseline point (2020, 35) the line is exact: +1 a year → 45 in 2030.
    assert p.value == D(45)
    assert p.meets is True
    assert "bình phương nhỏ nhất" in p.method and "4 điểm" in p.method


def test_projection_needs_two_points():
    p = projection(rule("at_least", 45), series(y2025=40))
    assert p.value is None
    assert "ít nhất hai năm" in p.method


def test_projection_of_yearly_growth_is_the_mean_rate():
    p = projection(PATENTS, series(y2021=11, y2022=23.7, y2023=17.3, y2024=24.2, y2025=18.6))
    assert p.value == D("18.96")
    assert p.meets is False
    assert "Trung bình" in p.method


def test_projection_of_a_count_keeps_the_yearly_pace():
    p = projection(AWARDS, series(y2021=1, y2022=0, y2023=2, y2024=1, y2025=2))
    # 6 in 5 years = 1,2 a year; 5 more years → 12.
    assert p.value == D(12)
    assert p.meets is True


def test_path_points_for_charts():
    assert path_points(AT_LEAST_45, {}) == [(2020, D(35)), (2030, D(45))]
    assert path_points(AWARDS, {}) == [(2020, D(0)), (2030, D(10))]
    assert path_points(PATENTS, series(y2021=10)) == []
