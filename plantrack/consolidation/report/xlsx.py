"""The appendices of the consolidated report as an Excel workbook (openpyxl), with the provenance of everything.

Sheets:

- "Phụ lục I": every task (group rows merged), lead and coordinating agencies, overall status, how many agencies
  reported, and every accepted result in full;
- "Phụ lục II": every target (parts of a compound target as sub-rows), unit, target, last year, this year
  (numbers as numbers), assessment and its reason, source;
- "Kết quả theo đơn vị": one row per agency and task, copied from the accepted submission, with the report,
  submission id and times it came from;
- "Nguồn số liệu": one row per figure used, with its agency, report, submission, who entered it and when;
- "Báo cáo đã tiếp nhận": the accepted submissions the report is compiled from.
"""

from __future__ import annotations

import io
from copy import copy
from decimal import Decimal
from functools import lru_cache

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .compile import Compilation, TargetRow
from .docx import appendix_note
from .narrative import Narrative

TASK_SHEET = "Phụ lục I"
TARGET_SHEET = "Phụ lục II"
CONTRIBUTION_SHEET = "Kết quả theo đơn vị"
FIGURE_SHEET = "Nguồn số liệu"
SOURCE_SHEET = "Báo cáo đã tiếp nhận"

HEADER_ROW = 5
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")
_GROUP_FILL = PatternFill("solid", fgColor="F6F7F9")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FONT = "Times New Roman"


def _naive(dt):
    """Excel has no time zones: local time of the office."""
    return timezone.localtime(dt).replace(tzinfo=None) if dt else None


def _number(value: Decimal | None):
    return float(value) if value is not None else None


def _sheet(
    wb: Workbook, title: str, heading: list[str], columns: list[tuple[str, float]], *, first: bool = False
):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    for row, text in enumerate(heading, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(name=_FONT, bold=row <= 2, italic=row == 3, size=13 if row <= 2 else 11)
    for col, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=name)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.__dict__["_plantrack_widths"] = [width for _name, width in columns]
    return ws


@lru_cache(maxsize=64)
def _font(bold: bool, italic: bool) -> Font:
    return Font(name=_FONT, bold=bold, italic=italic)


def _style(ws, bold: bool, italic: bool, fill: bool, number_format: str | None):
    """The style array of a data cell, made once per workbook and combination on a scratch sheet, then copied:
    assigning font, border and alignment objects cell by cell hashes them every time and made the workbook take
    seconds."""
    wb = ws.parent
    cache = wb.__dict__.setdefault("_plantrack_styles", {})
    key = (bold, italic, fill, number_format)
    if key not in cache:
        scratch = wb.__dict__.get("_plantrack_scratch")
        if scratch is None:
            scratch = wb.__dict__["_plantrack_scratch"] = wb.create_sheet("_scratch")
        cell = scratch.cell(row=len(cache) + 1, column=1)
        cell.font = _font(bold, italic)
        cell.alignment = _WRAP
        cell.border = _BORDER
        if fill:
            # A group band: shaded, and not wrapped, so its title runs across the empty cells beside it.
            cell.fill = _GROUP_FILL
            cell.alignment = Alignment(wrap_text=False, vertical="top")
        if number_format:
            cell.number_format = number_format
        cache[key] = cell._style
    return cache[key]


