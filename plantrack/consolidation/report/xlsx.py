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
from decimal import Decimal
from functools import lru_cache

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from plantrack.core.spreadsheets import keep_as_text

from .compile import Compilation, TargetRow
from .docx import appendix_note
from .narrative import Narrative

TASK_SHEET = "Phụ lục I"
TARGET_SHEET = "Phụ lục II"
CONTRIBUTION_SHEET = "Kết quả theo đơn vị"
FIGURE_SHEET = "Nguồn số liệu"
SOURCE_SHEET = "Báo cáo đã tiếp nhận"

HEADER_ROW = 5
FONT_PT = 11
# Printing: A4 landscape, scaled to the page width (fitToWidth=1). A column of width w prints about 7·w + 5 px at
# 96 px/inch on the default font; the text keeps FONT_PT × scale points. Keeping every sheet's widths at or below
# PRINT_WIDTH keeps that scale above 9/FONT_PT, i.e. text at 9 pt or more on paper.
PAGE_WIDTH_MM = 297
PRINT_MARGIN_MM = 10  # left and right
MIN_PRINTED_PT = 9
PRINT_WIDTH = 150
LINE_PT = 15  # a line of FONT_PT text, with its leading
MAX_ROW_PT = 409  # Excel's limit
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")
_GROUP_FILL = PatternFill("solid", fgColor="F6F7F9")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FONT = "Times New Roman"


def printed_width_mm(widths: list[float]) -> float:
    """The printed width, at 100 %, of columns of the given widths (Excel's width unit: 7 px + 5 px padding)."""
    return sum(7 * w + 5 for w in widths) * 25.4 / 96


def printed_font_pt(widths: list[float]) -> float:
    """The size FONT_PT text is printed at once the sheet is fitted to the width of A4 landscape."""
    usable = PAGE_WIDTH_MM - 2 * PRINT_MARGIN_MM
    return FONT_PT * min(1.0, usable / printed_width_mm(widths))


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
        cell.font = Font(name=_FONT, bold=True, size=FONT_PT)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.__dict__["_plantrack_widths"] = [width for _name, width in columns]
    return ws


@lru_cache(maxsize=64)
def _font(bold: bool, italic: bool) -> Font:
    return Font(name=_FONT, bold=bold, italic=italic, size=FONT_PT)


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
    formats = formats or {}
    widths = ws.__dict__["_plantrack_widths"]
    lines = 1
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell._style = StyleArray(_style(ws, bold, italic, fill, formats.get(col)))  # a copy: cells own theirs
        keep_as_text(cell)
        if not fill and isinstance(value, str):
            lines = max(lines, wrapped_lines(value, widths[col - 1]))
    # LibreOffice does not size rows to their content when it opens a file, and openpyxl cannot measure text: the
    # height is the wrapped text's, estimated on the generous side (word by word, narrow lines), so nothing clips.
    ws.row_dimensions[row].height = min(MAX_ROW_PT, LINE_PT * lines + 4)
    return row


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes once wrapped at word boundaries in a column ``width`` units wide, at FONT_PT Times New
    Roman. A unit is 7 px; a character of Vietnamese text averages under 6.5 px at 11 pt, counted as 6.5 so the
    estimate errs on the side of more lines."""
    per_line = max(1, int((7 * width - 4) / 6.5))
    if len(text) <= per_line and "\n" not in text:
        return 1  # most cells (names, states, dates): no need to walk the words
    total = 0
    for paragraph in text.split("\n"):
        used, count = 0, 1
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > per_line:
                count += 1 + (size - 1) // per_line
                used = size % per_line or per_line
            else:
                used += (1 if used else 0) + size
                if used > per_line:
                    count += (used - 1) // per_line
                    used = used % per_line or per_line
        total += count
    return total


def _finish(ws, columns: int) -> None:
    """Filter on the header row; print on A4 landscape fitted to the page width (any number of pages down), the
    header row repeated on every page, "Trang 3/7" in the footer."""
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{max(ws.max_row, HEADER_ROW)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    margin = PRINT_MARGIN_MM / 25.4
    ws.page_margins.left = ws.page_margins.right = margin
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = _FONT
    ws.oddFooter.center.size = 10
    ws.print_options.horizontalCentered = True


def _status_basis(block) -> str:
    """The task's status with its basis, then the lead agencies by state (full names: this is the appendix)."""
    lines = [block.status_label]
    if block.state is not None and not block.state.is_done:
        lines += [
            f"- {state.capitalize()}: {', '.join(names)}" for state, names in block.state.names_by_state()
        ]
    return "\n".join(lines)


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
        ("TT", 5),
        ("Mã", 9),
        ("Nội dung nhiệm vụ", 38),
        ("Cơ quan chủ trì", 18),
        ("Cơ quan phối hợp", 18),
        ("Tình trạng (căn cứ)", 22),
        ("Kết quả thực hiện (từ các báo cáo đã tiếp nhận)", 40),
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
                    _status_basis(block),
                    results or "—",
                ],
            )
    _finish(ws, len(columns))

    # Phụ lục II
    columns = [
        ("TT", 5),
        ("Mã", 8),
        ("Chỉ tiêu", 26),
        ("Đơn vị tính", 10),
        ("Mục tiêu", 18),
        (f"Năm {year - 1}", 10),
        (f"Năm {year}", 10),
        ("Đánh giá", 12),
        ("Căn cứ đánh giá", 24),
        ("Nguồn số liệu", 27),
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
    # The times of each submission are in the sheet "Báo cáo đã tiếp nhận" (by report): kept out of this one so
    # that it prints legibly on A4.
    columns = [
        ("Mã nhiệm vụ", 9),
        ("Cơ quan, đơn vị", 20),
        ("Vai trò", 9),
        ("Tình trạng", 13),
        ("Kết quả thực hiện", 44),
        ("Khó khăn, vướng mắc", 24),
        ("Số minh chứng", 8),
        ("Báo cáo (mã)", 8),
        ("Lần gửi", 7),
        ("Mã lần gửi", 8),
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
                ],
            )
    _finish(ws, len(columns))

    # Figures used, with their provenance.
    # Submission times are in "Báo cáo đã tiếp nhận" (by report), as for the results.
    columns = [
        ("Chuỗi số liệu", 26),
        ("Năm", 6),
        ("Giá trị", 10),
        ("Cơ quan cung cấp", 20),
        ("Báo cáo (mã)", 8),
        ("Lần gửi", 7),
        ("Mã lần gửi", 8),
        ("Người nhập", 16),
        ("Nhập/sửa lúc", 15),
        ("Sửa sau khi gửi", 8),
        ("Ghi chú nguồn", 20),
        ("Số liệu demo", 7),
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
                f.entered_by,
                _naive(f.entered_at),
                "Có" if f.changed_after_submission else "",
                f.source_note,
                "Có" if f.is_demo else "",
            ],
            formats={9: stamp},
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
