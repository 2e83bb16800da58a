"""Import agencies from CSV (plantrack/orgs/agency_csv.py documents the columns)."""

from django.core.management.base import BaseCommand, CommandError

from plantrack.orgs.agency_csv import COLUMNS, agencies_csv_import


class Command(BaseCommand):
    help = f"Nhập cơ quan, đơn vị từ tệp CSV UTF-8 (cột: {', '.join(COLUMNS)}). Có lỗi thì không lưu gì."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu")

    def handle(self, *args, file: str, dry_run: bool = False, **options):
        try:
            with open(file, encoding="utf-8-sig") as fh:
                text = fh.read()
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp {file}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"Tệp {file} không phải văn bản UTF-8.") from exc
        # No person is signed in on the command line: actor None, as for the other commands.
        result = agencies_csv_import(actor=None, text=text, dry_run=dry_run)
        if result.errors:
            raise CommandError("Không nhập được, chưa lưu gì:\n" + "\n".join(result.errors))
        if dry_run:
            self.stdout.write(f"Kiểm tra xong: {len(result.rows)} dòng hợp lệ. Chưa lưu gì (--dry-run).")
            for row in result.rows:
                self.stdout.write(f"  {row['name']} ({row['kind']}) từ {row['valid_from'] or '—'}")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Đã nhập {result.created} cơ quan; bỏ qua {result.skipped} đã có.")
            )
