"""``python manage.py build_report --plan "386/KH-UBND" --year 2025 --out DIR``: write the consolidated report
(DOCX) and its appendices (XLSX) for scripts and scheduled runs.

Uses the narrative saved in the app when there is one (otherwise the suggested draft), compiles from the accepted
submissions only, and writes nothing to the database.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plantrack.consolidation.models import ConsolidatedReport
from plantrack.consolidation.report.build import build_consolidated
from plantrack.consolidation.selectors import own_report_warning
from plantrack.plans.models import Plan
from plantrack.reporting.models import ReportingCycle


class Command(BaseCommand):
    help = "Tạo báo cáo tổng hợp (DOCX) và phụ lục (XLSX) của một kỳ báo cáo, ghi vào thư mục --out."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help='Số, ký hiệu kế hoạch, ví dụ "386/KH-UBND"')
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="Thư mục ghi tệp (tạo nếu chưa có)")
        parser.add_argument("--no-charts", action="store_true", help="Không kèm biểu đồ (Phụ lục III)")
        parser.add_argument(
            "--suggested",
            action="store_true",
            help="Dùng nội dung gợi ý, bỏ qua nội dung đã soạn trên hệ thống",
        )
        parser.add_argument("--manifest", action="store_true", help="Ghi thêm tệp JSON nguồn dữ liệu")

    def handle(self, *args, plan: str, year: int, out: str, **options):
        plans = list(Plan.objects.by_code(plan))
        if len(plans) != 1:
            raise CommandError(f"Không tìm thấy (hoặc có nhiều hơn một) kế hoạch số {plan}.")
        cycle = ReportingCycle.objects.filter(plan=plans[0], year=year, period_type="yearly").first()
        if cycle is None:
            raise CommandError(f"Kế hoạch {plan} chưa có kỳ báo cáo năm {year}.")
        warning = own_report_warning(cycle=cycle)
        if warning is not None:
            self.stderr.write(self.style.WARNING(f"Cảnh báo: {warning.message}"))
        narrative = None
        if not options["suggested"]:
            saved = ConsolidatedReport.objects.filter(cycle=cycle).first()
            narrative = saved.narrative() if saved else None
        built = build_consolidated(cycle=cycle, narrative=narrative, charts=not options["no_charts"])
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        docx_path, xlsx_path = directory / built.docx_name, directory / built.xlsx_name
        docx_path.write_bytes(built.docx)
        xlsx_path.write_bytes(built.xlsx)
        if options["manifest"]:
            manifest_path = directory / f"nguon-du-lieu-{built.base_name}.json"
            manifest_path.write_text(
                json.dumps(built.manifest(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
        c = built.compilation
        self.stdout.write(
            self.style.SUCCESS(
                f"Báo cáo tổng hợp năm {year} — Kế hoạch {c.plan.code}: {c.accepted_count}/{c.expected_count} báo cáo "
                f"đã tiếp nhận, {len(c.tasks)} nhiệm vụ, {len(c.targets)} chỉ tiêu; "
                f"{round(built.timings['total'] * 1000)} ms."
            )
        )
        self.stdout.write(f"  {docx_path}\n  {xlsx_path}")
