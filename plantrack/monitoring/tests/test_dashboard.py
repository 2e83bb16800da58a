"""The coordinator's dashboard: states in words, timing, last reminder, task matrix from what was sent only,
filters, CSV, and a query count that does not grow with the number of agencies."""

import csv
import datetime
import io

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plantrack.monitoring.selectors import DashboardFilters, dashboard, task_progress
from plantrack.monitoring.services import reminders_send
from plantrack.orgs.tests.factories import AgencyGroupFactory, GroupMembershipFactory
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport, EntryStatus

from .conftest import at, fill


def states(board) -> dict[str, str]:
    return {row.agency.short_name: (row.state, row.label, row.timing) for row in board.rows}


def test_every_state_in_words_with_days_left_or_overdue(world, cycle, time_machine):
    """Before the due date: A untouched, B draft, C sent; after it: A missing, B missing, C accepted; a fourth
    agency sends late; and a returned report stays "returned"."""
    before = dashboard(cycle=cycle, today=datetime.date(2025, 11, 20))
    assert states(before)["Sở Tài chính"] == ("not_started", "Chưa bắt đầu", "còn 15 ngày")
    fill(world.report(cycle, world.b), world.reporter_b)
    report_c = fill(world.report(cycle, world.c), world.head_c)
    reporting.report_submit(actor=world.head_c, report=report_c)
    board = dashboard(cycle=cycle, today=datetime.date(2025, 11, 20))
    assert states(board)["Sở Nội vụ"] == ("draft", "Bản nháp", "còn 15 ngày")
    assert states(board)["Sở Y tế"] == ("submitted", "Đã gửi, chờ xem xét", "đúng hạn")
    assert (
        states(dashboard(cycle=cycle, today=datetime.date(2025, 12, 5)))["Sở Tài chính"][2]
        == "hôm nay là hạn"
    )

    reporting.report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report_c.pk))
    time_machine.move_to(at(8), tick=False)
    report_a = fill(world.report(cycle, world.a), world.reporter_a)
    after = dashboard(cycle=cycle, today=datetime.date(2025, 12, 8))
    assert states(after)["Sở Tài chính"] == ("missing", "Chưa nộp (quá hạn)", "quá hạn 3 ngày")
    assert states(after)["Sở Nội vụ"][0] == "missing"
    assert states(after)["Sở Y tế"][:2] == ("accepted", "Đã tiếp nhận")
    reporting.report_submit(actor=world.head_a, report=report_a)
    late = dashboard(cycle=cycle, today=datetime.date(2025, 12, 9))
    assert states(late)["Sở Tài chính"] == ("late", "Đã gửi (nộp muộn)", "nộp muộn 3 ngày")
    reporting.report_return(
        actor=world.coordinator, report=AgencyReport.objects.get(pk=report_a.pk), comment="Sửa"
    )
    returned = dashboard(cycle=cycle, today=datetime.date(2025, 12, 9))
    row = next(r for r in returned.rows if r.agency == world.a)
    assert (row.state, row.owes, row.was_late, row.timing) == ("returned", True, True, "quá hạn 4 ngày")
    assert returned.all_counts == {"returned": 1, "missing": 1, "accepted": 1}


def test_last_reminder_sent_is_shown(world, cycle, time_machine):
    time_machine.move_to(at(6), tick=False)
    reminders_send(cycle=cycle, today=datetime.date(2025, 12, 6))
    row = next(
        r for r in dashboard(cycle=cycle, today=datetime.date(2025, 12, 6)).rows if r.agency == world.a
    )
    assert row.last_reminder_at is not None and row.last_reminder_step.offset == 1
    assert row.last_reminder_step.label == "1 ngày sau hạn"


