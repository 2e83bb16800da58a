"""The reminders page: today's list (the dry run), the schedule form, "Gửi ngay" and the log."""

import datetime

from plantrack.monitoring.models import ReminderLog, ReminderSchedule
from plantrack.monitoring.schedule import DEFAULT_RULE
from plantrack.monitoring.selectors import schedule_overview
from plantrack.orgs.models import Agency

from .conftest import at


def test_overview_marks_past_current_next_and_folds_old_repeats(world, cycle):
    rows = schedule_overview(cycle=cycle, today=datetime.date(2026, 1, 20), rule=DEFAULT_RULE)
    shown = [(r["step"].offset, r["when"]) if "step" in r else ("…", r["skipped"]) for r in rows]
    assert shown == [
        (-30, "past"),
        (-7, "past"),
        (-1, "past"),
        (1, "past"),
        ("…", 3),
        (29, "past"),
        (36, "past"),
        (43, "current"),
        (50, "next"),
    ]


def test_page_lists_what_goes_out_today_and_sends_it_once(
    client, world, cycle, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(at(6), tick=False)
    client.force_login(world.coordinator)
    page = client.get(f"/theo-doi/ky/{cycle.pk}/nhac-han/").content.decode()
    assert "Bước “1 ngày sau hạn” (ngày 06/12/2025): 3 đơn vị chưa được nhắc." in page
    assert world.head_c.email in page and "Chưa gửi nhắc hạn nào." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/theo-doi/ky/{cycle.pk}/nhac-han/gui/", follow=True)
    html = response.content.decode()
    assert "Đã gửi nhắc hạn tới 3 đơn vị (5 người nhận)." in html
    assert "đã được gửi tới mọi đơn vị còn nợ báo cáo" in html and "Nhật ký nhắc hạn" in html
    assert ReminderLog.objects.filter(sent_by=world.coordinator).count() == 5 and len(mailoutbox) == 5
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/theo-doi/ky/{cycle.pk}/nhac-han/gui/", follow=True)
    assert "Hôm nay không có nhắc hạn nào cần gửi." in again.content.decode() and len(mailoutbox) == 5


def test_schedule_form_keeps_input_on_error_and_saves(client, world, cycle):
    client.force_login(world.coordinator)
    url = f"/theo-doi/ky/{cycle.pk}/nhac-han/"
    bad = client.post(
        url,
        {
            "days_before": "30, bảy",
            "days_after": "1",
            "repeat_every_days": "7",
            "repeat_limit": "0",
            "is_active": "on",
        },
    )
    assert bad.status_code == 200 and "30, bảy" in bad.content.decode()
    assert not ReminderSchedule.objects.exists()
    ok = client.post(
        url, {"days_before": "14; 3", "days_after": "2 9", "repeat_every_days": "0", "repeat_limit": "0"}
    )
    assert ok.status_code == 302
    schedule = ReminderSchedule.objects.get(cycle=cycle)
    assert (schedule.days_before, schedule.days_after, schedule.repeat_every_days, schedule.is_active) == (
        [14, 3],
        [2, 9],
        0,
        False,
    )
    page = client.get(url).content.decode()
    assert "trước hạn 14, 3 ngày; sau hạn 2, 9 ngày; đang tạm dừng" in page


def test_reminder_log_is_exported_with_formulas_escaped_once(
    client, world, cycle, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(at(6), tick=False)
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/theo-doi/ky/{cycle.pk}/nhac-han/gui/")
    Agency.objects.filter(pk=world.c.pk).update(name="=Sở Y tế (thử)")
    url = f"/theo-doi/ky/{cycle.pk}/nhac-han/"
    assert "xuat=csv" in client.get(url).content.decode()
    text = client.get(url, {"xuat": "csv"}).content.decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 1 + ReminderLog.objects.filter(cycle=cycle).count() == 6
    line = next(r for r in lines if world.head_c.email in r)
    assert ",'=Sở Y tế (thử),1 ngày sau hạn," in line and line.endswith(f",{world.coordinator.display_name}")
    assert "''=" not in text
