import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand

from plantrack.core.media import orphan_media_files


class Command(BaseCommand):
    help = (
        "Liệt kê (mặc định) hoặc xóa (--delete) các tệp trong MEDIA_ROOT không còn bản ghi nào tham chiếu, cũ hơn "
        "thời gian chờ (tệp của một lần tải lên bị ngắt giữa chừng)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Xóa các tệp tìm thấy (mặc định chỉ liệt kê)."
        )
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=24,
            help="Chỉ xét tệp sửa đổi lần cuối trước đó bao nhiêu giờ (mặc định 24).",
        )

    def handle(self, *args, delete=False, grace_hours=24, **options):
        orphans = orphan_media_files(older_than=dt.timedelta(hours=grace_hours))
        root = settings.MEDIA_ROOT
        for path in orphans:
            self.stdout.write(str(path.relative_to(root)))
            if delete:
                path.unlink(missing_ok=True)
        verb = "Đã xóa" if delete else "Tìm thấy (chưa xóa; thêm --delete để xóa)"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(orphans)} tệp không có bản ghi tham chiếu."))
