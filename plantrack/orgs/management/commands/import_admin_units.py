"""Import one province's commune-level People's Committees from the national list (plantrack/orgs/admin_units.py)."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from plantrack.orgs.admin_units import (
    ARRANGEMENT_2025,
    DEFAULT_GROUPS,
    NATIONAL_LIST_2025,
    admin_units_import,
)


class Command(BaseCommand):
    help = (
        "Nhập UBND cấp xã (xã, phường, đặc khu) của một tỉnh từ danh mục đơn vị hành chính toàn quốc (JSON). "
        "Chạy lại không nhân đôi; có lỗi thì không lưu gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=str(NATIONAL_LIST_2025),
            help="Tệp JSON danh mục (mặc định: danh mục từ 01/07/2025 kèm theo Plantrack)",
        )
        parser.add_argument(
            "--province", required=True, help="Tên tỉnh (“Đồng Nai”, “Tỉnh Đồng Nai”) hoặc mã"
        )
        parser.add_argument(
            "--valid-from",
            type=datetime.date.fromisoformat,
            default=ARRANGEMENT_2025,
            help="Ngày bắt đầu hoạt động, yyyy-mm-dd (mặc định 2025-07-01)",
        )
        parser.add_argument(
            "--group",
            action="append",
            dest="groups",
            help=f"Mã nhóm cơ quan các đơn vị thuộc về từ ngày đó; lặp lại được (mặc định: {', '.join(DEFAULT_GROUPS)})",
        )
        parser.add_argument(
            "--parent", default="", help="Tên cơ quan cấp trên (mặc định: Ủy ban nhân dân tỉnh …)"
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu")

    def handle(
        self, *args, file: str, province: str, valid_from, groups, parent: str, dry_run: bool, **options
    ):
        try:
            with open(file, encoding="utf-8-sig") as fh:
                data = json.load(fh)
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp {file}.") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Tệp {file} không phải JSON UTF-8 hợp lệ: {exc}") from exc
        result = admin_units_import(
            data=data,
            province=province,
            valid_from=valid_from,
            groups=tuple(groups or DEFAULT_GROUPS),
            parent_name=parent,
            dry_run=dry_run,
        )
        if result.errors:
            raise CommandError("Không nhập được, chưa lưu gì:\n" + "\n".join(result.errors))
        split = ", ".join(f"{n} {unit_type}" for unit_type, n in sorted(result.by_type.items()))
        if dry_run:
            self.stdout.write(
                f"Kiểm tra xong {result.province}: {len(result.rows)} đơn vị ({split}). Chưa lưu gì (--dry-run)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.province}: {len(result.rows)} đơn vị ({split}); thêm {result.created} cơ quan, "
                f"bỏ qua {result.skipped} đã có, thêm {result.memberships} tư cách thành viên nhóm."
            )
        )
