"""Print a plan as interchange JSON (docs/plan-interchange.md)."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from plantrack.plans.interchange import plan_to_dict
from plantrack.plans.models import Plan


class Command(BaseCommand):
    help = 'In kế hoạch ra JSON trao đổi, ví dụ: export_plan "386/KH-UBND"'

    def add_arguments(self, parser):
        parser.add_argument("number", help='Số, ký hiệu kế hoạch, ví dụ "386/KH-UBND"')
        parser.add_argument("--issuer", help="Tên cơ quan ban hành, khi nhiều cơ quan có cùng số, ký hiệu")
        parser.add_argument("--out", help="Ghi ra tệp thay vì in ra màn hình")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Thêm lead_now[]/coordinate_now[]: cơ quan chịu trách nhiệm vào ngày này",
        )

    def handle(
        self,
        *args,
        number: str,
        issuer: str | None = None,
        out: str | None = None,
        as_of: datetime.date | None = None,
        **options,
    ):
        plans = Plan.objects.by_code(number).select_related("issuer", "coordinator_agency")
        if issuer:
            plans = plans.filter(issuer__name=issuer)
        found = list(plans[:2])
        if not found:
            raise CommandError(f"Không có kế hoạch {number}.")
        if len(found) > 1:
            raise CommandError(f"Có nhiều kế hoạch số {number}; chọn bằng --issuer.")
        text = json.dumps(plan_to_dict(found[0], as_of=as_of), ensure_ascii=False, indent=2)
        if out:
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
            self.stderr.write(f"Đã ghi {out}.")
        else:
            self.stdout.write(text)
