"""Load the embedded default: Đồng Nai's agencies, plan 386/KH-UBND and the demo accounts. Idempotent."""

import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from plantrack.accounts.services import demo_accounts_ensure
from plantrack.indicators.demo import indicators_load_default
from plantrack.inspection.demo import inspection_demo_load
from plantrack.monitoring.escalation import escalation_demo_load
from plantrack.orgs.admin_units import communes_load_default
from plantrack.orgs.services import agencies_load, orgchanges_load
from plantrack.plans.demo import demo_amendment_load
from plantrack.plans.models import Plan
from plantrack.plans.services import plan_publish

ROOT = Path(settings.BASE_DIR) / "plantrack"
AGENCIES = ROOT / "orgs" / "default_data" / "agencies_dong_nai_2024.json"
ORG_CHANGES = ROOT / "orgs" / "default_data" / "changes_dong_nai_2025.json"
PLANS = [ROOT / "plans" / "default_data" / "plan_386_KH-UBND.json"]


class Command(BaseCommand):
    help = "Nạp dữ liệu mặc định (cơ quan tỉnh Đồng Nai, Kế hoạch 386/KH-UBND, tài khoản demo). Chạy lại không nhân đôi."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Không tạo tài khoản demo.")

    def handle(self, *args, no_demo: bool = False, **options):
        # One transaction: a failure half-way leaves the database as it was, and SQLite commits once. The security
        # log still records the demo's uploads; its console mirror is quiet meanwhile so the accounts stay readable.
        security_logger = logging.getLogger("plantrack.security")
        level = security_logger.level
        security_logger.setLevel(logging.WARNING)
        try:
            with transaction.atomic():
                self._load(no_demo=no_demo)
        finally:
            security_logger.setLevel(level)

    def _load(self, *, no_demo: bool) -> None:
        counts = agencies_load(data=json.loads(AGENCIES.read_text(encoding="utf-8")))
        self.stdout.write(f"Cơ quan: thêm {counts['agencies']}, nhóm: thêm {counts['groups']}.")
        for path in PLANS:
            data = json.loads(path.read_text(encoding="utf-8"))
            number, _, symbol = data["number"].partition("/")
            if Plan.objects.filter(number=number, symbol=symbol, issuer__name=data["issuer"]).exists():
                self.stdout.write(f"Kế hoạch {data['number']}: đã có, giữ nguyên.")
            else:
                plan = plan_publish(actor=None, data=data)  # actor None: the embedded default
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Kế hoạch {plan.code}: {plan.targets.filter(parent=None).count()} chỉ tiêu, "
                        f"{plan.tasks.count()} nhiệm vụ."
                    )
                )
        # The 2025 reform comes after the plans: a 2024 plan resolves its 2024 names before any change exists.
        changes = orgchanges_load(data=json.loads(ORG_CHANGES.read_text(encoding="utf-8")))
        self.stdout.write(f"Thay đổi tổ chức 2025: ghi nhận thêm {changes['changes']}.")
        communes = communes_load_default()
        self.stdout.write(
            f"UBND cấp xã ({communes.province}, {len(communes.rows)} đơn vị): thêm {communes.created}."
        )
        for line in indicators_load_default(demo=not no_demo and bool(settings.PLANTRACK_DEMO_PASSWORD)):
            self.stdout.write(line)
        if no_demo or not settings.PLANTRACK_DEMO_PASSWORD:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING("Tài khoản demo (chỉ dùng để thử, không dùng khi triển khai thật):")
        )
        for spec, created in demo_accounts_ensure():
            state = "mới tạo" if created else "đã có"
            self.stdout.write(
                f"  {spec.username:<16} mật khẩu: {settings.PLANTRACK_DEMO_PASSWORD:<10} "
                f"{spec.full_name} — {state}"
            )
        # The demo reporting cycle 2025 (labelled DỮ LIỆU DEMO; `manage.py demo_cycle --remove` removes it).
        from django.core.management import call_command

        call_command("demo_cycle", stdout=self.stdout._out)
        # One applied amendment of plan 386 (DỮ LIỆU DEMO), after the demo cycles so it reaches the open ones.
        amendment = demo_amendment_load()
        if amendment is not None:
            self.stdout.write(f"Văn bản sửa đổi DỮ LIỆU DEMO {amendment.label}: đã áp dụng.")
        # The demo inspection and escalation (issue 14 points 4 and 6), after the demo cycle they draw on.
        for line in [*inspection_demo_load(), *escalation_demo_load()]:
            self.stdout.write(line)
