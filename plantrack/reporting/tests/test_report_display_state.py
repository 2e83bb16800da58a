"""A report's displayed state: one vocabulary (``ReportDisplayState``) for the report lists and the coordinator's
dashboard, which must agree on every report at every moment."""

import datetime

import pytest

from plantrack.monitoring.selectors import STATES
from plantrack.reporting.models import DASHBOARD_STATES, AgencyReport, ReportDisplayState
from plantrack.reporting.services import report_accept, report_return, report_submit

from .conftest import DUE_2025, VN, fill

# The list's code for each dashboard code: the list does not tell a report never saved from a draft.
LIST_FOR_DASHBOARD = {
    "not_started": "not_sent",
    "draft": "not_sent",
    "submitted": "submitted",
    "late": "late",
    "returned": "returned",
    "accepted": "accepted",
    "missing": "missing",
}
# Shown to the agency's own members only (``display_state(for_agency=True)``); the dashboard reads it as a draft.
AGENCY_ONLY = {"with_head"}


def _both(report: AgencyReport, today: datetime.date) -> tuple[tuple[str, str], str]:
    report = AgencyReport.objects.get(pk=report.pk)
    return report.display_state(), report.dashboard_state(due_date=DUE_2025, today=today)


def _at(time_machine, day: datetime.date, hour: int = 9) -> datetime.date:
    time_machine.move_to(datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=VN), tick=False)
    return day


def test_lists_and_dashboard_agree_through_a_report_life(world, cycle, time_machine):
    seen = []
    on_time, late_report = world.report(cycle, world.a), world.report(cycle, world.b)

    today = _at(time_machine, datetime.date(2025, 11, 20))
    seen.append(_both(on_time, today))  # never saved
    fill(on_time, world.reporter_a)
    seen.append(_both(on_time, today))  # a draft
    report_submit(actor=world.head_a, report=on_time)
    seen.append(_both(on_time, today))
    report_return(
        actor=world.coordinator, report=AgencyReport.objects.get(pk=on_time.pk), comment="Bổ sung số liệu"
    )
    seen.append(_both(on_time, today))

    today = _at(time_machine, datetime.date(2025, 12, 6))
    seen.append(_both(late_report, today))  # nothing sent by the due date
    fill(late_report, world.reporter_b)
    report_submit(actor=world.head_b, report=AgencyReport.objects.get(pk=late_report.pk))
    seen.append(_both(late_report, today))
    report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=late_report.pk))
    seen.append(_both(late_report, today))

    assert [dashboard for _, dashboard in seen] == [
        "not_started",
        "draft",
        "submitted",
        "returned",
        "missing",
        "late",
        "accepted",
    ]
    for (code, label), dashboard in seen:
        assert code == LIST_FOR_DASHBOARD[dashboard]
        assert label == ReportDisplayState(code).label


def test_dashboard_words_are_the_display_states_words():
    assert set(STATES) == set(DASHBOARD_STATES) == set(LIST_FOR_DASHBOARD)
    assert set(LIST_FOR_DASHBOARD.values()) | set(LIST_FOR_DASHBOARD) | AGENCY_ONLY == set(
        ReportDisplayState.values
    )
    for code, label in STATES.items():
        if code == ReportDisplayState.SUBMITTED:
            # The department reads a submitted report as one waiting for its review.
            assert str(label) == "Đã gửi, chờ xem xét"
        else:
            assert str(label) == str(ReportDisplayState(code).label)


@pytest.mark.parametrize(
    ("code", "words"),
    [("not_sent", "Chưa gửi"), ("missing", "Chưa nộp (quá hạn)"), ("late", "Đã gửi (nộp muộn)")],
)
def test_display_state_words(code, words):
    assert ReportDisplayState(code).label == words