def test_the_matrix_shows_what_was_sent_never_a_draft(world, cycle):
    """B fills its draft with "done" everywhere: the department sees "not sent" until B sends it."""
    fill(world.report(cycle, world.b), world.reporter_b, status=EntryStatus.DONE)
    report_a = fill(world.report(cycle, world.a), world.reporter_a, status=EntryStatus.IN_PROGRESS)
    reporting.report_submit(actor=world.head_a, report=report_a)
    progress = task_progress(board=dashboard(cycle=cycle, today=datetime.date(2025, 11, 20)))
    rows = {m.row.agency: m for m in progress.rows}
    cells_b = {c.task.code: (c.role, c.status, c.letter) for c in rows[world.b].cells}
    assert cells_b == {
        "III.1.a": ("coordinate", "unsent", "?"),
        "III.1.b": ("lead", "unsent", "?"),
        "III.1.c": ("", "", ""),
    }
    cells_a = {c.task.code: (c.role, c.status, c.letter, c.label) for c in rows[world.a].cells}
    assert cells_a["III.1.a"] == ("lead", "in_progress", "Đ", "Đang triển khai")
    assert cells_a["III.1.b"] == ("coordinate", "in_progress", "Đ", "Đang triển khai")
    assert progress.totals == {"in_progress": 2, "unsent": 3}
    group = progress.groups[0]
    assert (group.tasks, group.total) == (3, 5)
    assert [(b["status"], b["count"], b["percent"]) for b in group.bars()] == [
        ("in_progress", 2, 40),
        ("unsent", 3, 60),
    ]
    # A returned report shows what was sent before the return, not the corrections being typed.
    reporting.report_return(
        actor=world.coordinator, report=AgencyReport.objects.get(pk=report_a.pk), comment="Sửa"
    )
    fill(world.report(cycle, world.a), world.reporter_a, status=EntryStatus.DONE)
    progress = task_progress(board=dashboard(cycle=cycle, today=datetime.date(2025, 11, 20)))
    row_a = next(m for m in progress.rows if m.row.agency == world.a)
    assert {c.status for c in row_a.cells if c.role} == {"in_progress"}


def test_filters(world, cycle):
    fill(world.report(cycle, world.b), world.reporter_b)
    world.c.kind = "commune_committee"
    world.c.save()
    group = AgencyGroupFactory(name="Nhóm thử lọc")
    GroupMembershipFactory(group=group, agency=world.a)
    today = datetime.date(2025, 11, 20)

    def names(**kwargs):
        return [
            r.agency.short_name
            for r in dashboard(cycle=cycle, filters=DashboardFilters(**kwargs), today=today).rows
        ]

    assert names() == ["Sở Nội vụ", "Sở Tài chính", "Sở Y tế"]
    assert names(state="draft") == ["Sở Nội vụ"]
    assert names(kind="commune_committee") == ["Sở Y tế"]
    assert names(group=group.pk) == ["Sở Tài chính"]
    assert names(q="so tai chinh") == ["Sở Tài chính"]  # without diacritics
    assert names(q="SỞ Y TẾ") == ["Sở Y tế"]
    assert names(q="không có") == []
    board = dashboard(cycle=cycle, filters=DashboardFilters(state="draft"), today=today)
    assert board.total == 3  # the counts stay those of the whole cycle


def test_dashboard_page_and_filters_from_the_query_string(client, world, cycle):
    client.force_login(world.coordinator)
    page = client.get(f"/theo-doi/ky/{cycle.pk}/", {"q": "noi vu", "trang_thai": "bogus", "loai": ""})
    assert page.status_code == 200
    rows = page.context["board"].rows
    assert [r.agency for r in rows] == [world.b]
    html = page.content.decode()
    assert "Chưa bắt đầu" in html and "còn 15 ngày" in html
    assert "Tiến độ theo đơn vị và nhiệm vụ" in html and "Chỉ tiêu năm 2025" in html


