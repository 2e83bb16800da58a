from django.core.management.base import BaseCommand, CommandError

from plantrack.security.backup import BackupError, backup_restore
from plantrack.security.models import SecurityAction
from plantrack.security.services import security_event_record


class Command(BaseCommand):
    help = (
        "Phục hồi một bản sao lưu (tệp .tar.gz của lệnh backup) vào hệ thống trống: cơ sở dữ liệu và tệp tải "
        "lên. Xem docs/deploy.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu .tar.gz")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ghi đè cả khi hệ thống đích đã có dữ liệu (mọi dữ liệu hiện có bị thay thế).",
        )

    def handle(self, *args, file, force=False, **options):
        try:
            manifest = backup_restore(path=file, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        security_event_record(
            action=SecurityAction.RESTORE,
            target=str(file),
            detail={
                "database_format": manifest["database_format"],
                "created_at": manifest["created_at"],
                "files": len(manifest["media"]),
                "files_missing": manifest["files_missing"],
            },
        )
        for name in manifest["files_missing"]:
            self.stderr.write(self.style.WARNING(f"Cơ sở dữ liệu tham chiếu tệp {name} nhưng tệp không có."))
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã phục hồi bản sao lưu lập lúc {manifest['created_at']} ({len(manifest['media'])} tệp). "
                "Nếu mã nguồn mới hơn bản sao lưu, chạy tiếp: python manage.py migrate"
            )
        )
