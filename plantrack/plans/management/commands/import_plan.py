"""Import a plan from its document (.docx, .pdf with text, .txt): ``import_plan FILE [--dry-run] [--format json]``.

With --dry-run nothing is saved and the extracted plan is printed (``--format json``: the plan interchange JSON of
docs/plan-interchange.md plus a ``warnings`` list). Without it the plan is created through
``plans.services.plan_publish`` (actor: none, the command line), unless the reader or the plan rulebook finds an
error: then the command stops and saves nothing.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plantrack.plans.importing import PlanImportError, Registry, import_document
from plantrack.plans.importing.review import for_publish
from plantrack.plans.rules import plan_data_problems
from plantrack.plans.services import PlanPublishError, plan_publish

UNRESOLVED = "Chưa lưu kế hoạch vì còn điểm chưa xác định:\n- "


class Command(BaseCommand):
    help = (
        "Đọc văn bản kế hoạch (.docx, .pdf có lớp chữ, .txt UTF-8) và tạo kế hoạch; --dry-run chỉ in kết quả "
        "trích xuất, không lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp văn bản kế hoạch")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ in kết quả trích xuất, không lưu gì")
        parser.add_argument(
            "--format", choices=["json", "text"], default="text", help="Cách in kết quả (mặc định: text)"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Thay kế hoạch cùng số, ký hiệu và cơ quan ban hành nếu đã có",
        )

    def handle(
        self, *args, file: str, dry_run: bool = False, format: str = "text", replace: bool = False, **options
    ):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không mở được tệp {file}: {exc.strerror or exc}.") from exc
        registry = Registry.from_db()
        try:
            result = import_document(data, path.name, registry=registry)
        except PlanImportError as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        else:
            self._summary(result)
        if dry_run:
            return
        data = for_publish(result.plan)
        errors = [p.message for p in result.errors]
        if errors:
            # Say everything at once: what the reader could not resolve, then what the rulebook refuses.
            errors += [
                p.message
                for p in plan_data_problems(data, registry=registry, replace=replace)
                if p.is_error and p.message not in errors
            ]
            raise CommandError(UNRESOLVED + "\n- ".join(errors))
        try:
            plan = plan_publish(actor=None, data=data, replace=replace)
        except PlanPublishError as exc:
            raise CommandError(UNRESOLVED + "\n- ".join(exc.messages)) from exc
        self.stderr.write(
            self.style.SUCCESS(
                f"Đã tạo {plan}: {plan.targets.filter(parent=None).count()} chỉ tiêu, {plan.tasks.count()} nhiệm vụ."
            )
        )

    def _summary(self, result) -> None:
        plan = result.plan
        self.stdout.write(
            f"Kế hoạch {plan['number'] or '?'} ngày {plan['date'] or '?'} — {plan['issuer'] or '?'}"
        )
        self.stdout.write(f"  {plan['title'][:150]}")
        self.stdout.write(
            f"  {len(plan['targets'])} chỉ tiêu, {len(plan['task_groups'])} nhóm nhiệm vụ, "
            f"{len(plan['tasks'])} nhiệm vụ, cơ quan theo dõi: {plan['coordinator_agency'] or '?'}"
        )
        for task in plan["tasks"]:
            lead = "; ".join(task["lead"]) or "?"
            coordinate = f" | phối hợp: {'; '.join(task['coordinate'])}" if task["coordinate"] else ""
            self.stdout.write(f"  {task['code']:<12} chủ trì: {lead}{coordinate}")
        for message in result.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {message}"))
