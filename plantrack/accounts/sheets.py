"""Excel sheets of accounts: reading the sheet an administrator uploads for a bulk import, the blank template, and
the sheet of temporary passwords handed back after the import. Rules are checked by
``services.users_import_check``; this module only reads and writes cells."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from plantrack.core.archives import XLSX_LIMITS, ArchiveRefused, archive_check
from plantrack.core.spreadsheets import spreadsheet_cell
from plantrack.core.text import fold

from .models import Role
from .services import IMPORT_COLUMNS, AccountRow

# A province's agencies times a few people each; a sheet longer than this is a mistake (or an attack).
MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
# Header titles each column is recognised by (folded), in the order of the template.
HEADER_NAMES = {
    "username": {"ten dang nhap", "username", "tai khoan"},
    "full_name": {"ho ten", "ho va ten", "full name", "ten"},
    "email": {"e-mail", "email", "thu dien tu", "dia chi thu dien tu"},
    "agency": {"don vi", "co quan", "co quan, don vi", "co quan don vi", "agency"},
    "role": {"vai tro", "role"},
    "phone": {"dien thoai", "so dien thoai", "phone"},
}
REQUIRED = ("username", "full_name", "agency", "role")
HEADER_SEARCH_ROWS = 5


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def account_rows_read(upload) -> list[AccountRow]:
    """The account rows of the first sheet of an uploaded .xlsx, after its header row (found among the first
    rows by its titles); blank rows are skipped. Raises ValidationError for a file that cannot be used."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("Tệp quá lớn (tối đa %(mb)d MB) cho một danh sách tài khoản.")
            % {"mb": MAX_BYTES // 1024 // 1024}
        )
    # The shared guard first (declared sizes, members, XML depth), then openpyxl streams it (read_only).
    try:
        archive_check(upload, name=getattr(upload, "name", "") or "", limits=XLSX_LIMITS)
    except ArchiveRefused as exc:
        raise ValidationError(str(exc)) from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("Tệp tải lên không phải tệp Excel (.xlsx) đọc được.")) from exc
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("Tệp tải lên không phải tệp Excel (.xlsx) đọc được.")) from exc
    try:
        return _rows(workbook.worksheets[0])
    finally:
        workbook.close()


def _rows(sheet) -> list[AccountRow]:
    columns: dict[str, int] | None = None
    rows: list[AccountRow] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_text(v) for v in values]
        if columns is None:
            columns = _header(cells)
            if columns is None and number >= HEADER_SEARCH_ROWS:
                raise ValidationError(
                    _(
                        "Không thấy dòng tiêu đề (Tên đăng nhập, Họ tên, Thư điện tử, Đơn vị, Vai trò) ở "
                        "%(n)d dòng đầu: hãy dùng tệp mẫu."
                    )
                    % {"n": HEADER_SEARCH_ROWS}
                )
            continue
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(
                _("Tệp có hơn %(n)d tài khoản: hãy chia thành nhiều tệp.") % {"n": MAX_ROWS}
            )

        def cell(key: str, cells=cells, columns=columns) -> str:
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        rows.append(
            AccountRow(
                row=number,
                username=cell("username"),
                full_name=cell("full_name"),
                email=cell("email"),
                agency=cell("agency"),
                role=cell("role"),
                phone=cell("phone"),
            )
        )
    if columns is None:
        raise ValidationError(_("Tệp trống."))
    return rows


def _header(cells: list[str]) -> dict[str, int] | None:
    found = {}
    for index, title in enumerate(cells):
        folded = fold(title).rstrip("*: ")
        for key, names in HEADER_NAMES.items():
            if folded in names and key not in found:
                found[key] = index
    if "username" not in found:
        return None
    missing = [str(IMPORT_COLUMNS[key]) for key in REQUIRED if key not in found]
    if missing:
        raise ValidationError(_("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)})
    return found


def account_template_xlsx() -> bytes:
    """The blank sheet to fill in, with one example row and the list of roles."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Tài khoản")
    sheet.append([str(IMPORT_COLUMNS[key]) for key in ("username", "full_name", "email", "agency", "role")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "nguyenvana.stc",
            "Nguyễn Văn A",
            "nguyenvana@example.gov.vn",
            "Sở Tài chính",
            str(Role.REPORTER.label),
        ]
    )
    for column, width in zip("ABCDE", (24, 30, 34, 44, 20), strict=True):
        sheet.column_dimensions[column].width = width
    roles = workbook.create_sheet(_("Vai trò"))
    roles.append([_("Vai trò"), _("Mã")])
    for role in Role:
        roles.append([str(role.label), role.value])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def temporary_passwords_xlsx(created) -> bytes:
    """The sheet handed to the administrator after an import: who, where, and the temporary password."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Mật khẩu tạm")
    sheet.append([_("Tên đăng nhập"), _("Họ tên"), _("Đơn vị"), _("Vai trò"), _("Mật khẩu tạm")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, (user, password) in enumerate(created, start=2):
        values = [
            user.username,
            user.full_name,
            str(user.agency or ""),
            str(user.get_role_display()),
            password,
        ]
        for column, value in enumerate(values, start=1):
            spreadsheet_cell(sheet, row=number, column=column, value=value)
    for column, width in zip("ABCDE", (24, 30, 44, 20, 18), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
