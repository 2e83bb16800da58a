"""Handover inside the agency: report_hand_over ("Trình lãnh đạo"), report_hand_back ("Trả lại chuyên viên") and
the head's send from with_head."""

import pytest

from plantrack.accounts.tests.factories import UserFactory
from plantrack.notifications.models import Notification
from plantrack.reporting.models import AgencyReport, ReportState, ReportTransition
from plantrack.reporting.permissions import can_edit, can_hand_back, can_hand_over, can_submit
from plantrack.reporting.services import (
    IncompleteReportError,
    ReportingError,
    StaleReportError,
    WorkflowNotAllowed,
    WorkflowWrongState,
    report_hand_back,
    report_hand_over,
    report_return,
    report_save_draft,
    report_send,
    report_submit,
)

from .conftest import fill


def _reload(report) -> AgencyReport:
    return AgencyReport.objects.get(pk=report.pk)


def _hand_over(world, report, **kwargs) -> AgencyReport:
    report = _reload(report)
    report_hand_over(actor=world.reporter_a, report=report, version=report.version, **kwargs)
    return _reload(report)


def test_reporter_hands_the_draft_to_the_head(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    other_head = UserFactory(username="head_a2", role="head", agency=world.a)
    Notification.objects.all().delete()
    report = _hand_over(world, report, comment="Kính trình anh xem")
    assert report.state == ReportState.WITH_HEAD
    transition = ReportTransition.objects.get(report=report)
    assert (transition.from_state, transition.to_state, transition.actor, transition.comment) == (
        "draft",
        "with_head",
        world.reporter_a,
        "Kính trình anh xem",
    )
    assert report.history.latest().history_change_reason == "Trình lãnh đạo"
    # Every head of agency A, and nobody else (not B's head, not the reporter, not the department).
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"head_a", "head_a2"}
    note = Notification.objects.get(recipient=other_head)
    assert "chờ lãnh đạo duyệt" in note.subject and "Kính trình anh xem" in note.body
    assert note.url.endswith(f"/bao-cao/{report.pk}/")


def test_the_heads_notification_counts_what_is_still_empty(world, cycle):
    report = world.report(cycle, world.a)  # nothing filled in: two tasks without a status
    Notification.objects.all().delete()
    _hand_over(world, report)
    note = Notification.objects.get(recipient=world.head_a)
    assert "Còn 2 mục chưa điền" in note.body


@pytest.mark.parametrize("persona", ["head_a", "reporter_b", "head_b", "coordinator", "viewer", "admin"])
def test_only_a_reporter_of_the_agency_hands_over(world, cycle, persona):
    report = world.report(cycle, world.a)
    with pytest.raises(WorkflowNotAllowed):
        report_hand_over(actor=getattr(world, persona), report=report, version=report.version)
    assert _reload(report).state == ReportState.DRAFT
    assert not ReportTransition.objects.filter(report=report).exists()


def test_hand_over_needs_the_version_the_reporter_saw(world, cycle):
    report = world.report(cycle, world.a)
    seen = report.version
    fill(report, world.head_a)  # someone saves in between
    with pytest.raises(StaleReportError):
        report_hand_over(actor=world.reporter_a, report=_reload(report), version=seen)
    assert _reload(report).state == ReportState.DRAFT


def test_a_sent_report_cannot_be_handed_over(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report)
    report = _reload(report)
    with pytest.raises(WorkflowWrongState):
        report_hand_over(actor=world.reporter_a, report=report, version=report.version)


def test_while_with_the_head_only_the_head_edits(world, cycle):
    report = _hand_over(world, fill(world.report(cycle, world.a), world.reporter_a))
    assert not can_edit(world.reporter_a, report) and can_edit(world.head_a, report)
    assert not can_hand_over(world.reporter_a, report)
    with pytest.raises(WorkflowWrongState, match="chờ lãnh đạo duyệt"):
        report_save_draft(
            actor=world.reporter_a, report=report, version=report.version, sections={"proposals": "x"}
        )
    report_save_draft(
        actor=world.head_a, report=report, version=report.version, sections={"proposals": "Sửa"}
    )
    report = _reload(report)
    assert report.proposals == "Sửa" and report.state == ReportState.WITH_HEAD


def test_head_sends_a_handed_over_draft(world, cycle):
    report = _hand_over(world, fill(world.report(cycle, world.a), world.reporter_a))
    assert can_submit(world.head_a, report)
    report_send(actor=world.head_a, report=report, version=report.version)
    report = _reload(report)
    assert report.state == ReportState.SUBMITTED and report.first_submitted_at is not None
    assert report.submissions.count() == 1
    last = report.transitions.last()
    assert (last.from_state, last.to_state, last.actor) == ("with_head", "submitted", world.head_a)


