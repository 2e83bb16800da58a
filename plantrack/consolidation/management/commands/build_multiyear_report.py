"""``python manage.py build_multiyear_report --plan "386/KH-UBND" --from-year 2025 --to-year 2027 --out DIR
[--final]``: the report over several years (sơ kết, or tổng kết with ``--final``) as DOCX. Writes nothing to the
database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from plantrack.consolidation.report.multiyear import multiyear_compile, multiyear_docx
from plantrack.plans.models import Plan


class Command(BaseCommand):
    help = "Tạo báo cáo sơ kết/tổng kết nhiều năm (DOCX) của một kế hoạch, ghi vào thư mục --out."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help='Số, ký hiệu kế hoạch, ví dụ "386/KH-UBND"')
        parser.add_argument("--from-year", type=int, required=True)
        parser.add_argument("--to-year", type=int, required=True)
        parser.add_argument("--out", required=True, help="Thư mục ghi tệp (tạo nếu chưa có)")
        parser.add_argument("--final", action="store_true", help="Báo cáo tổng kết (mặc định: sơ kết)")

    def handle(self, *args, plan: str, from_year: int, to_year: int, out: str, final: bool, **options):
        plans = list(Plan.objects.by_code(plan))
        if len(plans) != 1:
            raise CommandError(f"Không tìm thấy (hoặc có nhiều hơn một) kế hoạch số {plan}.")
        if to_year < from_year or to_year - from_year > 20:
            raise CommandError("Khoảng năm không hợp lệ.")
        report = multiyear_compile(plan=plans[0], from_year=from_year, to_year=to_year, final=final)
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        kind = "tong-ket" if final else "so-ket"
        path = (
            directory
            / f"bao-cao-{kind}-{slugify(plans[0].code.replace('/', '-'))}-{from_year}-{to_year}.docx"
        )
        path.write_bytes(multiyear_docx(report))
        self.stdout.write(
            f"{report.kind} {report.period} — Kế hoạch {plans[0].code}: {len(report.targets)} chỉ tiêu, "
            f"{len(report.tasks)} nhiệm vụ, kỳ báo cáo năm: {sorted(report.cycles) or 'không có'}."
        )
        self.stdout.write(f"  {path}")
