"""Each (task, agency) pair of a plan with its timeliness state on a day (docs/design/task-timeliness.md).

python manage.py task_status --plan "386/KH-UBND" [--as-of 2026-12-05] [--format table|json] [--state overdue]
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plantrack.plans.models import Plan
from plantrack.reporting.timeliness import (
    TaskTimeliness,
    plan_task_timeliness,
    state_counts,
    timeliness_summary,
)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of: expected YYYY-MM-DD, got {value!r}") from exc


def _iso(day):
    return day.isoformat() if day else None


class Command(BaseCommand):
    help = "Liệt kê tình trạng thời hạn của từng cặp (nhiệm vụ, đơn vị) của một kế hoạch vào một ngày."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help='Số, ký hiệu kế hoạch, ví dụ "386/KH-UBND".')
        parser.add_argument("--as-of", type=_date, help="Ngày xét (YYYY-MM-DD); mặc định hôm nay.")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--state", choices=TaskTimeliness.values, help="Chỉ các cặp ở tình trạng này.")

    def handle(self, *args, plan: str, as_of=None, format: str = "table", state=None, **options):
        found = Plan.objects.by_code(plan).first()
        if found is None:
            raise CommandError(f"No plan {plan!r}.")
        as_of = as_of or timezone.localdate()
        rows = plan_task_timeliness(plan=found, as_of=as_of)
        counts = {code: n for code, _label, n in state_counts(rows)}
        if state:
            rows = [r for r in rows if r.state == state]
        if format == "json":
            summary = timeliness_summary(found, as_of)
            data = {
                "plan": found.code,
                "as_of": as_of.isoformat(),
                "counts": counts,
                "summary": {k: v for k, v in summary.items() if k != "as_of"},
                "pairs": [
                    {
                        "task_id": r.task.pk,
                        "task_code": r.task.code,
                        "recurrence": r.task.recurrence,
                        "due_date": _iso(r.due_date),
                        "agency_id": r.agency.pk,
                        "agency": r.agency.name,
                        "roles": r.roles,
                        "status": r.status,
                        "done_on": _iso(r.done_on),
                        "state": r.state.value,
                        "state_label": r.state_label,
                    }
                    for r in rows
                ],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Kế hoạch {found.code} — tình trạng thời hạn ngày {as_of:%d/%m/%Y}")
        for r in rows:
            due = r.due_date.strftime("%d/%m/%Y") if r.due_date else "—"
            done = r.done_on.strftime("%d/%m/%Y") if r.done_on else ""
            role = "CT" if r.is_lead else "PH"
            self.stdout.write(
                f"{r.task.code:<14} {due:<10} {role} {r.agency.name[:48]:<48} {r.state_label:<22} {done}"
            )
        self.stdout.write(
            "Tổng: "
            + ", ".join(f"{TaskTimeliness(code).label}: {n}" for code, n in counts.items())
            + f" ({sum(counts.values())} cặp)"
        )
