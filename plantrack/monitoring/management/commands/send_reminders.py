"""Run the reminder schedule of every open cycle, then the reminders before tasks' deadlines of every published
plan, for cron (docs/deploy.md, "Nhắc hạn"; docs/design/task-timeliness.md).

    python manage.py send_reminders [--dry-run] [--plan 386/KH-UBND] [--year 2025] [--today 2025-12-06]

Safe to run as often as you like: each step goes to each agency once (docs/design/urging.md). ``--dry-run``
prints exactly what would be sent, to whom, and sends and writes nothing.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plantrack.monitoring.services import reminders_send
from plantrack.monitoring.task_reminders import task_reminders_send
from plantrack.plans.models import Plan
from plantrack.reporting.models import CycleState, ReportingCycle


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today: expected YYYY-MM-DD, got {value!r}") from exc


class Command(BaseCommand):
    help = "Send the reminders the schedule asks for today (in the app and by e-mail); --dry-run only lists them."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send nothing.")
        parser.add_argument("--plan", help='Only this plan, by number and symbol, e.g. "386/KH-UBND".')
        parser.add_argument("--year", type=int, help="Only the cycle of this year.")
        parser.add_argument("--today", type=_date, help="Act as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, plan=None, year=None, today=None, **options):
        today = today or timezone.localdate()
        cycles = (
            ReportingCycle.objects.filter(state=CycleState.OPEN)
            .select_related("plan__coordinator_agency", "plan__issuer")
            .order_by("plan__number", "year")
        )
        plans = Plan.objects.filter(is_published=True)
        if plan:
            plans = Plan.objects.by_code(plan)
            if not plans.exists():
                raise CommandError(f"No plan {plan!r}.")
            cycles = cycles.filter(plan__in=plans)
        if year:
            cycles = cycles.filter(year=year)
        mode = "DRY RUN — nothing is sent" if dry_run else "sending"
        self.stdout.write(f"send_reminders {today:%d/%m/%Y} ({mode}); open cycles: {cycles.count()}")
        total_agencies = total_messages = 0
        for cycle in cycles:
            result = reminders_send(cycle=cycle, today=today, dry_run=dry_run)
            label = f"{cycle.plan.code} {cycle.year}" + (" [demo]" if cycle.is_demo else "")
            if result.step is None:
                self.stdout.write(f"{label}: no step today (due {cycle.due_date:%d/%m/%Y})")
                continue
            done = result.planned if dry_run else result.sent
            self.stdout.write(
                f"{label}: step {result.step.key} ({result.step.label}, {result.step.day:%d/%m/%Y}) — "
                f"{len(done)} agencies{' would be' if dry_run else ''} reminded"
            )
            for item in result.planned:
                if not item.recipients:
                    self.stdout.write(
                        f"  ! {item.agency.name} [{item.state}]: no recipient (no account, no mailbox)"
                    )
                    continue
                if not dry_run and item not in result.sent:
                    self.stdout.write(f"  = {item.agency.name}: already sent by another run")
                    continue
                for r in item.recipients:
                    channel = (
                        "in-app + e-mail"
                        if r.user is not None and r.email
                        else ("in-app" if r.user is not None else "e-mail")
                    )
                    if cycle.is_demo and r.user is not None:
                        channel = "in-app (demo: no e-mail)"
                    who = f"{r.name} ({r.role})" if r.role else r.name
                    self.stdout.write(
                        f"  {'would send' if dry_run else 'sent'}: {item.agency.name} [{item.state}] → "
                        f"{who} <{r.email or '-'}> {channel}: {item.subject}"
                    )
                    total_messages += 1
                total_agencies += 1
        for task_plan in plans.select_related("coordinator_agency").order_by("number"):
            messages, agencies = self._task_reminders(task_plan, today=today, dry_run=dry_run)
            total_messages += messages
            total_agencies += agencies
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"Total: {total_messages} messages to {total_agencies} agencies {verb}.")

    def _task_reminders(self, plan, *, today, dry_run) -> tuple[int, int]:
        result = task_reminders_send(plan=plan, today=today, dry_run=dry_run)
        done = result.planned if dry_run else result.sent
        self.stdout.write(
            f"{plan.code} task deadlines: {len(done)} agencies{' would be' if dry_run else ''} reminded"
        )
        messages = agencies = 0
        for item in result.planned:
            steps = ", ".join(f"{i.row.task.code} {i.step.key}" for i in item.items)
            if not item.recipients:
                self.stdout.write(f"  ! {item.agency.name} ({steps}): no recipient (no account, no mailbox)")
                continue
            if not dry_run and item not in result.sent:
                self.stdout.write(f"  = {item.agency.name}: already sent by another run")
                continue
            for r in item.recipients:
                channel = (
                    "in-app + e-mail"
                    if r.user is not None and r.email
                    else ("in-app" if r.user is not None else "e-mail")
                )
                who = f"{r.name} ({r.role})" if r.role else r.name
                self.stdout.write(
                    f"  {'would send' if dry_run else 'sent'}: {item.agency.name} [{steps}] → "
                    f"{who} <{r.email or '-'}> {channel}: {item.subject}"
                )
                messages += 1
            agencies += 1
        return messages, agencies