def test_csv_export(client, world, cycle):
    report_c = fill(world.report(cycle, world.c), world.head_c)
    reporting.report_submit(actor=world.head_c, report=report_c)
    client.force_login(world.viewer)
    response = client.get(f"/theo-doi/ky/{cycle.pk}/csv/")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["STT", "Đơn vị", "Loại đơn vị", "Trạng thái"]
    body = {r[1]: r for r in rows[1:]}
    assert set(body) == {"Sở Tài chính (thử)", "Sở Nội vụ (thử)", "Sở Y tế (thử)"}
    assert body["Sở Y tế (thử)"][3:5] == ["Đã gửi, chờ xem xét", "submitted"]
    assert body["Sở Y tế (thử)"][11:13] == ["1", "1"]
    assert body["Sở Tài chính (thử)"][6:8] == ["15", "còn 15 ngày"]
    filtered = client.get(f"/theo-doi/ky/{cycle.pk}/csv/", {"trang_thai": "submitted"})
    assert len(list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))) == 2
    # The same rows, filters kept, as an Excel sheet (the shared export helper).
    from openpyxl import load_workbook

    xlsx = client.get(f"/theo-doi/ky/{cycle.pk}/csv/", {"trang_thai": "submitted", "xuat": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][1:5] == [
        "Sở Y tế (thử)",
        sheet["C2"].value,
        "Đã gửi, chờ xem xét",
        "submitted",
    ]
    assert sheet.max_row == 2


def test_query_count_does_not_grow_with_agencies(client, big_world, django_assert_max_num_queries):
    """The dashboard of a cycle with 10 agencies and of one with 60 run the same number of queries, for the
    coordinator and for a viewer; so do the filtered page and the CSV."""
    counts = {}
    worlds = {n: big_world(n) for n in (10, 60)}
    for persona in ("coordinator", "viewer"):
        for n, world in worlds.items():
            client.force_login(getattr(world, persona))
            cache.clear()  # the uncached page: the shared sections are computed, not read
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(f"/theo-doi/ky/{world.cycle.pk}/")
            assert response.status_code == 200
            assert len(response.context["board"].rows) == n
            counts[persona, n] = len(ctx.captured_queries)
        assert counts[persona, 10] == counts[persona, 60], counts
        limit = counts[persona, 10]
        for world in worlds.values():
            client.force_login(getattr(world, persona))
            with django_assert_max_num_queries(limit):
                client.get(f"/theo-doi/ky/{world.cycle.pk}/")
            with django_assert_max_num_queries(limit):
                client.get(
                    f"/theo-doi/ky/{world.cycle.pk}/", {"q": "don vi", "trang_thai": "submitted", "nhom": ""}
                )
            with django_assert_max_num_queries(12):
                client.get(f"/theo-doi/ky/{world.cycle.pk}/csv/")
    assert counts["coordinator", 60] <= 30, counts


def test_task_status_row_uses_the_shared_rule_on_accepted_reports(world, cycle):
    """A leads III.1.a and coordinates III.1.b; B the reverse. A reports both done and is accepted; B has sent
    nothing: III.1.a is done, III.1.b is not (a coordinating agency alone never makes a task done)."""
    report_a = fill(world.report(cycle, world.a), world.reporter_a, status=EntryStatus.DONE)
    reporting.report_submit(actor=world.head_a, report=report_a)
    board = dashboard(cycle=cycle, today=datetime.date(2025, 11, 20))
    assert not any(s.is_done for s in task_progress(board=board).statuses.values())  # sent, not accepted
    reporting.report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report_a.pk))
    progress = task_progress(board=dashboard(cycle=cycle, today=datetime.date(2025, 11, 20)))
    cells = {t.code: (status.text if status else "", short) for t, status, short in progress.status_cells()}
    assert cells["III.1.a"] == ("Hoàn thành", "H")
    assert cells["III.1.b"] == (
        "0/1 đơn vị chủ trì đã hoàn thành (1 chưa có báo cáo được tiếp nhận; "
        "đơn vị phối hợp: 1 hoàn thành, 1 chưa có báo cáo được tiếp nhận)",
        "0/1",
    )


def test_agencies_in_vietnamese_order(world, cycle):
    """Rows follow the Vietnamese alphabet (Đ after D, "Ủy ban" after "Trường"), not code points."""
    from plantrack.core.text import vi_sorted

    world.a.name = "Ủy ban nhân dân thử"
    world.a.save()
    world.b.name = "Đài Phát thanh thử"
    world.b.save()
    world.c.name = "Trường Chính trị thử"
    world.c.save()
    names = [row.agency.name for row in dashboard(cycle=cycle, today=datetime.date(2025, 11, 20)).rows]
    assert names == vi_sorted(names)
    assert names.index("Trường Chính trị thử") < names.index("Ủy ban nhân dân thử")
