"""Tasks of monitoring, run by the worker (``plantrack.core.queue``) or by a django-q2 schedule."""

import io

from django.core.management import call_command


def reminders_daily() -> str:
    """The daily reminder run, as ``manage.py send_reminders`` does it; returns its last line for the task list.

    Safe on several nodes and when cron runs too: each reminder goes once (a unique constraint of the reminder
    log, docs/design/urging.md), so a second run, or a retry after a lost worker, sends nothing twice.
    """
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue().strip().splitlines()[-1]
