"""Milestones by year ("lộ trình"): the path a target is judged against goes through the yearly milestones the
department sets, instead of a straight line from the baseline to the target."""

from decimal import Decimal as D

from plantrack.indicators.status import Rule, Status, path_points, status_for_year

# From 35 (2020) to 45 (2030), with a milestone of 43 in 2025: the province front-loads the effort.
FRONT_LOADED = Rule(
    comparator="at_least",
    low=D(45),
    high=None,
    target_year=2030,
    baseline_year=2020,
    baseline_value=D(35),
    milestones=((2025, D(43)),),
)


def test_the_expected_value_in_a_milestone_year_is_the_milestone():
    verdict = status_for_year(FRONT_LOADED, {2025: D(40)}, 2025)
    # The straight path would say 40 (on track); the milestone says 43: 3 points behind on a 10-point path.
    assert verdict.expected == D(43)
    assert verdict.status == Status.OFF_TRACK
    assert status_for_year(FRONT_LOADED, {2025: D(43)}, 2025).status == Status.ON_TRACK


def test_between_milestones_the_path_is_straight_from_one_to_the_next():
    # 2020 → 2025: 35 → 43, so 2023 expects 35 + 8 × 3/5 = 39,8.
    assert status_for_year(FRONT_LOADED, {2023: D("39.8")}, 2023).expected == D("39.8")
    # 2025 → 2030: 43 → 45, so 2028 expects 43 + 2 × 3/5 = 44,2.
    verdict = status_for_year(FRONT_LOADED, {2028: D(44)}, 2028)
    assert verdict.expected == D("44.2")
    assert verdict.status == Status.AT_RISK  # 0,2 behind on a 10-point path is within the 10 % margin


def test_milestones_outside_the_path_are_ignored():
    rule = Rule(
        comparator="at_least",
        low=D(45),
        high=None,
        target_year=2030,
        baseline_year=2020,
        baseline_value=D(35),
        milestones=((2019, D(1)), (2031, D(99))),
    )
    assert status_for_year(rule, {2025: D(40)}, 2025).expected == D(40)


def test_the_chart_path_goes_through_the_milestones():
    assert path_points(FRONT_LOADED, {}) == [(2020, D(35)), (2025, D(43)), (2030, D(45))]


def test_the_reason_names_the_milestones():
    verdict = status_for_year(FRONT_LOADED, {2025: D(40)}, 2025)
    assert "qua mốc 43,0 (2025)" in verdict.reason or "qua mốc 43 (2025)" in verdict.reason
