"""``manage.py send_reminders`` for cron: the dry run prints exactly what would be sent and sends nothing; the
real run sends it once however often cron fires."""

import io

import pytest
from django.core.management import CommandError, call_command

from plantrack.monitoring.models import ReminderLog

from .conftest import at


def command(*args, capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_dry_run_then_run_twice(world, cycle, mailoutbox, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to(at(6), tick=False)
    dry = command("--dry-run", "--today", "2025-12-06", capture=django_capture_on_commit_callbacks)
    assert "DRY RUN" in dry
    assert "99/KH-UBND 2025: step D+1 (1 ngày sau hạn, 06/12/2025) — 3 agencies would be reminded" in dry
    would = sorted(line for line in dry.splitlines() if line.strip().startswith("would send:"))
    assert len(would) == 5
    assert any(f"<{world.head_c.email}> in-app + e-mail" in line for line in would)
    assert dry.rstrip().endswith("Total: 5 messages to 3 agencies would be sent.")
    assert mailoutbox == [] and ReminderLog.objects.count() == 0

    real = command("--today", "2025-12-06", capture=django_capture_on_commit_callbacks)
    sent = sorted(
        line.strip().replace("sent:", "would send:", 1)
        for line in real.splitlines()
        if line.strip().startswith("sent:")
    )
    assert sent == [line.strip() for line in would]
    assert len(mailoutbox) == 5 and ReminderLog.objects.count() == 5

    again = command("--today", "2025-12-06", capture=django_capture_on_commit_callbacks)
    assert "— 0 agencies reminded" in again and "Total: 0 messages" in again
    assert len(mailoutbox) == 5


def test_filters_and_errors(world, cycle, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to(at(6), tick=False)
    assert "open cycles: 0" in command(
        "--dry-run", "--year", "2024", capture=django_capture_on_commit_callbacks
    )
    assert "open cycles: 1" in command(
        "--dry-run", "--plan", "99/KH-UBND", capture=django_capture_on_commit_callbacks
    )
    out = command("--dry-run", "--today", "2025-11-01", capture=django_capture_on_commit_callbacks)
    assert "no step today" in out
    with pytest.raises(CommandError):
        command("--plan", "1/XX", capture=django_capture_on_commit_callbacks)
    with pytest.raises(CommandError):
        command("--today", "06/12/2025", capture=django_capture_on_commit_callbacks)


def test_an_agency_nobody_can_be_reached_at_is_flagged(
    world, cycle, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(at(6), tick=False)
    world.head_c.is_active = False
    world.head_c.save()
    out = command("--today", "2025-12-06", capture=django_capture_on_commit_callbacks)
    assert "! Sở Y tế (thử) [missing]: no recipient (no account, no mailbox)" in out
