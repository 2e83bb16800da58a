"""Graded reminders: each step goes to each agency once, even when the job runs twice or two runs overlap; the
dry run lists exactly what a real run sends."""

import datetime
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from plantrack.monitoring import services
from plantrack.monitoring.models import ReminderLog
from plantrack.monitoring.services import reminders_due, reminders_send
from plantrack.notifications.models import Notification
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport
from plantrack.reporting.tests.factories import UserFactory

from .conftest import VN, at, fill

DUE = datetime.date(2025, 12, 5)


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


def run(cycle, today, capture, **kwargs):
    """One run of the job as cron runs it: e-mails leave when each agency's transaction commits."""
    with capture(execute=True):
        return reminders_send(cycle=cycle, today=today, **kwargs)


def sent_pairs() -> list[tuple[int, str, int]]:
    return sorted(ReminderLog.objects.values_list("step_offset", "recipient_key", "agency_id"))


def test_running_the_job_twice_sends_each_step_once(
    world, cycle, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    """A, B and C owe their reports; the D-7 step goes to their 5 people once, whatever the number of runs."""
    time_machine.move_to(at(28, 11), tick=False)
    notes_before = Notification.objects.count()
    first = run(cycle, day(-7), django_capture_on_commit_callbacks)
    second = run(cycle, day(-7), django_capture_on_commit_callbacks)
    assert {p.agency for p in first.sent} == {world.a, world.b, world.c}
    assert first.messages == 5  # reporter_a, head_a, reporter_b, head_b, head_c
    assert second.planned == [] and second.sent == []
    assert len(mailoutbox) == 5
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in (world.reporter_a, world.head_a, world.reporter_b, world.head_b, world.head_c)
    )
    assert all("còn 7 ngày" in m.subject for m in mailoutbox)
    assert Notification.objects.count() - notes_before == 5
    assert ReminderLog.objects.count() == 5
    assert set(ReminderLog.objects.values_list("step_offset", flat=True)) == {-7}