def test_head_sends_again_a_returned_report_handed_over(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report)
    report = _reload(report)
    report_return(actor=world.coordinator, report=report, comment="Bổ sung", version=report.version)
    report = _hand_over(world, report)
    with pytest.raises(WorkflowWrongState):  # it was sent before: a first submission is not what this is
        report_submit(actor=world.head_a, report=report, version=report.version)
    report_send(actor=world.head_a, report=report, version=report.version)
    report = _reload(report)
    assert report.state == ReportState.SUBMITTED and report.submissions.count() == 2
    assert report.history.latest().history_change_reason == "Gửi lại báo cáo sau khi chỉnh sửa"


def test_an_incomplete_report_names_each_empty_field(world, cycle):
    report = _hand_over(world, world.report(cycle, world.a))
    entry = report.entries.get(task=world.t1)
    report_save_draft(
        actor=world.head_a, report=report, version=report.version, entries={entry.pk: {"status": "done"}}
    )
    report = _reload(report)
    with pytest.raises(IncompleteReportError) as err:
        report_send(actor=world.head_a, report=report, version=report.version)
    other = report.entries.get(task=world.t2)
    assert [(m.task_code, m.field) for m in err.value.missing] == [
        ("III.1.a", f"e{entry.pk}-results"),
        ("III.1.b", f"e{other.pk}-status"),
    ]
    assert _reload(report).state == ReportState.WITH_HEAD


def test_head_hands_back_with_a_comment_to_the_reporter(world, cycle):
    report = _hand_over(world, fill(world.report(cycle, world.a), world.reporter_a))
    Notification.objects.all().delete()
    assert can_hand_back(world.head_a, report)
    report_hand_back(
        actor=world.head_a, report=report, comment="Bổ sung số liệu III.1.a", version=report.version
    )
    report = _reload(report)
    assert report.state == ReportState.DRAFT
    last = report.transitions.last()
    assert (last.from_state, last.to_state, last.actor, last.comment) == (
        "with_head",
        "draft",
        world.head_a,
        "Bổ sung số liệu III.1.a",
    )
    note = Notification.objects.get()
    assert note.recipient == world.reporter_a and "Bổ sung số liệu III.1.a" in note.body
    assert can_edit(world.reporter_a, report)


def test_hand_back_returns_a_returned_report_to_returned(world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report)
    report = _reload(report)
    report_return(actor=world.coordinator, report=report, comment="Bổ sung", version=report.version)
    report = _hand_over(world, report)
    report_hand_back(actor=world.head_a, report=report, comment="Chưa đạt", version=report.version)
    assert _reload(report).state == ReportState.RETURNED


def test_hand_back_needs_a_comment(world, cycle):
    report = _hand_over(world, world.report(cycle, world.a))
    with pytest.raises(ReportingError, match="Cần ghi ý kiến"):
        report_hand_back(actor=world.head_a, report=report, comment="  ", version=report.version)
    assert _reload(report).state == ReportState.WITH_HEAD


@pytest.mark.parametrize("persona", ["reporter_a", "head_b", "coordinator", "viewer"])
def test_only_the_head_hands_back(world, cycle, persona):
    report = _hand_over(world, world.report(cycle, world.a))
    with pytest.raises(WorkflowNotAllowed):
        report_hand_back(actor=getattr(world, persona), report=report, comment="x", version=report.version)
    assert _reload(report).state == ReportState.WITH_HEAD


def test_only_a_report_with_the_head_is_handed_back(world, cycle):
    report = world.report(cycle, world.a)
    with pytest.raises(WorkflowWrongState):
        report_hand_back(actor=world.head_a, report=report, comment="x", version=report.version)


def test_the_department_sees_a_handed_over_report_as_not_sent(world, cycle):
    report = _hand_over(world, world.report(cycle, world.a))
    assert report.display_state()[0] == "not_sent"
    assert report.display_state(for_agency=True) == ("with_head", "Chờ lãnh đạo duyệt")
    assert report.dashboard_state(due_date=cycle.due_date, today=cycle.due_date) == "not_started"
    fill(report, world.head_a)
    report = _reload(report)
    assert report.dashboard_state(due_date=cycle.due_date, today=cycle.due_date) == "draft"


def test_the_checklist_says_which_task_each_empty_field_belongs_to(client, world, cycle):
    """The head reads the checklist without the plan at hand: each item has its task's words, not only a code."""
    report = _hand_over(world, world.report(cycle, world.a))
    client.force_login(world.head_a)
    html = client.get(f"/bao-cao/{report.pk}/").content.decode()
    checklist = html[html.index('id="checklist-title"') :]
    checklist = checklist[: checklist.index("</section>")]
    assert "III.1.a" in checklist and world.t1.text in checklist
