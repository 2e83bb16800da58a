import datetime

import pytest
from django.core import mail

from plantrack.notifications.models import Notification
from plantrack.reporting.models import AgencyReport, ReportState, ReportSubmission, ReportTransition
from plantrack.reporting.services import ReportingError, report_save_draft, report_submit

from .conftest import VN, fill


def test_head_submits_a_complete_draft(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_by == world.head_a and report.first_submitted_at == report.submitted_at
    assert not report.is_late
    transition = ReportTransition.objects.get(report=report)
    assert (transition.from_state, transition.to_state, transition.actor) == (
        "draft",
        "submitted",
        world.head_a,
    )
    assert report.history.latest().history_change_reason == "Gửi báo cáo"


def test_reporter_cannot_submit(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    with pytest.raises(ReportingError, match="Chỉ lãnh đạo đơn vị"):
        report_submit(actor=world.reporter_a, report=report)


@pytest.mark.parametrize("persona", ["head_b", "coordinator", "viewer"])
def test_nobody_else_submits(world, cycle, persona):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    with pytest.raises(ReportingError):
        report_submit(actor=getattr(world, persona), report=report)


def test_incomplete_report_is_refused_with_the_tasks_named(world, cycle):
    report = world.report(cycle, world.a)
    with pytest.raises(ReportingError) as err:
        report_submit(actor=world.head_a, report=report)
    assert "III.1.a" in str(err.value) and "III.1.b" in str(err.value)
    entry = report.entries.get(task=world.t1)
    report_save_draft(
        actor=world.reporter_a,
        report=report,
        version=1,
        entries={e.pk: {"status": "in_progress"} for e in report.entries.all()},
    )
    with pytest.raises(ReportingError, match="Chưa nhập kết quả"):
        report_submit(actor=world.head_a, report=report)
    assert entry.report.state == ReportState.DRAFT


def test_not_started_needs_no_result(world, cycle):
    report = world.report(cycle, world.c)
    report_save_draft(
        actor=world.head_c,
        report=report,
        version=1,
        entries={e.pk: {"status": "not_started"} for e in report.entries.all()},
    )
    report_submit(actor=world.head_c, report=report)
    assert AgencyReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_submitting_twice_is_refused(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report)
    with pytest.raises(ReportingError, match="đã gửi"):
        report_submit(actor=world.head_a, report=AgencyReport.objects.get(pk=report.pk))


def test_submit_with_a_stale_version_is_refused(world, cycle):
    """The head sends what they read: if a clerk saved in between, the head must look again."""
    report = fill(world.report(cycle, world.a), world.reporter_a)
    seen = report.version
    report_save_draft(actor=world.reporter_a, report=report, version=seen, sections={"proposals": "thêm"})
    with pytest.raises(ReportingError, match="vừa được"):
        report_submit(actor=world.head_a, report=report, version=seen)


def test_submission_keeps_a_snapshot_of_what_was_sent(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a, text="Nội dung gửi")
    report_submit(actor=world.head_a, report=report)
    snap = ReportSubmission.objects.get(report=report).snapshot
    assert snap["agency"]["name"] == world.a.name
    assert snap["sections"]["main_results"] == "Kết quả nổi bật của năm"
    assert [e["task_code"] for e in snap["entries"]] == ["III.1.a", "III.1.b"]
    assert snap["entries"][0]["results"] == "Nội dung gửi (III.1.a)"


def test_submission_notifies_coordinators_and_the_agency(world, cycle, django_capture_on_commit_callbacks):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(actor=world.head_a, report=report)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "coordinator",
        "reporter_a",
        "head_a",
    }
    assert {m.to[0] for m in mail.outbox} == {
        "coordinator@example.vn",
        "reporter_a@example.vn",
        "head_a@example.vn",
    }


def test_refused_submission_sends_nothing(world, cycle, django_capture_on_commit_callbacks):
    report = world.report(cycle, world.a)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ReportingError):
        report_submit(actor=world.head_a, report=report)
    assert not Notification.objects.exists() and not mail.outbox


# --- Deadlines ----------------------------------------------------------------------------------------------


def test_submitting_on_the_due_date_is_on_time(world, cycle, time_machine):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    time_machine.move_to(datetime.datetime(2025, 12, 5, 23, 50, tzinfo=VN), tick=False)
    report_submit(actor=world.head_a, report=report)
    assert AgencyReport.objects.get(pk=report.pk).is_late is False


def test_submitting_after_the_due_date_marks_late(world, cycle, time_machine):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    time_machine.move_to(datetime.datetime(2025, 12, 6, 0, 5, tzinfo=VN), tick=False)
    report_submit(actor=world.head_a, report=report)
    report = AgencyReport.objects.get(pk=report.pk)
    assert report.is_late is True
    assert report.display_state()[0] == "late"
    assert not report.is_missing()


def test_not_submitted_by_the_due_date_is_missing(world, cycle, time_machine):
    report = world.report(cycle, world.a)
    time_machine.move_to(datetime.datetime(2025, 12, 5, 23, 59, tzinfo=VN), tick=False)
    assert not report.is_missing()
    assert report.display_state()[0] == "not_sent"
    time_machine.move_to(datetime.datetime(2025, 12, 6, 0, 0, 1, tzinfo=VN), tick=False)
    assert report.is_missing()
    assert report.display_state() == ("missing", "Chưa nộp (quá hạn)")


def test_due_date_set_per_cycle_moves_the_deadline(world, time_machine):
    cycle = world.open_cycle(due_date=datetime.date(2025, 12, 20))
    report = fill(world.report(cycle, world.a), world.reporter_a)
    time_machine.move_to(datetime.datetime(2025, 12, 10, 8, 0, tzinfo=VN), tick=False)
    assert not report.is_missing()
    report_submit(actor=world.head_a, report=report)
    assert AgencyReport.objects.get(pk=report.pk).is_late is False
