"""Print each expected agency's report state for one cycle, as a table or as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from plantrack.plans.models import Plan
from plantrack.reporting.models import ReportingCycle
from plantrack.reporting.selectors import cycle_status_data


class Command(BaseCommand):
    help = "Tình hình báo cáo của một kỳ: trạng thái, thời điểm gửi, nộp muộn, chưa nộp của từng đơn vị."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help='Số, ký hiệu kế hoạch, ví dụ "386/KH-UBND".')
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, plan: str, year: int, format: str, **options):
        plan_obj = Plan.objects.by_code(plan).first()
        if plan_obj is None:
            raise CommandError(f"Không có kế hoạch {plan}.")
        cycle = (
            ReportingCycle.objects.filter(plan=plan_obj, year=year, period_type="yearly")
            .select_related("plan")
            .first()
        )
        if cycle is None:
            raise CommandError(f"Kế hoạch {plan} chưa có kỳ báo cáo năm {year}.")
        data = cycle_status_data(cycle=cycle)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        demo = " — DỮ LIỆU DEMO" if cycle.is_demo else ""
        self.stdout.write(
            f"Kế hoạch {data['plan']} — kỳ báo cáo {data['year']}{demo}; hạn {cycle.due_date:%d/%m/%Y}"
        )
        width = max((len(a["agency"]) for a in data["agencies"]), default=10)
        for a in data["agencies"]:
            flags = " ".join(f for f, on in (("NỘP MUỘN", a["late"]), ("CHƯA NỘP", a["missing"])) if on)
            sent = (a["submitted_at"] or "")[:16].replace("T", " ")
            self.stdout.write(f"{a['agency']:<{width}}  {a['label']:<22} {sent:<16} {flags}")
