"""The Excel round trip: an agency downloads its report as a workbook, fills it in off line and uploads it back.

Sheet "Nhiệm vụ" has one row per entry (status as a drop-down list); sheet "Nội dung chung" holds the four
sections; sheets "Văn bản", "Hội nghị, tập huấn" and "Kinh phí" hold the entries' structured facts (one row per
document, event or year of funding, keyed by the task's code) and "Kiến nghị" the report's proposals with their
addressee. A hidden sheet keeps the report id and the version the workbook was made from, so an upload made after
someone else saved is refused like a stale form. Uploads are checked row by row and saved all or nothing; a
workbook made before the fact sheets existed still uploads and leaves facts and proposals as they are.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from plantrack.core.archives import XLSX_LIMITS, ArchiveRefused, archive_check
from plantrack.core.numbers import input_decimal, parse_decimal
from plantrack.core.spreadsheets import spreadsheet_cell
from plantrack.core.text import fold
from plantrack.orgs.models import Agency

from .facts import DocumentIn, EntryFacts, EventIn, FundingIn, ProposalIn
from .models import Addressee, AgencyReport, EntryStatus, EventKind

TASK_SHEET = "Nhiệm vụ"
SECTION_SHEET = "Nội dung chung"
META_SHEET = "_plantrack"
COLUMNS = [
    ("STT", 6),
    ("Mã nhiệm vụ", 14),
    ("Nội dung nhiệm vụ", 60),
    ("Vai trò", 12),
    ("Tình trạng", 24),
    ("Kết quả thực hiện", 60),
    ("Khó khăn, vướng mắc", 40),
]
COL_CODE, COL_STATUS, COL_RESULTS, COL_DIFFICULTIES = 2, 5, 6, 7
MAX_TEXT = 20000
# Rows read per sheet: a report has one row per task (plan 386 has about a hundred).
MAX_ROWS = 5000
STATUS_BY_LABEL = {str(label).strip().lower(): value for value, label in EntryStatus.choices}


class XlsxImportError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class XlsxContent:
    version: int
    sections: dict[str, str]
    entries: dict[int, dict[str, str]]
    facts: dict[int, EntryFacts] | None = None  # None: a workbook without the fact sheets (leave facts alone)
    proposals: list[ProposalIn] | None = None


# The fact sheets: (sheet, columns (header, width)). Column 2 is always the task's code.
DOC_SHEET, EVENT_SHEET, FUND_SHEET, PROPOSAL_SHEET = "Văn bản", "Hội nghị, tập huấn", "Kinh phí", "Kiến nghị"
FACT_SHEETS = {
    DOC_SHEET: [
        ("STT", 6),
        ("Mã nhiệm vụ", 14),
        ("Số, ký hiệu", 20),
        ("Ngày ban hành", 14),
        ("Trích yếu", 70),
    ],
    EVENT_SHEET: [
        ("STT", 6),
        ("Mã nhiệm vụ", 14),
        ("Loại", 24),
        ("Số lượng", 10),
        ("Số lượt người tham dự", 14),
        ("Nội dung", 60),
    ],
    FUND_SHEET: [
        ("STT", 6),
        ("Mã nhiệm vụ", 14),
        ("Năm", 8),
        ("Ngân sách tỉnh (triệu đồng)", 16),
        ("Ngân sách trung ương (triệu đồng)", 16),
        ("Xã hội hóa, khác (triệu đồng)", 16),
        ("Đã giải ngân (triệu đồng)", 16),
        ("Ghi chú", 40),
    ],
    PROPOSAL_SHEET: [
        ("STT", 6),
        ("Kiến nghị tới", 26),
        ("Tên Bộ, ngành hoặc cơ quan, đơn vị", 36),
        ("Nội dung kiến nghị", 80),
        ("Mã hệ thống (không sửa)", 12),
    ],
}
EVENT_BY_LABEL = {str(label).strip().lower(): value for value, label in EventKind.choices}
ADDRESSEE_BY_LABEL = {str(label).strip().lower(): value for value, label in Addressee.choices}


def report_xlsx_build(report: AgencyReport) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = TASK_SHEET
    header_fill = PatternFill("solid", fgColor="EEF1F5")
    title = _("Báo cáo năm %(year)s của %(agency)s — Kế hoạch %(plan)s") % {
        "year": report.cycle.year,
        "agency": report.agency.name,
        "plan": report.cycle.plan.code,
    }
    if report.cycle.is_demo:
        title = "[DỮ LIỆU DEMO] " + title
    # Every value goes through spreadsheet_cell: text typed by an agency must never become a live formula.
    spreadsheet_cell(ws, row=1, column=1, value=title).font = Font(bold=True, size=13)
    spreadsheet_cell(
        ws,
        row=2,
        column=1,
        value=_(
            "Điền cột “Tình trạng” (chọn trong danh sách), “Kết quả thực hiện” và “Khó khăn, vướng mắc”. "
            "Không sửa cột “Mã nhiệm vụ”."
        ),
    ).font = Font(italic=True)
    for col, (name, width) in enumerate(COLUMNS, start=1):
        cell = spreadsheet_cell(ws, row=4, column=col, value=name)
        cell.font, cell.fill = Font(bold=True), header_fill
        ws.column_dimensions[get_column_letter(col)].width = width
    labels = [str(label) for _v, label in EntryStatus.choices]
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(labels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Tình trạng"),
        error=_("Chọn một giá trị trong danh sách."),
    )
    ws.add_data_validation(validation)
    entries = list(
        report.entries.select_related("task")
        .prefetch_related("documents", "events", "funding")
        .order_by("order")
    )
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, e in enumerate(entries, start=1):
        row = 4 + i
        values = [
            i,
            e.task.code,
            e.task_text_in_force,
            e.get_role_display(),
            e.get_status_display() if e.status else "",
            e.results,
            e.difficulties,
        ]
        for col, value in enumerate(values, start=1):
            spreadsheet_cell(ws, row=row, column=col, value=value).alignment = wrap
        validation.add(f"{get_column_letter(COL_STATUS)}{row}")
    ws.freeze_panes = "C5"

    ss = wb.create_sheet(SECTION_SHEET)
    ss.column_dimensions["A"].width, ss.column_dimensions["B"].width = 36, 100
    spreadsheet_cell(ss, row=1, column=1, value=_("Mục")).font = Font(bold=True)
    spreadsheet_cell(ss, row=1, column=2, value=_("Nội dung")).font = Font(bold=True)
    for i, (_field, label, value) in enumerate(report.sections(), start=2):
        spreadsheet_cell(ss, row=i, column=1, value=label).font = Font(bold=True)
        spreadsheet_cell(ss, row=i, column=2, value=value).alignment = wrap

    _facts_sheets_build(wb, report, entries, wrap, header_fill)

    meta = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate((("report_id", report.pk), ("version", report.version)), start=1):
        spreadsheet_cell(meta, row=row, column=1, value=key)
        spreadsheet_cell(meta, row=row, column=2, value=value)
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_xlsx_parse(report: AgencyReport, upload) -> XlsxContent:
    """Read an uploaded workbook; raise ``XlsxImportError`` listing every problem with its row and column.

    The archive passes the shared guard first (``core.archives``: decompressed size, members, XML depth), then
    openpyxl streams it (``read_only``): only the columns of the template are read, and a sheet with more than
    ``MAX_ROWS`` rows is refused, so a workbook of 50 000 rows × 100 cells costs neither minutes nor gigabytes.
    """
    name = getattr(upload, "name", "") or ""
    try:
        archive_check(upload, name=name, limits=XLSX_LIMITS)
    except ArchiveRefused as exc:
        raise XlsxImportError([str(exc)]) from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XlsxImportError([_("Tệp tải lên không phải tệp Excel (.xlsx) đọc được.")]) from exc
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise XlsxImportError([_("Tệp tải lên không phải tệp Excel (.xlsx) đọc được.")]) from exc
    try:
        return _parse_workbook(report, wb)
    finally:
        wb.close()


def _rows(ws, *, min_row: int, max_col: int):
    """``(row number, values)`` of a streamed sheet, refusing a sheet longer than any template can be."""
    for number, values in enumerate(
        ws.iter_rows(min_row=min_row, max_col=max_col, values_only=True), min_row
    ):
        if number > MAX_ROWS:
            raise XlsxImportError(
                [
                    _("Trang tính “%(sheet)s” có hơn %(n)s dòng: đây không phải mẫu báo cáo của hệ thống.")
                    % {"sheet": ws.title, "n": MAX_ROWS}
                ]
            )
        yield number, values + (None,) * (max_col - len(values))


def _parse_workbook(report: AgencyReport, wb) -> XlsxContent:
    problems: list[str] = []
    for name in (TASK_SHEET, SECTION_SHEET, META_SHEET):
        if name not in wb.sheetnames:
            problems.append(_("Thiếu trang tính “%(name)s”: hãy dùng mẫu tải từ hệ thống.") % {"name": name})
    if problems:
        raise XlsxImportError(problems)
    meta = {}
    for number, values in _rows(wb[META_SHEET], min_row=1, max_col=2):
        meta[number] = values
        if number >= 2:
            break
    if meta.get(1, (None, None))[1] != report.pk:
        raise XlsxImportError([_("Tệp này là mẫu của một báo cáo khác, không phải báo cáo đang mở.")])
    try:
        version = int(meta.get(2, (None, None))[1])
    except (TypeError, ValueError):
        raise XlsxImportError([_("Tệp mẫu bị sửa phần thông tin ẩn; hãy tải mẫu mới.")]) from None

    by_code = {e.task.code: e for e in report.entries.select_related("task")}
    entries: dict[int, dict[str, str]] = {}
    seen: dict[str, int] = {}
    rows = _rows(wb[TASK_SHEET], min_row=4, max_col=len(COLUMNS))
    _number, header_values = next(rows, (4, ()))
    header = [str(value or "").strip() for value in header_values]
    if header != [name for name, _w in COLUMNS]:
        raise XlsxImportError([_("Dòng 4: tiêu đề các cột đã bị thay đổi; hãy dùng mẫu tải từ hệ thống.")])
    for r, row in rows:
        if all(value in (None, "") for value in row):
            continue

        def cell(col, row=row):
            value = row[col - 1]
            return "" if value is None else str(value).strip()

        def where(col, r=r):
            return _("Dòng %(row)s, cột %(col)s (%(name)s)") % {
                "row": r,
                "col": get_column_letter(col),
                "name": COLUMNS[col - 1][0],
            }

        code = cell(COL_CODE)
        entry = by_code.get(code)
        if entry is None:
            problems.append(
                where(COL_CODE) + ": " + _("mã nhiệm vụ “%(code)s” không có trong báo cáo.") % {"code": code}
            )
            continue
        if code in seen:
            problems.append(
                where(COL_CODE)
                + ": "
                + _("nhiệm vụ %(code)s đã có ở dòng %(other)s.") % {"code": code, "other": seen[code]}
            )
            continue
        seen[code] = r
        status_text = cell(COL_STATUS)
        status = STATUS_BY_LABEL.get(status_text.lower()) if status_text else ""
        if status is None:
            problems.append(
                where(COL_STATUS)
                + ": "
                + _("“%(value)s” không phải tình trạng hợp lệ (%(allowed)s).")
                % {
                    "value": status_text,
                    "allowed": ", ".join(str(label) for _v, label in EntryStatus.choices),
                }
            )
        values = {
            "status": status or "",
            "results": cell(COL_RESULTS),
            "difficulties": cell(COL_DIFFICULTIES),
        }
        for col, key in ((COL_RESULTS, "results"), (COL_DIFFICULTIES, "difficulties")):
            if len(values[key]) > MAX_TEXT:
                problems.append(where(col) + ": " + _("nội dung dài quá %(n)s ký tự.") % {"n": MAX_TEXT})
        entries[entry.pk] = values
    missing = [code for code in by_code if code not in seen]
    if missing:
        problems.append(_("Thiếu dòng của nhiệm vụ: %(codes)s.") % {"codes": ", ".join(missing)})

    sections: dict[str, str] = {}
    labels = {label.lower(): field for field, label, _v in report.sections()}
    for number, (label_value, value) in _rows(wb[SECTION_SHEET], min_row=2, max_col=2):
        label = str(label_value or "").strip()
        if not label:
            continue
        field = labels.get(label.lower())
        if field is None:
            problems.append(
                _("Trang “%(sheet)s”, dòng %(row)s, cột A: mục “%(label)s” không có trong mẫu.")
                % {"sheet": SECTION_SHEET, "row": number, "label": label}
            )
            continue
        sections[field] = "" if value is None else str(value).strip()
    facts, proposals = _facts_sheets_parse(report, wb, by_code, problems)
    if problems:
        raise XlsxImportError(problems)
    return XlsxContent(version=version, sections=sections, entries=entries, facts=facts, proposals=proposals)


# --- structured facts and proposals ----------------------------------------------------------------------------


def _dropdown(ws, labels, column: str, last_row: int) -> None:
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(labels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        error=_("Chọn một giá trị trong danh sách."),
    )
    ws.add_data_validation(validation)
    validation.add(f"{column}2:{column}{last_row}")


def _facts_sheets_build(wb, report: AgencyReport, entries, wrap, header_fill) -> None:
    """The four fact sheets, filled with what the report holds; a few empty rows (and drop-downs) to add more."""
    rows: dict[str, list[list]] = {name: [] for name in FACT_SHEETS}
    for e in entries:
        code = e.task.code
        for d in e.documents.all():
            rows[DOC_SHEET].append([code, d.number_symbol, d.issued_on.strftime("%d/%m/%Y"), d.subject])
        for ev in e.events.all():
            rows[EVENT_SHEET].append([code, ev.get_kind_display(), ev.count, ev.participants, ev.note])
        for f in e.funding.all():
            amounts = [input_decimal(a) if a else "" for a in (f.provincial, f.central, f.other, f.spent)]
            rows[FUND_SHEET].append([code, f.year, *amounts, f.note])
    for p in report.proposal_items.select_related("addressee_agency").order_by("order", "pk"):
        target = p.addressee_agency.name if p.addressee_agency_id else p.addressee_name
        rows[PROPOSAL_SHEET].append([p.get_addressee_display(), target, p.text, p.pk])
    for name, columns in FACT_SHEETS.items():
        ws = wb.create_sheet(name)
        for col, (header, width) in enumerate(columns, start=1):
            cell = spreadsheet_cell(ws, row=1, column=col, value=header)
            cell.font, cell.fill = Font(bold=True), header_fill
            ws.column_dimensions[get_column_letter(col)].width = width
        for i, values in enumerate(rows[name], start=1):
            for col, value in enumerate([i, *values], start=1):
                spreadsheet_cell(ws, row=1 + i, column=col, value=value).alignment = wrap
        last = 1 + len(rows[name]) + 20
        if name == EVENT_SHEET:
            _dropdown(ws, [str(label) for _v, label in EventKind.choices], "C", last)
        if name == PROPOSAL_SHEET:
            _dropdown(ws, [str(label) for _v, label in Addressee.choices], "B", last)
        ws.freeze_panes = "A2"


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.datetime.strptime(_text(value), "%d/%m/%Y").date()


def _number(value) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    if isinstance(value, int | float):
        return Decimal(str(value))
    return parse_decimal(_text(value))


def _whole(value) -> int:
    number = _number(value)
    if number != number.to_integral_value():
        raise ValueError(number)
    return int(number)


def _facts_sheets_parse(report: AgencyReport, wb, by_code, problems: list[str]):
    """``(facts by entry id, proposals)`` from the fact sheets, or ``(None, None)`` for a workbook made before
    they existed. Type problems are added to ``problems`` with sheet, row and column; the business rules (dates in
    the window, years, amounts) are the save service's, as for the form."""
    present = [name for name in FACT_SHEETS if name in wb.sheetnames]
    if not present:
        return None, None
    if len(present) != len(FACT_SHEETS):
        missing = [name for name in FACT_SHEETS if name not in present]
        problems.append(
            _("Thiếu trang tính “%(name)s”: hãy dùng mẫu tải từ hệ thống.") % {"name": ", ".join(missing)}
        )
        return None, None
    collected: dict[int, dict[str, list]] = {
        e.pk: {"documents": [], "events": [], "funding": []} for e in by_code.values()
    }
    proposals: list[ProposalIn] = []
    agencies = None

    for name, columns in FACT_SHEETS.items():
        rows = _rows(wb[name], min_row=1, max_col=len(columns))
        _n, header_values = next(rows, (1, ()))
        if [_text(v) for v in header_values] != [h for h, _w in columns]:
            problems.append(
                _("Trang “%(sheet)s”, dòng 1: tiêu đề các cột đã bị thay đổi; hãy dùng mẫu tải từ hệ thống.")
                % {"sheet": name}
            )
            continue
        for r, row in rows:
            if all(v in (None, "") for v in row[1:]):
                continue

            def where(col, r=r, name=name, columns=columns):
                return _("Trang “%(sheet)s”, dòng %(row)s, cột %(col)s (%(name)s)") % {
                    "sheet": name,
                    "row": r,
                    "col": get_column_letter(col),
                    "name": columns[col - 1][0],
                }

            if name == PROPOSAL_SHEET:
                addressee = ADDRESSEE_BY_LABEL.get(_text(row[1]).lower())
                if addressee is None:
                    problems.append(
                        where(2) + ": " + _("“%(v)s” không có trong danh sách.") % {"v": _text(row[1])}
                    )
                    continue
                target, agency_id = _text(row[2]), None
                if addressee == Addressee.AGENCY and target:
                    if agencies is None:
                        agencies = {fold(a.name): a.pk for a in Agency.objects.only("pk", "name")}
                    agency_id = agencies.get(fold(target))
                    if agency_id is None:
                        problems.append(
                            where(3)
                            + ": "
                            + _("không tìm thấy cơ quan “%(v)s” trong danh mục.") % {"v": target}
                        )
                        continue
                try:
                    pk = _whole(row[4]) if row[4] not in (None, "") else None
                except (ValueError, ArithmeticError, ValidationError):
                    pk = None
                proposals.append(
                    ProposalIn(
                        addressee=addressee,
                        text=_text(row[3]),
                        addressee_name=target if addressee != Addressee.AGENCY else "",
                        addressee_agency_id=agency_id,
                        id=pk,
                    )
                )
                continue

            code = _text(row[1])
            entry = by_code.get(code)
            if entry is None:
                problems.append(
                    where(2) + ": " + _("mã nhiệm vụ “%(code)s” không có trong báo cáo.") % {"code": code}
                )
                continue
            bucket = collected[entry.pk]
            if name == DOC_SHEET:
                try:
                    issued = _date(row[3])
                except (ValueError, TypeError):
                    problems.append(
                        where(4) + ": " + _("ngày phải có dạng ngày/tháng/năm, ví dụ 12/07/2025.")
                    )
                    continue
                bucket["documents"].append(DocumentIn(_text(row[2]), issued, _text(row[4])))
            elif name == EVENT_SHEET:
                kind = EVENT_BY_LABEL.get(_text(row[2]).lower())
                if kind is None:
                    problems.append(
                        where(3) + ": " + _("“%(v)s” không có trong danh sách.") % {"v": _text(row[2])}
                    )
                    continue
                try:
                    count, participants = _whole(row[3] or 1), _whole(row[4])
                except (ValueError, ArithmeticError, ValidationError):
                    problems.append(where(4) + ": " + _("số lượng và số lượt người phải là số nguyên."))
                    continue
                bucket["events"].append(EventIn(kind, count, participants, _text(row[5])))
            else:
                try:
                    year = _whole(row[2])
                except (ValueError, ArithmeticError, ValidationError):
                    problems.append(where(3) + ": " + _("năm phải là số, ví dụ 2025."))
                    continue
                amounts = []
                for col in (4, 5, 6, 7):
                    try:
                        amounts.append(_number(row[col - 1]))
                    except (ValueError, ArithmeticError, ValidationError) as exc:
                        message = exc.messages[0] if isinstance(exc, ValidationError) else _("không phải số.")
                        problems.append(where(col) + ": " + message)
                if len(amounts) == 4:
                    bucket["funding"].append(FundingIn(year, *amounts, note=_text(row[7])))
    facts = {
        pk: EntryFacts(tuple(b["documents"]), tuple(b["events"]), tuple(b["funding"]))
        for pk, b in collected.items()
    }
    return facts, proposals
