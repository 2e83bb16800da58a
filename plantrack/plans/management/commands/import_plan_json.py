"""Load a plan from interchange JSON (docs/plan-interchange.md) through ``plans.services.plan_publish`` (actor: none,
the command line). All or nothing."""

import json

from django.core.management.base import BaseCommand, CommandError

from plantrack.plans.services import PlanPublishError, plan_publish


class Command(BaseCommand):
    help = "Nạp kế hoạch từ tệp JSON trao đổi (plantrack.plan/1). Lỗi ở bất kỳ đâu thì không lưu gì."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp JSON, hoặc - để đọc từ đầu vào chuẩn")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Thay kế hoạch cùng số, ký hiệu và cơ quan ban hành nếu đã có",
        )

    def handle(self, *args, file: str, replace: bool = False, **options):
        try:
            if file == "-":
                import sys

                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as fh:
                    data = json.load(fh)
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp {file}.") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"Tệp {file} không phải JSON UTF-8 hợp lệ: {exc}") from exc
        try:
            plan = plan_publish(actor=None, data=data, replace=replace)
        except PlanPublishError as exc:
            raise CommandError(f"Không nạp được kế hoạch:\n{exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {plan}: {plan.targets.filter(parent=None).count()} chỉ tiêu, {plan.tasks.count()} nhiệm vụ."
            )
        )
