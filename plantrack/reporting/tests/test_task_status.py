"""The one rule for a task's status across the agencies owing it (plantrack.reporting.task_status)."""

import pytest
from django.utils import translation

from plantrack.reporting.task_status import NO_REPORT, AgencyTaskState, task_status, task_statuses


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def lead(n: int, status: str = "") -> AgencyTaskState:
    return AgencyTaskState(n, f"Sở {n}", "lead", status)


def coordinator(n: int, status: str = "") -> AgencyTaskState:
    return AgencyTaskState(100 + n, f"Phòng {n}", "coordinate", status)


def test_one_of_nine_leads_done_is_not_done():
    result = task_status([lead(1, "done"), *[lead(n) for n in range(2, 10)]])
    assert result.code == "in_progress" and not result.is_done
    assert result.label == "1/9 đơn vị chủ trì đã hoàn thành"
    assert result.basis == "8 chưa có báo cáo được tiếp nhận"
    assert result.text == "1/9 đơn vị chủ trì đã hoàn thành (8 chưa có báo cáo được tiếp nhận)"


def test_coordinators_alone_never_make_a_task_done():
    result = task_status([lead(1), coordinator(1, "done"), coordinator(2, "done")])
    assert result.code == "in_progress"
    assert result.label == "0/1 đơn vị chủ trì đã hoàn thành"
    assert result.basis == "1 chưa có báo cáo được tiếp nhận; đơn vị phối hợp: 2 hoàn thành"
    # Even with no lead agency owing the task at all.
    alone = task_status([coordinator(1, "done")])
    assert alone.code == "in_progress" and alone.label == "Chưa có đơn vị chủ trì phải báo cáo"


def test_all_leads_done_is_done_whatever_the_coordinators_say():
    result = task_status([lead(1, "done"), lead(2, "done"), coordinator(1, "not_started")])
    assert result.is_done and result.label == "Hoàn thành" and result.text == "Hoàn thành"
    assert (result.leads_done, result.leads_total) == (2, 2)


def test_other_leads_states_are_counted():
    result = task_status([lead(1, "done"), lead(2, "in_progress"), lead(3, "continuing"), lead(4)])
    assert result.code == "in_progress"
    assert result.text == (
        "1/4 đơn vị chủ trì đã hoàn thành "
        "(1 thực hiện thường xuyên, 1 đang triển khai, 1 chưa có báo cáo được tiếp nhận)"
    )
    assert result.names_by_state() == [
        ("hoàn thành", ["Sở 1"]),
        ("thực hiện thường xuyên", ["Sở 3"]),
        ("đang triển khai", ["Sở 2"]),
        ("chưa có báo cáo được tiếp nhận", ["Sở 4"]),
    ]


@pytest.mark.parametrize(
    ("statuses", "code"),
    [
        (["not_started", "not_started"], "not_started"),
        (["continuing", "done"], "continuing"),
        (["done", "not_started"], "in_progress"),
        (["", ""], NO_REPORT),
    ],
)
def test_code_of_the_leads_that_reported(statuses, code):
    assert task_status([lead(n, s) for n, s in enumerate(statuses)]).code == code


def test_statuses_come_from_accepted_snapshots_and_unreported_leads_count():
    owed = [(7, 1, "Sở 1", "lead"), (7, 2, "Sở 2", "lead"), (8, 1, "Sở 1", "coordinate")]
    accepted = [
        (1, {"agency": {"name": "Sở 1"}, "entries": [{"task_id": 7, "role": "lead", "status": "done"}]})
    ]
    result = task_statuses(owed=owed, accepted=accepted)
    assert result[7].label == "1/2 đơn vị chủ trì đã hoàn thành" and not result[7].is_done
    assert result[8].code == NO_REPORT
