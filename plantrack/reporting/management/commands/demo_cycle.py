"""Load or remove the demo reporting cycle (DỮ LIỆU DEMO). ``make run`` loads it through load_default."""

from django.core.management.base import BaseCommand, CommandError

from plantrack.accounts.models import Role
from plantrack.reporting.demo import DemoError, demo_cycle_load, demo_cycle_remove
from plantrack.reporting.demo_regimes import demo_regimes_load
from plantrack.reporting.models import ReportDisplayState
from plantrack.reporting.selectors import cycle_rows, cycle_summary


class Command(BaseCommand):
    help = "Nạp (mặc định) hoặc xóa (--remove) kỳ báo cáo DỮ LIỆU DEMO năm 2025 của Kế hoạch 386/KH-UBND."

    def add_arguments(self, parser):
        parser.add_argument(
            "--remove", action="store_true", help="Xóa toàn bộ dữ liệu demo của phần báo cáo."
        )
        parser.add_argument("--plan", default="386/KH-UBND")
        parser.add_argument("--year", type=int, default=2025)

    def handle(self, *args, remove: bool = False, plan: str = "386/KH-UBND", year: int = 2025, **options):
        if remove:
            counts = demo_cycle_remove()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã xóa DỮ LIỆU DEMO: {counts['cycles']} kỳ báo cáo, {counts['reports']} báo cáo, "
                    f"{counts['files']} tệp minh chứng, {counts['notifications']} thông báo, "
                    f"{counts['users']} tài khoản lãnh đạo demo không đăng nhập."
                )
            )
            return
        try:
            cycle, created = demo_cycle_load(plan_code=plan, year=year)
            for extra in demo_regimes_load(plan_code=plan):
                self.stdout.write(
                    f"Kỳ báo cáo DỮ LIỆU DEMO {extra.label} của Kế hoạch {extra.plan.code}: đã tạo."
                )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if not created:
            self.stdout.write(
                f"Kỳ báo cáo DỮ LIỆU DEMO {cycle.year} của Kế hoạch {cycle.plan.code}: đã có, giữ nguyên."
            )
            return
        from django.contrib.auth.models import AnonymousUser

        class _Viewer(AnonymousUser):
            role = Role.VIEWER
            is_authenticated = True

        summary = cycle_summary(cycle_rows(cycle=cycle, user=_Viewer()))
        # States in words (the display state's label), never the stored codes.
        parts = ", ".join(
            f"{ReportDisplayState(code).label.lower()}: {count}"
            for code, count in sorted(summary.items())
            if code != "total"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Kỳ báo cáo DỮ LIỆU DEMO {cycle.year} của Kế hoạch {cycle.plan.code}: {summary['total']} đơn vị ({parts}). "
                "Xóa bằng: python manage.py demo_cycle --remove"
            )
        )
