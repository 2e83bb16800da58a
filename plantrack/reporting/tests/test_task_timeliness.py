"""Task timeliness: one state per (task, agency) pair, by one rule (docs/design/task-timeliness.md).

Every state is reached through the real services: deadlines set with ``plans.services.task_deadline_change``,
statuses reported in reports sent and accepted on frozen days."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plantrack.orgs.tests.factories import AgencyFactory
from plantrack.plans.models import Recurrence, Task
from plantrack.plans.services import TaskDeadlineError, task_deadline_change
from plantrack.plans.tests.factories import AssignmentFactory, TaskFactory
from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport, EntryStatus
from plantrack.reporting.timeliness import (
    TaskTimeliness,
    plan_task_timeliness,
    timeliness_state,
    timeliness_summary,
)

from .conftest import VN

T = TaskTimeliness
NOV_20 = datetime.date(2025, 11, 20)


def states(world, as_of, *, task=None) -> dict[tuple[str, str], str]:
    """``{(task code, agency short name): state}`` on ``as_of``."""
    return {
        (r.task.code, r.agency.short_name): r.state
        for r in plan_task_timeliness(plan=world.plan, as_of=as_of)
        if task is None or r.task.pk == task.pk
    }


def set_deadline(world, task, day):
    return task_deadline_change(actor=world.coordinator, task=task, deadline=day)


def report_status(world, cycle, agency, head, status, *, accept=True):
    """``agency`` reports every entry with ``status`` and sends it now; the coordinator accepts it."""
    report = world.report(cycle, agency)
    entries = {
        e.pk: {"status": status, "results": "Đã thực hiện", "difficulties": ""} for e in report.entries.all()
    }
    report = services.report_save_draft(
        actor=head,
        report=report,
        version=report.version,
        sections={"main_results": "Kết quả"},
        entries=entries,
    )
    services.report_submit(actor=head, report=report)
    if accept:
        services.report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report.pk))


def test_not_yet_due(world):
    set_deadline(world, world.t1, datetime.date(2026, 6, 30))
    assert states(world, NOV_20, task=world.t1) == {
        ("III.1.a", "Sở Tài chính"): T.NOT_DUE,
        ("III.1.a", "Sở Nội vụ"): T.NOT_DUE,
    }


def test_due_soon_within_the_configured_days(world, settings):
    set_deadline(world, world.t1, datetime.date(2025, 12, 15))  # 25 days ahead
    assert set(states(world, NOV_20, task=world.t1).values()) == {T.DUE_SOON}
    settings.PLANTRACK_TASK_DUE_SOON_DAYS = 20
    assert set(states(world, NOV_20, task=world.t1).values()) == {T.NOT_DUE}
    # The deadline day itself is still "due soon"; the day after, overdue.
    assert set(states(world, datetime.date(2025, 12, 15), task=world.t1).values()) == {T.DUE_SOON}


def test_overdue(world):
    set_deadline(world, world.t1, datetime.date(2025, 11, 10))
    assert set(states(world, NOV_20, task=world.t1).values()) == {T.OVERDUE}


def test_done_on_time_and_the_partner_still_overdue(world, cycle, time_machine):
    set_deadline(world, world.t1, datetime.date(2025, 12, 31))
    report_status(world, cycle, world.a, world.head_a, EntryStatus.DONE)
    report_status(world, cycle, world.b, world.head_b, EntryStatus.IN_PROGRESS)
    after = datetime.date(2026, 1, 5)
    got = states(world, after, task=world.t1)
    assert got == {("III.1.a", "Sở Tài chính"): T.DONE_ON_TIME, ("III.1.a", "Sở Nội vụ"): T.OVERDUE}
    row = next(r for r in plan_task_timeliness(plan=world.plan, as_of=after) if r.agency == world.a)
    assert row.done_on == NOV_20 and row.status == EntryStatus.DONE


def test_done_late(world, cycle):
    set_deadline(world, world.t1, datetime.date(2025, 6, 30))
    report_status(world, cycle, world.a, world.head_a, EntryStatus.DONE)
    assert states(world, NOV_20, task=world.t1)[("III.1.a", "Sở Tài chính")] == T.DONE_LATE


def test_only_an_accepted_report_counts(world, cycle, time_machine):
    set_deadline(world, world.t1, datetime.date(2025, 12, 15))
    report_status(world, cycle, world.a, world.head_a, EntryStatus.DONE, accept=False)
    assert states(world, NOV_20, task=world.t1)[("III.1.a", "Sở Tài chính")] == T.DUE_SOON
    # Accepted a week later: "done" from then on, dated by the submission.
    time_machine.move_to(datetime.datetime(2025, 11, 27, 9, tzinfo=VN), tick=False)
    services.report_accept(actor=world.coordinator, report=world.report(cycle, world.a))
    assert states(world, NOV_20, task=world.t1)[("III.1.a", "Sở Tài chính")] == T.DUE_SOON
    assert (
        states(world, datetime.date(2025, 11, 27), task=world.t1)[("III.1.a", "Sở Tài chính")]
        == T.DONE_ON_TIME
    )


def test_continuous(world):
    assert world.t2.recurrence == Recurrence.CONTINUOUS
    assert set(states(world, NOV_20, task=world.t2).values()) == {T.CONTINUOUS}
    # T3 goes to "… liên quan": nobody in particular owes it, so it has no pair.
    assert states(world, NOV_20, task=world.t3) == {}


def test_yearly_is_due_on_31_december_of_each_year(world, cycle):
    Task.objects.filter(pk=world.t2.pk).update(recurrence=Recurrence.YEARLY)
    assert set(states(world, datetime.date(2025, 12, 5), task=world.t2).values()) == {T.DUE_SOON}
    report_status(world, cycle, world.b, world.head_b, EntryStatus.DONE)
    got = states(world, datetime.date(2025, 12, 5), task=world.t2)
    assert got[("III.1.b", "Sở Nội vụ")] == T.DONE_ON_TIME and got[("III.1.b", "Sở Tài chính")] == T.DUE_SOON
    assert (
        states(world, datetime.date(2025, 12, 31), task=world.t2)[("III.1.b", "Sở Tài chính")] == T.DUE_SOON
    )
    # A new year is judged on its own reports, due on its own 31/12: last year's "done" does not carry over.
    assert states(world, datetime.date(2026, 3, 1), task=world.t2)[("III.1.b", "Sở Nội vụ")] == T.NOT_DUE


def test_a_deadline_moved_later(world):
    set_deadline(world, world.t1, datetime.date(2025, 11, 10))
    assert set(states(world, NOV_20, task=world.t1).values()) == {T.OVERDUE}
    moved = task_deadline_change(
        actor=world.coordinator,
        task=world.t1,
        deadline=datetime.date(2026, 3, 31),
        reason="Gia hạn theo văn bản",
    )
    assert set(states(world, NOV_20, task=moved).values()) == {T.NOT_DUE}
    last = moved.history.order_by("-history_date", "-history_id").first()
    assert last.history_user == world.coordinator and last.history_change_reason == "Gia hạn theo văn bản"
    assert last.prev_record.deadline == datetime.date(2025, 11, 10)


def test_only_the_plans_coordinators_move_a_deadline(world):
    for actor in (world.head_a, world.other_coordinator, world.viewer):
        with pytest.raises(TaskDeadlineError):
            task_deadline_change(actor=actor, task=world.t1, deadline=datetime.date(2026, 1, 1))
    with pytest.raises(TaskDeadlineError):
        task_deadline_change(actor=world.coordinator, task=world.t1, deadline=datetime.date(2020, 1, 1))
    world.t1.refresh_from_db()
    assert world.t1.deadline is None and world.t1.recurrence == Recurrence.CONTINUOUS


@pytest.mark.parametrize(
    ("deadline", "recurrence", "done_on", "expected"),
    [
        (None, Recurrence.CONTINUOUS, None, T.CONTINUOUS),
        (None, Recurrence.ONCE, None, T.NO_DEADLINE),
        (datetime.date(2025, 12, 31), Recurrence.ONCE, datetime.date(2025, 12, 31), T.DONE_ON_TIME),
        (datetime.date(2025, 12, 31), Recurrence.ONCE, datetime.date(2026, 1, 1), T.DONE_LATE),
        (datetime.date(2025, 11, 19), Recurrence.ONCE, None, T.OVERDUE),
        (datetime.date(2025, 12, 20), Recurrence.ONCE, None, T.DUE_SOON),
        (datetime.date(2025, 12, 21), Recurrence.ONCE, None, T.NOT_DUE),
    ],
)
def test_the_rule(deadline, recurrence, done_on, expected):
    assert (
        timeliness_state(
            deadline=deadline, recurrence=recurrence, done_on=done_on, as_of=NOV_20, due_soon_days=30
        )
        == expected
    )


def test_summary_for_the_consolidated_report(world, cycle):
    set_deadline(world, world.t1, datetime.date(2025, 12, 31))
    report_status(world, cycle, world.a, world.head_a, EntryStatus.DONE)
    summary = timeliness_summary(world.plan, datetime.date(2026, 1, 5))
    # T1's lead (A) finished on time; B only coordinates it. T2 and T3 have no deadline.
    assert summary["with_deadline"] == 1 and summary["done_on_time"] == 1
    assert summary["text"] == "1/1 nhiệm vụ có thời hạn hoàn thành đúng hạn"
    assert summary["pairs"] == {"overdue": 1, "done_on_time": 1, "continuous": 3}


def _queries(plan, as_of) -> int:
    with CaptureQueriesContext(connection) as ctx:
        plan_task_timeliness(plan=plan, as_of=as_of)
    return len(ctx.captured_queries)


def test_constant_number_of_queries(world, cycle):
    set_deadline(world, world.t1, datetime.date(2025, 12, 31))
    report_status(world, cycle, world.a, world.head_a, EntryStatus.DONE)
    small = _queries(world.plan, NOV_20)
    for i in range(6):
        agency = AgencyFactory(name=f"Đơn vị thêm {i}")
        task = TaskFactory(plan=world.plan, group=world.t1.group, code=f"III.1.z{i}", order=10 + i)
        AssignmentFactory(task=task, role="lead", agency=agency)
        AssignmentFactory(task=world.t1, role="coordinate", agency=agency)
    assert len(plan_task_timeliness(plan=world.plan, as_of=NOV_20)) > 12
    assert _queries(world.plan, NOV_20) == small
