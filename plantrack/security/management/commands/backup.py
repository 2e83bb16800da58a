from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plantrack.security.backup import BackupError, backup_create
from plantrack.security.models import SecurityAction
from plantrack.security.services import security_event_record


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và tệp tải lên (MEDIA_ROOT) vào một tệp .tar.gz; chạy được khi hệ thống đang "
        "hoạt động. Xem docs/deploy.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", help="Tệp đích (mặc định: plantrack-backup-<thời điểm>.tar.gz).")
        parser.add_argument(
            "--format",
            dest="database_format",
            choices=["auto", "native", "json"],
            default="auto",
            help="auto: bản sao SQLite / pg_dump (JSON nếu không có pg_dump); "
            "json: dạng di chuyển được giữa SQLite và PostgreSQL.",
        )

    def handle(self, *args, out=None, database_format="auto", **options):
        out = Path(out or f"plantrack-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            result = backup_create(out=out, database_format=database_format)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        security_event_record(
            action=SecurityAction.BACKUP,
            target=str(result.path),
            detail={
                "database_format": result.database_format,
                "files": result.files,
                "missing": result.missing,
            },
        )
        for name in result.missing:
            self.stderr.write(
                self.style.WARNING(f"Tệp {name} đã bị xóa trong lúc sao lưu: bản sao lưu ghi nhận là thiếu.")
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {result.path} (cơ sở dữ liệu: {result.database_format}, {result.files} tệp)."
            )
        )
