"""Task timeliness where people read it: the list page under monitoring, the dashboard's summary, the plan page,
the agency page and the API; and the reminders before a task's deadline (sent once per step, re-armed when the
deadline moves)."""

import datetime
import io

from django.core.management import call_command
from django.urls import reverse

from plantrack.monitoring.models import TaskReminderLog
from plantrack.monitoring.task_reminders import task_reminders_due, task_reminders_send
from plantrack.plans.models import OutlineNode
from plantrack.plans.services import task_deadline_change
from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport, EntryStatus

from .conftest import VN, fill

DEADLINE = datetime.date(2025, 12, 15)  # 25 days after the tests' 20/11/2025: due soon


def overdue_and_due_soon(world, cycle):
    """T1 (lead A, coordinate B) due 10/11/2025, T2 (lead B, coordinate A and C) due 15/12/2025. A reports
    both done on 20/11/2025 (accepted): T1 done late, T2 done on time for A; B is overdue on T1, due soon on T2 as
    C is."""
    task_deadline_change(actor=world.coordinator, task=world.t1, deadline=datetime.date(2025, 11, 10))
    task_deadline_change(actor=world.coordinator, task=world.t2, deadline=DEADLINE)
    report = fill(world.report(cycle, world.a), world.reporter_a, status=EntryStatus.DONE)
    services.report_submit(actor=world.head_a, report=report)
    services.report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report.pk))


def test_list_page_filters_and_access(client, world, cycle):
    overdue_and_due_soon(world, cycle)
    url = reverse("monitoring:task_timeliness", args=[world.plan.pk])
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert 'Quá hạn <span class="n">1</span>' in page  # B on T1
    assert "Hoàn thành quá hạn" in page  # A reported done on 20/11, after 10/11
    overdue = client.get(url, {"tinh_trang": "overdue"}).content.decode()
    assert "Sở Nội vụ (thử)</a>" in overdue and "Sở Y tế (thử)</a>" not in overdue
    only_c = client.get(url, {"don_vi": world.c.pk}).content.decode()
    assert only_c.count("<tr>") == 1 + 1  # header + C's single pair (T2)
    # The export keeps the filter and says the states in words.
    exported = client.get(url, {"tinh_trang": "overdue", "xuat": "csv"}).content.decode("utf-8-sig")
    assert "Sở Nội vụ (thử)" in exported and "Sở Y tế (thử)" not in exported
    assert "Quá hạn" in exported and ",overdue" not in exported
    client.force_login(world.viewer)
    assert client.get(url).status_code == 200
    for outsider in (world.head_a, world.other_coordinator):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
    client.force_login(world.coordinator)
    assert client.get(reverse("monitoring:task_timeliness", args=[999999])).status_code == 404


def test_dashboard_summary_links_to_the_list(client, world, cycle):
    overdue_and_due_soon(world, cycle)
    client.force_login(world.coordinator)
    page = client.get(reverse("monitoring:dashboard", args=[cycle.pk])).content.decode()
    assert "1 nhiệm vụ quá hạn</a>" in page and "1 sắp đến hạn</a>" in page
    assert reverse("monitoring:task_timeliness", args=[world.plan.pk]) + "?tinh_trang=overdue" in page


def test_plan_page_badges_follow_who_may_see(client, world, cycle):
    overdue_and_due_soon(world, cycle)
    # The page lays tasks out under the outline heading of their section.
    OutlineNode.objects.create(plan=world.plan, code="III", label="III.", title="Nhiệm vụ, giải pháp")
    url = reverse("plans:detail", args=[world.plan.pk])
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert "1 quá hạn" in page and "2 sắp đến hạn" in page and "1 hoàn thành quá hạn" in page
    # An agency's people see their own agency's state only.
    client.force_login(world.head_c)
    page = client.get(url).content.decode()
    assert "1 sắp đến hạn" in page and "quá hạn</span>" not in page


