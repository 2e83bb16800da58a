"""Open the reporting cycles a plan's regimes prescribe in a year (idempotent: what is open stays as it is)."""

import json

from django.core.management.base import BaseCommand, CommandError

from plantrack.accounts.models import Role
from plantrack.accounts.permissions import role_holders
from plantrack.plans.models import Plan
from plantrack.reporting import services
from plantrack.reporting.regimes import regime_cycles


class Command(BaseCommand):
    help = (
        "Mở các kỳ báo cáo theo chế độ báo cáo của kế hoạch trong một năm (6 tháng, năm, quý, tháng); "
        "kỳ đã mở được giữ nguyên, nên chạy lại không mở thêm gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help='Số, ký hiệu kế hoạch, ví dụ "386/KH-UBND".')
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--as",
            dest="username",
            help="Tài khoản điều phối mở kỳ (mặc định: tài khoản điều phối đầu tiên của cơ quan theo dõi).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không mở kỳ nào.")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(
        self, *args, plan: str, year: int, username: str | None, dry_run: bool, format: str, **options
    ):
        plan_obj = Plan.objects.by_code(plan).first()
        if plan_obj is None:
            raise CommandError(f"Không có kế hoạch {plan}.")
        if not 2000 <= year <= 2100:
            raise CommandError("Năm báo cáo không hợp lệ.")
        planned = regime_cycles(plan=plan_obj, year=year)
        opened_keys: set[tuple[str, int]] = set()
        if not dry_run:
            actor = self._actor(plan_obj, username)
            try:
                opened = services.cycles_open_from_regime(actor=actor, plan=plan_obj, year=year)
            except services.ReportingError as exc:
                raise CommandError(str(exc)) from exc
            opened_keys = {(c.period_type, c.period_index) for c in opened}
        rows = [
            {
                "period": p.period_type,
                "index": p.index,
                "label": p.label,
                "due_date": p.due_date.isoformat(),
                "data_from": p.period_start.isoformat(),
                "data_to": p.period_end.isoformat(),
                "state": "opened"
                if (p.period_type, p.index) in opened_keys
                else ("exists" if p.exists else ("would_open" if dry_run else "skipped")),
            }
            for p in planned
        ]
        if format == "json":
            self.stdout.write(
                json.dumps({"plan": plan_obj.code, "year": year, "cycles": rows}, ensure_ascii=False)
            )
            return
        words = {
            "opened": "đã mở",
            "exists": "đã có, giữ nguyên",
            "would_open": "sẽ mở",
            "skipped": "không mở",
        }
        for r in rows:
            self.stdout.write(
                f"{plan_obj.code} — {r['label']:<22} hạn {r['due_date']}  số liệu {r['data_from']} → {r['data_to']}  "
                f"{words[r['state']]}"
            )
        if not dry_run:
            self.stdout.write(f"Đã mở {len(opened_keys)} kỳ báo cáo.")

    def _actor(self, plan: Plan, username: str | None):
        users = role_holders(Role.COORDINATOR, plan.coordinator_agency_id, plan=plan)
        actor = (users.filter(username=username) if username else users.order_by("-is_demo", "pk")).first()
        if actor is None:
            raise CommandError(
                f"Không có tài khoản điều phối “{username}” của cơ quan theo dõi kế hoạch."
                if username
                else "Kế hoạch chưa có tài khoản điều phối của cơ quan theo dõi; dùng --as."
            )
        return actor
