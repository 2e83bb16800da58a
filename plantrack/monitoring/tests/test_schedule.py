"""The schedule as date arithmetic: default steps, weekly repeats, which step is current on a given day."""

import datetime

import pytest

from plantrack.monitoring.schedule import CATCH_UP_DAYS, DEFAULT_RULE, ScheduleRule

DUE = datetime.date(2025, 12, 5)


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


def current(rule: ScheduleRule, offset: int) -> int | None:
    step = rule.current_step(due_date=DUE, today=day(offset))
    return None if step is None else step.offset


def test_default_is_30_7_1_before_then_the_day_after_then_weekly():
    steps = list(DEFAULT_RULE.steps(due_date=DUE, until=day(20)))
    assert [s.offset for s in steps] == [-30, -7, -1, 1, 8, 15, 22]
    assert steps[0].day == datetime.date(2025, 11, 5)
    assert [s.repeat for s in steps] == [0, 0, 0, 0, 1, 2, 3]
    assert [s.grade for s in steps] == [0, 0, 0, 1, 2, 2, 2]
    assert steps[3].label == "1 ngày sau hạn" and steps[4].label == "8 ngày sau hạn (đôn đốc lần 2)"
    assert steps[0].key == "D-30" and steps[3].key == "D+1"


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-40, None),
        (-30, -30),
        (-25, -30),
        (-30 + CATCH_UP_DAYS, -30),
        (-30 + CATCH_UP_DAYS + 1, None),
        (-7, -7),
        (-2, -7),
        (-1, -1),
        (0, -1),
        (1, 1),
        (7, 1),
        (8, 8),
        (14, 8),
        (15, 15),
        (300, 295),
    ],
)
def test_current_step_is_the_latest_step_still_fresh(offset, expected):
    assert current(DEFAULT_RULE, offset) == expected


def test_a_reminder_before_the_due_date_is_never_sent_after_it():
    rule = ScheduleRule(days_before=(3,), days_after=(), repeat_every=0)
    assert current(rule, -3) == -3 and current(rule, 0) == -3
    assert current(rule, 1) is None


def test_repeat_limit_and_no_repeat():
    limited = ScheduleRule(repeat_limit=2)
    assert [s.offset for s in limited.steps(due_date=DUE, until=day(60))] == [-30, -7, -1, 1, 8, 15]
    assert current(limited, 22) is None
    never = ScheduleRule(repeat_every=0)
    assert current(never, 3) == 1 and current(never, 8) is None


def test_repeats_follow_the_due_date_when_there_is_no_step_after_it():
    rule = ScheduleRule(days_before=(7,), days_after=(), repeat_every=10)
    assert [s.offset for s in rule.steps(due_date=DUE, until=day(25))] == [-7, 10, 20, 30]


def test_a_paused_schedule_sends_nothing_and_has_no_next_step():
    paused = ScheduleRule(active=False)
    assert current(paused, 1) is None
    assert paused.next_step(due_date=DUE, today=day(0)) is None
    assert DEFAULT_RULE.next_step(due_date=DUE, today=day(0)).offset == 1


def test_describe():
    assert DEFAULT_RULE.describe() == "trước hạn 30, 7, 1 ngày; sau hạn 1 ngày; sau đó mỗi 7 ngày"
    assert "tạm dừng" in ScheduleRule(active=False).describe()