def test_agency_page_shows_each_task_state(client, world, cycle):
    overdue_and_due_soon(world, cycle)
    client.force_login(world.head_b)
    page = client.get(reverse("orgs:detail", args=[world.b.pk])).content.decode()
    assert 'class="tl tl-overdue">Quá hạn' in page and 'class="tl tl-due_soon">Sắp đến hạn' in page
    # Another agency's people do not see B's states.
    client.force_login(world.head_c)
    page = client.get(reverse("orgs:detail", args=[world.b.pk])).content.decode()
    assert "tl-overdue" not in page


def test_api_scoped_and_as_of(client, world, cycle):
    overdue_and_due_soon(world, cycle)
    url = reverse("api:plan-task-timeliness", args=[world.plan.pk])
    client.force_login(world.coordinator)
    data = client.get(url).json()
    assert data["counts"] == {"due_soon": 2, "overdue": 1, "done_late": 1, "done_on_time": 1}
    earlier = client.get(url, {"as_of": "2025-11-01"}).json()
    assert earlier["counts"] == {"due_soon": 2, "not_due": 3}
    assert client.get(url, {"as_of": "01/11/2025"}).status_code == 400
    client.force_login(world.head_b)
    pairs = client.get(url).json()["pairs"]
    assert {p["agency_id"] for p in pairs} == {world.b.pk} and len(pairs) == 2
    client.force_login(world.other_coordinator)
    assert client.get(url).json()["pairs"] == []
    client.logout()
    assert client.get(url).status_code in (401, 403)
    client.force_login(world.coordinator)
    schema = client.get(reverse("api:schema")).json()
    assert "/api/v1/plans/{id}/task-timeliness/" in schema["paths"] or any(
        p.endswith("/task-timeliness/") for p in schema["paths"]
    )


def test_task_reminders_once_per_step_and_rearmed_by_a_moved_deadline(
    world, cycle, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    overdue_and_due_soon(world, cycle)
    seven_before = DEADLINE - datetime.timedelta(days=7)
    time_machine.move_to(datetime.datetime(2025, 12, 8, 8, tzinfo=VN), tick=False)
    planned = task_reminders_due(plan=world.plan, today=seven_before)
    # T2 is owed by B (lead) and by A and C (coordinating, through the group); A has reported it done.
    assert sorted(p.agency.pk for p in planned) == sorted([world.b.pk, world.c.pk])
    assert all([i.step.offset for i in p.items] == [-7] for p in planned)
    with django_capture_on_commit_callbacks(execute=True):
        first = task_reminders_send(plan=world.plan, today=seven_before)
    assert len(first.sent) == 2 and TaskReminderLog.objects.count() == 3  # B: 2 people, C: 1
    again = task_reminders_send(plan=world.plan, today=seven_before)
    assert again.planned == [] and TaskReminderLog.objects.count() == 3
    # The day after the deadline: a last reminder, "quá hạn".
    after = task_reminders_due(plan=world.plan, today=DEADLINE + datetime.timedelta(days=1))
    assert {i.step.offset for p in after for i in p.items} == {1}
    assert "1 nhiệm vụ quá hạn" in after[0].subject
    # Moving the deadline re-arms the steps for the new date.
    task_deadline_change(actor=world.coordinator, task=world.t2, deadline=datetime.date(2025, 12, 20))
    rearmed = task_reminders_due(plan=world.plan, today=datetime.date(2025, 12, 13))
    assert {i.step.offset for p in rearmed for i in p.items} == {-7}


def test_send_reminders_dry_run_lists_task_reminders(world, cycle, time_machine):
    overdue_and_due_soon(world, cycle)
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", "--today", "2025-12-08", stdout=out)
    text = out.getvalue()
    assert "99/KH-UBND task deadlines: 2 agencies would be reminded" in text
    assert "would send: Sở Nội vụ (thử) [III.1.b D-7]" in text
    assert TaskReminderLog.objects.count() == 0