def test_a_whole_schedule_day_by_day_twice_a_day(
    world, cycle, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    """From D-35 to D+16, two runs a day. A reports on D-3 and stops receiving; B and C get every step."""
    for offset in range(-35, 17):
        time_machine.move_to(datetime.datetime.combine(day(offset), datetime.time(9), tzinfo=VN), tick=False)
        if offset == -3:
            report = fill(world.report(cycle, world.a), world.reporter_a)
            reporting.report_submit(actor=world.head_a, report=report)
        for _ in range(2):
            run(cycle, day(offset), django_capture_on_commit_callbacks)
    steps = {}
    for offset, agency_id in ReminderLog.objects.values_list("step_offset", "agency_id"):
        steps.setdefault(agency_id, set()).add(offset)
    assert steps[world.a.pk] == {-30, -7}
    assert steps[world.b.pk] == steps[world.c.pk] == {-30, -7, -1, 1, 8, 15}
    # No person ever got the same step twice: the log has no duplicate and the outbox matches it.
    pairs = sent_pairs()
    assert len(pairs) == len(set(pairs))
    assert len(mailoutbox) == ReminderLog.objects.exclude(email="").count() == 2 * 2 + 2 * 6 + 1 * 6
    subjects = [m.subject for m in mailoutbox if m.to == [world.head_c.email]]
    assert subjects[3] == "Đôn đốc: báo cáo năm 2025 — Kế hoạch 99/KH-UBND đã quá hạn"
    assert subjects[4].startswith("Đôn đốc lần 2:") and subjects[5].startswith("Đôn đốc lần 3:")


def test_the_dry_run_lists_exactly_what_is_then_sent_and_sends_nothing(
    world, cycle, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(at(6), tick=False)
    notes_before = Notification.objects.count()
    dry = run(cycle, day(1), django_capture_on_commit_callbacks, dry_run=True)
    assert (
        ReminderLog.objects.count() == 0 and mailoutbox == [] and Notification.objects.count() == notes_before
    )
    planned = sorted((p.report.agency_id, r.key, p.subject) for p in dry.planned for r in p.recipients)
    assert len(planned) == 5
    real = run(cycle, day(1), django_capture_on_commit_callbacks)
    logged = sorted(ReminderLog.objects.values_list("agency_id", "recipient_key", "subject"))
    assert planned == logged
    assert [p.subject for p in dry.planned] == [p.subject for p in real.sent]
    assert sorted(m.to[0] for m in mailoutbox) == sorted({r.email for p in dry.planned for r in p.recipients})


def test_an_overlapping_run_that_planned_the_same_step_sends_nothing(
    world, cycle, mailoutbox, django_capture_on_commit_callbacks, monkeypatch, time_machine
):
    """Two runs read the same plan; the first one sends; the second one's inserts hit the unique constraint and
    its whole agency transaction (notification and e-mail) is rolled back."""
    time_machine.move_to(at(6), tick=False)
    stale = reminders_due(cycle=cycle, today=day(1))
    run(cycle, day(1), django_capture_on_commit_callbacks)
    mails, notes = len(mailoutbox), Notification.objects.count()
    monkeypatch.setattr(services, "reminders_due", lambda **kwargs: stale)
    late = run(cycle, day(1), django_capture_on_commit_callbacks)
    assert late.sent == [] and len(late.already_sent) == 3
    assert len(mailoutbox) == mails and Notification.objects.count() == notes
    assert ReminderLog.objects.count() == 5


def test_the_database_refuses_a_second_row_for_the_same_step_agency_and_recipient(world, cycle, time_machine):
    time_machine.move_to(at(6), tick=False)
    reminders_send(cycle=cycle, today=day(1))
    row = ReminderLog.objects.first()
    row.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_who_gets_what(world, cycle, django_capture_on_commit_callbacks, mailoutbox, time_machine):
    """Sent, accepted or returned-before-the-due-date reports: a returned one still owes and is reminded."""
    time_machine.move_to(at(20, 11), tick=False)
    report_a = fill(world.report(cycle, world.a), world.reporter_a)
    reporting.report_submit(actor=world.head_a, report=report_a)
    report_b = fill(world.report(cycle, world.b), world.reporter_b)
    reporting.report_submit(actor=world.head_b, report=report_b)
    reporting.report_return(
        actor=world.coordinator, report=AgencyReport.objects.get(pk=report_b.pk), comment="Sửa"
    )
    time_machine.move_to(at(6), tick=False)
    result = run(cycle, day(1), django_capture_on_commit_callbacks)
    assert {p.agency for p in result.sent} == {world.b, world.c}
    by_agency = {p.agency: p for p in result.sent}
    assert by_agency[world.b].state == "returned" and "bị trả lại" in by_agency[world.b].body
    assert by_agency[world.c].state == "missing" and "chưa nhận được báo cáo" in by_agency[world.c].body


def test_an_agency_without_accounts_is_mailed_at_its_mailbox_or_listed(
    world, cycle, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(at(6), tick=False)
    world.head_c.is_active = False
    world.head_c.save()
    dry = reminders_send(cycle=cycle, today=day(1), dry_run=True)
    assert [p.agency for p in dry.without_recipient] == [world.c]
    first = run(cycle, day(1), django_capture_on_commit_callbacks)
    assert world.c not in {p.agency for p in first.sent}
    assert not ReminderLog.objects.filter(agency=world.c).exists()
    world.c.email = "vanthu@syt.example.vn"
    world.c.save()
    second = run(cycle, day(1), django_capture_on_commit_callbacks)
    assert [p.agency for p in second.sent] == [world.c]
    log = ReminderLog.objects.get(agency=world.c)
    assert log.recipient is None and log.recipient_key == "email:vanthu@syt.example.vn"
    assert mailoutbox[-1].to == ["vanthu@syt.example.vn"]


def test_a_closed_cycle_and_a_paused_schedule_send_nothing(world, cycle, time_machine):
    time_machine.move_to(at(6), tick=False)
    services.reminder_schedule_update(
        actor=world.coordinator,
        cycle=cycle,
        days_before=[30, 7, 1],
        days_after=[1],
        repeat_every_days=7,
        is_active=False,
    )
    assert reminders_due(cycle=cycle, today=day(1)) == []
    services.reminder_schedule_update(
        actor=world.coordinator,
        cycle=cycle,
        days_before=[30, 7, 1],
        days_after=[1],
        repeat_every_days=7,
        is_active=True,
    )
    assert len(reminders_due(cycle=cycle, today=day(1))) == 3
    reporting.cycle_close(actor=world.coordinator, cycle=cycle)
    assert reminders_due(cycle=cycle, today=day(1)) == []


def test_moving_the_due_date_rearms_the_schedule(
    world, cycle, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(at(4), tick=False)
    run(cycle, day(-1), django_capture_on_commit_callbacks)
    assert reminders_due(cycle=cycle, today=day(-1)) == []
    reporting.cycle_update(
        actor=world.coordinator,
        cycle=cycle,
        due_date=datetime.date(2025, 12, 12),
        data_as_of=cycle.data_as_of,
    )
    planned = reminders_due(cycle=cycle, today=datetime.date(2025, 12, 5))
    assert {p.step.offset for p in planned} == {-7} and len(planned) == 3


def test_demo_cycles_notify_in_the_app_but_send_no_email(
    world, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    cycle = world.open_cycle(is_demo=True)
    time_machine.move_to(at(6), tick=False)
    result = run(cycle, day(1), django_capture_on_commit_callbacks)
    assert result.sent and mailoutbox == []
    assert result.sent[0].subject.startswith("[DỮ LIỆU DEMO]")
    assert (
        Notification.objects.filter(subject__startswith="[DỮ LIỆU DEMO] Đôn đốc", is_demo=True).count() == 5
    )


def test_sending_by_hand_needs_a_coordinator_of_the_plan(world, cycle, time_machine):
    time_machine.move_to(at(6), tick=False)
    with pytest.raises(services.MonitoringError):
        reminders_send(cycle=cycle, today=day(1), actor=world.other_coordinator)
    result = reminders_send(cycle=cycle, today=day(1), actor=world.coordinator)
    assert ReminderLog.objects.filter(sent_by=world.coordinator).count() == result.messages == 5


def test_schedule_update_rules(world, cycle):
    with pytest.raises(services.MonitoringError):
        services.reminder_schedule_update(
            actor=world.viewer, cycle=cycle, days_before=[7], days_after=[1], repeat_every_days=7
        )
    with pytest.raises(services.MonitoringError):
        services.reminder_schedule_update(
            actor=world.coordinator, cycle=cycle, days_before=[400], days_after=[], repeat_every_days=0
        )
    with pytest.raises(services.MonitoringError):
        services.reminder_schedule_update(
            actor=world.coordinator, cycle=cycle, days_before=[], days_after=[], repeat_every_days=0
        )
    schedule = services.reminder_schedule_update(
        actor=world.coordinator,
        cycle=cycle,
        days_before=[1, 14, 14],
        days_after=[0, 3],
        repeat_every_days=5,
        repeat_limit=2,
    )
    assert schedule.days_before == [14, 1] and schedule.days_after == [3]
    assert schedule.rule.offsets() == [-14, -1, 3]
    assert schedule.history.first().history_user == world.coordinator


def test_a_new_account_does_not_get_a_step_its_agency_already_got(
    world, cycle, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(at(6), tick=False)
    run(cycle, day(1), django_capture_on_commit_callbacks)
    UserFactory(role="reporter", agency=world.c)
    assert reminders_due(cycle=cycle, today=day(1)) == []


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_on_postgresql(world, cycle, mailoutbox, monkeypatch, time_machine):
    """Two real runs in two threads (two database connections), both having planned the same step: the first
    holds its agency transaction open while the second inserts the same log rows; the second waits, fails on the
    unique constraint and sends nothing. SQLite serialises writers, so this needs PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    time_machine.move_to(at(6), tick=False)
    mailoutbox.clear()  # the mails of the cycle's opening (committed for real in this test)
    planned = reminders_due(cycle=cycle, today=day(1))
    monkeypatch.setattr(services, "reminders_due", lambda **kwargs: planned)
    real_notify = services.notify
    first_inside = threading.Event()

    def slow_notify(**kwargs):
        if not first_inside.is_set():
            first_inside.set()
            time.sleep(0.5)  # the other run now tries the same inserts and has to wait for this transaction
        return real_notify(**kwargs)

    monkeypatch.setattr(services, "notify", slow_notify)
    results, errors = [], []

    def job(delay: float):
        try:
            if delay:
                first_inside.wait(5)
            results.append(reminders_send(cycle=cycle, today=day(1)))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=job, args=(d,)) for d in (0, 0.1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sum(len(r.sent) for r in results) == 3  # each agency once, by whichever run got there first
    assert sum(len(r.already_sent) for r in results) == 3
    assert ReminderLog.objects.count() == 5 and len(mailoutbox) == 5
    assert Notification.objects.filter(subject__startswith="Đôn đốc").count() == 5
