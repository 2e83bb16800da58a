"""report_return, report_resubmit and report_accept."""

import datetime

import pytest
from django.core import mail

from plantrack.notifications.models import Notification
from plantrack.reporting.models import AgencyReport, ImmutableError, ReportState, ReviewComment
from plantrack.reporting.selectors import report_history
from plantrack.reporting.services import (
    ReportingError,
    report_accept,
    report_resubmit,
    report_return,
    report_save_draft,
    report_submit,
)

from .conftest import VN, fill


@pytest.fixture
def submitted(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report)
    return AgencyReport.objects.get(pk=report.pk)


def test_coordinator_returns_with_general_and_entry_comments(
    world, submitted, django_capture_on_commit_callbacks
):
    entry = submitted.entries.get(task=world.t1)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        report_return(
            actor=world.coordinator,
            report=submitted,
            comment="Bổ sung số liệu",
            entry_comments={entry.pk: "Nêu rõ số hội nghị đã tổ chức"},
        )
    submitted.refresh_from_db()
    assert submitted.state == ReportState.RETURNED and submitted.return_comment == "Bổ sung số liệu"
    comments = {(c.entry_id, c.text, c.round) for c in ReviewComment.objects.filter(report=submitted)}
    assert comments == {(None, "Bổ sung số liệu", 1), (entry.pk, "Nêu rõ số hội nghị đã tổ chức", 1)}
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"reporter_a", "head_a"}
    assert "Bổ sung số liệu" in mail.outbox[0].body


def test_return_needs_a_general_comment(world, submitted):
    with pytest.raises(ReportingError, match="ý kiến chung"):
        report_return(actor=world.coordinator, report=submitted, comment="  ")


@pytest.mark.parametrize("persona", ["head_a", "reporter_a", "viewer", "other_coordinator", "admin"])
def test_only_the_plans_coordinator_returns_or_accepts(world, submitted, persona):
    actor = getattr(world, persona)
    with pytest.raises(ReportingError, match="điều phối"):
        report_return(actor=actor, report=submitted, comment="x")
    with pytest.raises(ReportingError, match="điều phối"):
        report_accept(actor=actor, report=submitted)


def test_drafts_cannot_be_returned_or_accepted(world, cycle):
    draft = world.report(cycle, world.b)
    with pytest.raises(ReportingError, match="bản nháp"):
        report_return(actor=world.coordinator, report=draft, comment="x")
    with pytest.raises(ReportingError, match="bản nháp"):
        report_accept(actor=world.coordinator, report=draft)


def test_returned_report_is_edited_and_resubmitted(world, submitted):
    report_return(actor=world.coordinator, report=submitted, comment="Bổ sung")
    report = AgencyReport.objects.get(pk=submitted.pk)
    report_save_draft(
        actor=world.reporter_a, report=report, version=report.version, sections={"proposals": "Đã bổ sung"}
    )
    with pytest.raises(ReportingError, match="bị trả lại"):
        report_submit(
            actor=world.head_a, report=report
        )  # the draft service does not resend a returned report
    report_resubmit(actor=world.head_a, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.submissions.count() == 2
    assert report.submissions.get(number=2).snapshot["sections"]["proposals"] == "Đã bổ sung"


def test_resubmit_only_from_returned(world, submitted):
    with pytest.raises(ReportingError, match="đã gửi"):
        report_resubmit(actor=world.head_a, report=submitted)


def test_return_after_the_due_date_does_not_make_an_on_time_report_late(world, submitted, time_machine):
    report_return(actor=world.coordinator, report=submitted, comment="Bổ sung")
    time_machine.move_to(datetime.datetime(2025, 12, 12, 9, 0, tzinfo=VN), tick=False)
    report = AgencyReport.objects.get(pk=submitted.pk)
    report_resubmit(actor=world.head_a, report=report)
    report.refresh_from_db()
    assert report.is_late is False and not report.is_missing()
    assert (
        report.submissions.get(number=2).is_late is True
    )  # the second sending itself is recorded as after the date


def test_accept_freezes_the_report_on_the_accepted_submission(world, submitted):
    report_return(actor=world.coordinator, report=submitted, comment="Bổ sung")
    report = AgencyReport.objects.get(pk=submitted.pk)
    report_save_draft(
        actor=world.reporter_a, report=report, version=report.version, sections={"proposals": "Lần 2"}
    )
    report_resubmit(actor=world.head_a, report=report)
    report = AgencyReport.objects.get(pk=submitted.pk)
    report_accept(actor=world.coordinator, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.is_frozen
    assert report.accepted_submission.number == 2
    assert report.accepted_submission.snapshot["sections"]["proposals"] == "Lần 2"
    with pytest.raises(ReportingError):
        report_save_draft(
            actor=world.reporter_a, report=report, version=report.version, sections={"proposals": "x"}
        )
    with pytest.raises(ReportingError):
        report_return(actor=world.coordinator, report=report, comment="x")
    with pytest.raises(ReportingError):
        report_accept(actor=world.coordinator, report=report)


def test_snapshots_are_write_once(world, submitted):
    submission = submitted.submissions.get()
    submission.snapshot = {"tampered": True}
    with pytest.raises(ImmutableError):
        submission.save()


def test_concurrent_return_and_accept_one_wins(world, submitted):
    """Two coordinators decide on the same version: the second decision is refused."""
    v = submitted.version
    report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=submitted.pk), version=v)
    with pytest.raises(ReportingError):
        report_return(
            actor=world.coordinator, report=AgencyReport.objects.get(pk=submitted.pk), comment="x", version=v
        )


def test_history_lists_who_when_what_and_why(world, submitted):
    report_return(actor=world.coordinator, report=submitted, comment="Thiếu số liệu")
    items = report_history(report=AgencyReport.objects.get(pk=submitted.pk), user=world.head_a)
    reasons = [i["why"] for i in items]
    assert "Trả lại: Thiếu số liệu" in reasons and "Gửi báo cáo" in reasons and "Lưu bản nháp" in reasons
    ret = next(i for i in items if i["why"].startswith("Trả lại"))
    assert ret["who"] == world.coordinator
    assert {"field": "trạng thái", "code": "state", "old": "Đã gửi", "new": "Bị trả lại"} in ret["changes"]
    entry_change = next(i for i in items if i["what"] == "III.1.a")
    assert {c["field"] for c in entry_change["changes"]} == {"tình trạng", "kết quả thực hiện"}
    assert entry_change["who"] == world.reporter_a