def _append(
    ws,
    values: list,
    *,
    bold: bool = False,
    italic: bool = False,
    fill: bool = False,
    formats: dict | None = None,
):
    # ``ws.max_row`` scans every cell; openpyxl keeps the last row written in ``_current_row``.
    row = ws._current_row + 1
    lines = 1
    widths = ws.__dict__["_plantrack_widths"]
    formats = formats or {}
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell._style = copy(_style(ws, bold, italic, fill, formats.get(col)))
        if not fill and isinstance(value, str) and len(value) > widths[col - 1]:
            lines = max(lines, _lines(value, widths[col - 1]))
    # openpyxl cannot measure text and LibreOffice does not fit rows on opening: estimate the wrapped height.
    ws.row_dimensions[row].height = min(409, 14 * lines + 2)
    return row


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide (Times New Roman 11 pt is narrower than the
    width unit's default font, hence the factor)."""
    per_line = max(1, int(width * 1.5))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _finish(ws, columns: int) -> None:
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{max(ws.max_row, HEADER_ROW)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _number_format(row: TargetRow) -> str:
    places = row.view.definition.decimal_places if row.view else 1
    return "#,##0" + ("." + "0" * places if places else "")


def consolidated_xlsx(compilation: Compilation, narrative: Narrative) -> bytes:
    year = compilation.year
    note = appendix_note(compilation, narrative)
    demo = "[DỮ LIỆU DEMO] " if compilation.cycle.is_demo else ""
    wb = Workbook()

    # Phụ lục I
    columns = [
        ("TT", 6),
        ("Mã", 12),
        ("Nội dung nhiệm vụ", 60),
        ("Cơ quan chủ trì", 28),
        ("Cơ quan phối hợp", 28),
        ("Tình trạng", 18),
        ("Đơn vị đã có báo cáo được tiếp nhận", 20),
        ("Kết quả thực hiện (từ các báo cáo đã tiếp nhận)", 80),
    ]
    ws = _sheet(
        wb,
        TASK_SHEET,
        [
            f"{demo}PHỤ LỤC I",
            f"KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ NĂM {year} — KẾ HOẠCH {compilation.plan.code}",
            note,
        ],
        columns,
        first=True,
    )
    number = 0
    for group in compilation.groups:
        # A shaded band rather than merged cells, which break sorting and filtering in Excel.
        _append(
            ws,
            [f"{group.group.code}. {group.group.title}"] + [None] * (len(columns) - 1),
            bold=True,
            fill=True,
        )
        for block in group.tasks:
            number += 1
            results = "\n".join(
                f"- {c.source.agency_name} ({c.role_label.lower()}"
                + (f", {c.status_label.lower()}" if c.status_label else "")
                + f"): {c.results or 'không nêu kết quả.'}"
                for c in block.contributions
            )
            _append(
                ws,
                [
                    number,
                    block.task.code,
                    block.task.text,
                    block.lead_text,
                    block.coordinate_text,
                    block.status_label,
                    block.coverage_text,
                    results or "—",
                ],
            )
    _finish(ws, len(columns))

    # Phụ lục II
    columns = [
        ("TT", 6),
        ("Mã", 10),
        ("Chỉ tiêu", 45),
        ("Đơn vị tính", 12),
        ("Mục tiêu", 26),
        (f"Năm {year - 1}", 12),
        (f"Năm {year}", 12),
        ("Đánh giá", 16),
        ("Căn cứ đánh giá", 50),
        ("Nguồn số liệu", 60),
    ]
    ws = _sheet(
        wb,
        TARGET_SHEET,
        [
            f"{demo}PHỤ LỤC II",
            f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM {year} — KẾ HOẠCH {compilation.plan.code}",
            note,
        ],
        columns,
    )

    def target_values(label: str, row: TargetRow) -> list:
        return [
            label,
            row.target.code,
            row.name,
            row.unit,
            row.goal,
            _number(row.last_year.value)
            if row.last_year.value is not None
            else (row.last_year.problem or None),
            _number(row.this_year.value)
            if row.this_year.value is not None
            else (row.this_year.problem or None),
            row.assessment,
            row.verdict.reason,
            row.source_text,
        ]

    for number, row in enumerate(compilation.targets, start=1):
        fmt = _number_format(row)
        _append(ws, target_values(str(number), row), bold=bool(row.parts), formats={6: fmt, 7: fmt})
        for index, part in enumerate(row.parts, start=1):
            fmt = _number_format(part)
            _append(ws, target_values(f"{number}.{index}", part), italic=True, formats={6: fmt, 7: fmt})
    _finish(ws, len(columns))

    # Results by agency and task, with their source.
    columns = [
        ("Mã nhiệm vụ", 12),
        ("Cơ quan, đơn vị", 32),
        ("Vai trò", 10),
        ("Tình trạng", 18),
        ("Kết quả thực hiện", 70),
        ("Khó khăn, vướng mắc", 40),
        ("Số minh chứng", 10),
        ("Báo cáo (mã)", 10),
        ("Lần gửi", 8),
        ("Mã lần gửi", 10),
        ("Gửi lúc", 17),
        ("Tiếp nhận lúc", 17),
    ]
    ws = _sheet(
        wb,
        CONTRIBUTION_SHEET,
        [
            f"{demo}KẾT QUẢ THEO ĐƠN VỊ VÀ NHIỆM VỤ",
            f"Từ bản được tiếp nhận của báo cáo năm {year} — Kế hoạch {compilation.plan.code}",
            note,
        ],
        columns,
    )
    stamp = "dd/mm/yyyy hh:mm"
    for block in compilation.tasks:
        for c in block.contributions:
            s = c.source
            _append(
                ws,
                [
                    block.task.code,
                    s.agency_name,
                    c.role_label,
                    c.status_label,
                    c.results,
                    c.difficulties,
                    c.evidence_count,
                    s.report_id,
                    s.submission_number,
                    s.submission_id,
                    _naive(s.submitted_at),
                    _naive(s.accepted_at),
                ],
                formats={11: stamp, 12: stamp},
            )
    _finish(ws, len(columns))

    # Figures used, with their provenance.
    columns = [
        ("Chuỗi số liệu", 40),
        ("Năm", 8),
        ("Giá trị", 14),
        ("Cơ quan cung cấp", 30),
        ("Báo cáo (mã)", 10),
        ("Lần gửi", 8),
        ("Mã lần gửi", 10),
        ("Gửi lúc", 17),
        ("Tiếp nhận lúc", 17),
        ("Người nhập", 24),
        ("Nhập/sửa lúc", 17),
        ("Sửa sau khi gửi", 10),
        ("Ghi chú nguồn", 50),
        ("Số liệu demo", 10),
    ]
    ws = _sheet(
        wb,
        FIGURE_SHEET,
        [
            f"{demo}NGUỒN SỐ LIỆU CÁC CHỈ TIÊU",
            "Số liệu từ báo cáo đã được tiếp nhận hoặc nhập trực tiếp; số liệu của báo cáo chưa tiếp nhận không dùng.",
            note,
        ],
        columns,
    )
    for f in compilation.figure_sources():
        _append(
            ws,
            [
                f.series,
                f.year,
                _number(f.value),
                f.agency_name,
                f.report_id,
                f.submission_number,
                f.submission_id,
                _naive(f.submitted_at),
                _naive(f.accepted_at),
                f.entered_by,
                _naive(f.entered_at),
                "Có" if f.changed_after_submission else "",
                f.source_note,
                "Có" if f.is_demo else "",
            ],
            formats={8: stamp, 9: stamp, 11: stamp},
        )
    _finish(ws, len(columns))

    # The accepted submissions.
    columns = [
        ("TT", 6),
        ("Cơ quan, đơn vị", 40),
        ("Báo cáo (mã)", 12),
        ("Lần gửi", 8),
        ("Mã lần gửi", 12),
        ("Gửi lúc", 17),
        ("Nộp muộn", 10),
        ("Tiếp nhận lúc", 17),
    ]
    ws = _sheet(
        wb,
        SOURCE_SHEET,
        [
            f"{demo}CÁC BÁO CÁO ĐÃ TIẾP NHẬN",
            f"{len(compilation.sources)}/{compilation.expected_count} đơn vị — kỳ báo cáo năm {year}",
            note,
        ],
        columns,
    )
    for index, s in enumerate(compilation.sources, start=1):
        _append(
            ws,
            [
                index,
                s.agency_name,
                s.report_id,
                s.submission_number,
                s.submission_id,
                _naive(s.submitted_at),
                "Có" if s.is_late else "",
                _naive(s.accepted_at),
            ],
            formats={6: stamp, 8: stamp},
        )
    _finish(ws, len(columns))

    wb.remove(wb.__dict__.pop("_plantrack_scratch"))
    wb.__dict__.pop("_plantrack_styles", None)
    wb.properties.title = f"Phụ lục báo cáo kết quả thực hiện Kế hoạch {compilation.plan.code} năm {year}"
    wb.properties.creator = compilation.coordinator_name
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
