"""Official-format DOCX documents (Decree 30/2020/NĐ-CP, Appendix I) built with python-docx.

Every administrative document Plantrack produces (the consolidated report, the urging letter, …) goes through
:class:`OfficialDocument`, so the format rules live in one place:

- A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New Roman everywhere
  (ascii, hAnsi, eastAsia and cs font slots, so Word and LibreOffice agree).
- Header: a two-column borderless table. Left: parent body (upright, caps), issuing body (bold, caps) with a
  short centred rule beneath, then "Số: …" and, for a letter (công văn), the "V/v …" subject line. Right: the
  national title "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (bold 12 pt), the motto "Độc lập - Tự do - Hạnh phúc"
  (bold 13 pt, underlined), then the italic place-and-date line, e.g. "Đồng Nai, ngày 05 tháng 12 năm 2025".
- Kind of document ("BÁO CÁO") in capitals bold, then the title (bold) with a short rule beneath.
- Body: 14 pt, justified, first-line indent 12.7 mm, 6 pt after each paragraph, single line spacing.
- The body's last paragraph ends with "./." (added automatically when the closing block is written).
- Closing block: a two-column borderless table. Left: "Nơi nhận:" (12 pt bold italic) and the recipients
  (11 pt, "- X;" lines, the last one "- Lưu: VT, …."). Right: the signature block — authority line(s)
  (e.g. "KT. GIÁM ĐỐC"), the signer's title (caps bold), room for the signature and seal, the signer's name (bold).
- Page numbers: a PAGE field centred in the top margin, from page 2 (different first-page header).

Names of places and bodies are never written here: the caller passes them (from ``plan.place``,
``plan.coordinator_agency`` and its parent …). Only the national title and motto, which are fixed by law, are
constants.

Usage::

    from plantrack.documents.official import OfficialDocument, OfficialHeader

    doc = OfficialDocument(
        header=OfficialHeader(
            parent_body="UBND TỈNH ĐỒNG NAI",
            issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            number_text="Số:      /BC-SKHCN",          # or "123/BC-SKHCN"; "Số: " is added when missing
            place="Đồng Nai",
            date=datetime.date(2025, 12, 5),             # None leaves day and month blank for hand filling
            subject_line=None,                          # "V/v đôn đốc báo cáo …" for a letter (công văn)
        ),
        kind_title="BÁO CÁO",                           # "" for a letter
        title="Kết quả thực hiện Kế hoạch số 386/KH-UBND năm 2025",
    )
    doc.addressees(["Ủy ban nhân dân tỉnh Đồng Nai"])   # "Kính gửi: …" (letters; optional for reports)
    doc.paragraph("Thực hiện Kế hoạch số 386/KH-UBND …")
    doc.heading("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", level=1)
    doc.heading("1. Nhóm nhiệm vụ …", level=2)
    doc.paragraph([Segment("Sở Tài chính: ", bold=True), Segment("đã …")])
    doc.bullet("Kết quả …")
    doc.table(["TT", "Nội dung"], [["1", "…"], TableRow(["Nhóm 1"], span=True, bold=True)], widths_mm=[10, 155])
    doc.image(png_bytes, width_mm=150, caption="Biểu đồ 1. …")
    doc.signature(authority_prefix="KT. GIÁM ĐỐC", title="PHÓ GIÁM ĐỐC", name="Nguyễn Văn A")
    doc.recipients(["UBND tỉnh (để báo cáo)", "Bộ KH&CN (để báo cáo)", "Lưu: VT, KHTC"])
    doc.appendix("Phụ lục I", "DANH MỤC NHIỆM VỤ", "(Kèm theo Báo cáo số …)", landscape=True)
    doc.table(...)
    data = doc.to_bytes()

``signature()`` and ``recipients()`` may be called in either order; both fill the same closing table, which is
placed where the first of the two calls happened. Anything added after them (appendices) comes after the closing
block. ``authority_prefix`` is the whole authority line (``"KT. GIÁM ĐỐC"``, ``"TM. ỦY BAN NHÂN DÂN\\nKT. CHỦ
TỊCH"``, ``"TL. GIÁM ĐỐC"``) or ``""`` when the head signs in his or her own right.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT_NAME = "Times New Roman"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
END_MARK = "./."

# Sizes (points) chosen inside the Decree 30 ranges.
BODY_PT = 14
HEADER_BODY_PT = 13  # parent/issuing body, "Số:"
NATIONAL_TITLE_PT = 12
MOTTO_PT = 13
DATE_PT = 14
SUBJECT_PT = 12  # "V/v …" of a letter
RECIPIENTS_LABEL_PT = 12
RECIPIENTS_PT = 11
PAGE_NUMBER_PT = 13
TABLE_PT = 12

MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
FIRST_LINE_INDENT_MM = 12.7

A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297


def vn_date_text(date: datetime.date | None, *, year: int | None = None) -> str:
    """``ngày 05 tháng 12 năm 2025`` as Decree 30 writes it: the day is zero-padded below 10, the month only for
    January and February ("tháng 01", "tháng 02", but "tháng 3"). With no date, day and month are left blank for
    filling in by hand (``year`` or the current year is printed)."""
    if date is None:
        blank = "\u00a0" * 6
        return f"ngày{blank}tháng{blank}năm {year or datetime.date.today().year}"
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"ngày {day} tháng {month} năm {date.year}"


def place_date_line(place: str, date: datetime.date | None, *, year: int | None = None) -> str:
    """``Đồng Nai, ngày 05 tháng 12 năm 2025``."""
    return f"{place}, {vn_date_text(date, year=year)}"


@dataclass(frozen=True)
class OfficialHeader:
    """What goes in the two header boxes. All names are data supplied by the caller."""

    parent_body: str
    issuing_body: str
    number_text: str
    place: str
    date: datetime.date | None
    subject_line: str | None = None
    year: int | None = None  # printed when ``date`` is None

    @property
    def number_line(self) -> str:
        text = self.number_text.strip()
        if text.lower().startswith("số"):
            text = text[3:].lstrip(": \u00a0")
        if text.startswith("/"):
            # The number is written in by the records office when the document is registered.
            text = "\u00a0" * 8 + text
        return f"Số: {text}"

    @property
    def place_date(self) -> str:
        return place_date_line(self.place, self.date, year=self.year)


@dataclass(frozen=True)
class Segment:
    """A run of text with its own emphasis inside a paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class TableRow:
    """A table row with options. ``span=True`` merges the row into one cell (a group heading row)."""

    cells: Sequence[str]
    bold: bool = False
    italic: bool = False
    span: bool = False
    align: Sequence[str] | None = None  # per cell: "left", "center", "right", "justify"


@dataclass
class _Closing:
    table: Table
    has_signature: bool = False
    has_recipients: bool = False


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _set_run_font(
    run, *, size: float, bold: bool = False, italic: bool = False, underline: bool = False
) -> None:
    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT_NAME)


def _format_paragraph(
    paragraph: Paragraph,
    *,
    align: str = "justify",
    first_line_indent: bool = True,
    space_before: float = 0,
    space_after: float = 6,
    keep_with_next: bool = False,
) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = _ALIGN[align]
    fmt.first_line_indent = Mm(FIRST_LINE_INDENT_MM) if first_line_indent else Mm(0)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True


def _add_text(paragraph: Paragraph, text: str, **font) -> None:
    """Add ``text`` as runs, turning newlines into line breaks."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        _set_run_font(run, **font)
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _remove_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    existing = tbl_pr.find(qn("w:tblBorders"))
    if existing is not None:
        tbl_pr.remove(existing)
    tbl_pr.append(borders)


def _set_grid_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    existing = tbl_pr.find(qn("w:tblBorders"))
    if existing is not None:
        tbl_pr.remove(existing)
    tbl_pr.append(borders)


def _set_cell_margins(table: Table, *, left_mm: float, right_mm: float) -> None:
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge, value in (("left", left_mm), ("right", right_mm), ("top", 0), ("bottom", 0)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(Mm(value).twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def _fix_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed layout with explicit grid and cell widths: Word reads the cells, LibreOffice the grid."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))
    width.set(qn("w:type"), "dxa")
    grid = table._tbl.tblGrid
    for col, value in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(int(Mm(value).twips)))
    for row in table.rows:
        for cell, value in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(value)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _no_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _rule_paragraph(
    cell_or_doc, *, width_mm: float, container_mm: float, space_after: float = 2
) -> Paragraph:
    """A short centred horizontal rule: an empty paragraph indented on both sides with a bottom border."""
    paragraph = cell_or_doc.add_paragraph()
    side = max((container_mm - width_mm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    # A bottom border: the paragraph's own (small) height keeps the rule clear of the descenders above.
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = Pt(4)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    p_pr.append(borders)
    run = paragraph.add_run("")
    _set_run_font(run, size=2)
    return paragraph


def _add_page_field(paragraph: Paragraph, *, size: float) -> None:
    run = paragraph.add_run()
    _set_run_font(run, size=size)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = "2"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(separate)
    run._r.append(text)
    run._r.append(end)


def _first_paragraph(cell: _Cell) -> Paragraph:
    """A fresh cell holds one empty paragraph; reuse it for the first line."""
    return cell.paragraphs[0]


class OfficialDocument:
    """A Decree 30 document under construction. See the module docstring for the layout and an example."""

    HEADER_LEFT_MM = 74.0
    HEADER_RIGHT_MM = 91.0

    def __init__(
        self,
        *,
        header: OfficialHeader,
        kind_title: str = "",
        title: str = "",
        body_pt: float = BODY_PT,
        author: str = "",
    ) -> None:
        self.header = header
        self.kind_title = kind_title
        self.title = title
        self.body_pt = body_pt
        self._document = Document()
        self._closing: _Closing | None = None
        self._last_body_paragraph: Paragraph | None = None
        self._setup_styles()
        self._setup_section(self._document.sections[0], landscape=False)
        self._page_numbers(self._document.sections[0])
        props = self._document.core_properties
        props.title = f"{kind_title} {title}".strip()
        props.author = author or header.issuing_body
        props.language = "vi-VN"
        self._write_header()
        self._write_title()

    # -- setup ---------------------------------------------------------------------------------------------
    @property
    def docx(self):
        """The underlying python-docx ``Document`` for anything this class does not cover."""
        return self._document

    @property
    def text_width_mm(self) -> float:
        section = self._document.sections[-1]
        return (section.page_width - section.left_margin - section.right_margin) / Mm(1)

    def _setup_styles(self) -> None:
        styles = self._document.styles
        normal = styles["Normal"]
        normal.font.name = FONT_NAME
        normal.font.size = Pt(self.body_pt)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT_NAME)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "vi-VN")
        rpr.append(lang)
        normal.paragraph_format.space_after = Pt(0)

    @staticmethod
    def _setup_section(section, *, landscape: bool) -> None:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width = Mm(A4_HEIGHT_MM)
            section.page_height = Mm(A4_WIDTH_MM)
            # In landscape the binding edge (left in portrait) becomes the top.
            section.top_margin = Mm(MARGIN_LEFT_MM)
            section.bottom_margin = Mm(MARGIN_RIGHT_MM)
            section.left_margin = Mm(MARGIN_TOP_MM)
            section.right_margin = Mm(MARGIN_BOTTOM_MM)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width = Mm(A4_WIDTH_MM)
            section.page_height = Mm(A4_HEIGHT_MM)
            section.top_margin = Mm(MARGIN_TOP_MM)
            section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
            section.left_margin = Mm(MARGIN_LEFT_MM)
            section.right_margin = Mm(MARGIN_RIGHT_MM)
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)

    @staticmethod
    def _page_numbers(section) -> None:
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_page_field(paragraph, size=PAGE_NUMBER_PT)
        first = section.first_page_header
        first.is_linked_to_previous = False

    # -- header and title ------------------------------------------------------------------------------------
    def _header_line(self, cell: _Cell, text: str, *, first: bool = False, **font) -> Paragraph:
        paragraph = _first_paragraph(cell) if first else cell.add_paragraph()
        _format_paragraph(paragraph, align="center", first_line_indent=False, space_after=0)
        _add_text(paragraph, text, **font)
        return paragraph

    def _write_header(self) -> None:
        h = self.header
        table = self._document.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _remove_borders(table)
        _set_cell_margins(table, left_mm=0.5, right_mm=0.5)
        widths = [self.HEADER_LEFT_MM, self.HEADER_RIGHT_MM]
        _fix_widths(table, widths)
        left, right = table.rows[0].cells

        first = True
        if h.parent_body:
            self._header_line(left, h.parent_body.upper(), first=True, size=HEADER_BODY_PT)
            first = False
        self._header_line(left, h.issuing_body.upper(), first=first, size=HEADER_BODY_PT, bold=True)
        _rule_paragraph(
            left, width_mm=self.HEADER_LEFT_MM * 0.4, container_mm=self.HEADER_LEFT_MM, space_after=4
        )
        self._header_line(left, h.number_line, size=HEADER_BODY_PT)
        if h.subject_line:
            paragraph = self._header_line(left, h.subject_line, size=SUBJECT_PT)
            paragraph.paragraph_format.space_before = Pt(2)

        self._header_line(right, NATIONAL_TITLE, first=True, size=NATIONAL_TITLE_PT, bold=True)
        self._header_line(right, NATIONAL_MOTTO, size=MOTTO_PT, bold=True, underline=True)
        # The motto's rule and the place-date line: leave a blank line as the forms do.
        date_paragraph = self._header_line(right, h.place_date, size=DATE_PT, italic=True)
        date_paragraph.paragraph_format.space_before = Pt(12)
        self.header_table = table

    def _write_title(self) -> None:
        if not (self.kind_title or self.title):
            spacer = self._document.add_paragraph()
            _format_paragraph(spacer, first_line_indent=False, space_after=6)
            return
        if self.kind_title:
            paragraph = self._document.add_paragraph()
            _format_paragraph(
                paragraph, align="center", first_line_indent=False, space_before=18, space_after=0
            )
            _add_text(paragraph, self.kind_title.upper(), size=self.body_pt, bold=True)
        if self.title:
            paragraph = self._document.add_paragraph()
            space_before = 0 if self.kind_title else 18
            _format_paragraph(
                paragraph, align="center", first_line_indent=False, space_before=space_before, space_after=0
            )
            _add_text(paragraph, self.title, size=self.body_pt, bold=True)
        _rule_paragraph(
            self._document,
            width_mm=self.text_width_mm * 0.25,
            container_mm=self.text_width_mm,
            space_after=12,
        )

    # -- body --------------------------------------------------------------------------------------------------
    def addressees(self, lines: Sequence[str]) -> None:
        """The "Kính gửi:" block. One addressee goes on the same line, several as a "- X;" list."""
        lines = [line.strip().rstrip(";.") for line in lines if line.strip()]
        if not lines:
            return
        paragraph = self._document.add_paragraph()
        _format_paragraph(paragraph, align="center", first_line_indent=False, space_before=6, space_after=12)
        if len(lines) == 1:
            _add_text(paragraph, f"Kính gửi: {lines[0]}.", size=self.body_pt)
            return
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        paragraph.paragraph_format.left_indent = Mm(30)
        _add_text(paragraph, "Kính gửi:", size=self.body_pt)
        for index, line in enumerate(lines):
            item = self._document.add_paragraph()
            last = index == len(lines) - 1
            _format_paragraph(item, align="left", first_line_indent=False, space_after=12 if last else 0)
            item.paragraph_format.left_indent = Mm(55)
            _add_text(item, f"- {line}{'.' if last else ';'}", size=self.body_pt)

    def heading(self, text: str, *, level: int = 1) -> Paragraph:
        """Level 1: "I. …" bold; level 2: "1. …" bold; level 3: "a) …" bold italic; level 4: italic."""
        paragraph = self._document.add_paragraph()
        _format_paragraph(paragraph, space_before=6 if level == 1 else 0, keep_with_next=True)
        bold = level <= 3
        italic = level >= 3
        _add_text(paragraph, text, size=self.body_pt, bold=bold, italic=italic)
        return paragraph

    def paragraph(
        self,
        content: str | Sequence[Segment],
        *,
        bold: bool = False,
        italic: bool = False,
        align: str = "justify",
        indent: bool = True,
        size: float | None = None,
    ) -> Paragraph:
        """A body paragraph (justified, first-line indent). ``content`` is text or a list of :class:`Segment`."""
        paragraph = self._document.add_paragraph()
        _format_paragraph(paragraph, align=align, first_line_indent=indent)
        size = size or self.body_pt
        if isinstance(content, str):
            _add_text(paragraph, content, size=size, bold=bold, italic=italic)
        else:
            for segment in content:
                _add_text(
                    paragraph,
                    segment.text,
                    size=size,
                    bold=segment.bold or bold,
                    italic=segment.italic or italic,
                    underline=segment.underline,
                )
        self._last_body_paragraph = paragraph
        return paragraph

    def bullet(self, content: str | Sequence[Segment], **options) -> Paragraph:
        """A "- …" item, written as Vietnamese documents do (a dash, not a list style)."""
        if isinstance(content, str):
            return self.paragraph(f"- {content}", **options)
        return self.paragraph([Segment("- "), *content], **options)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[str] | TableRow],
        *,
        widths_mm: Sequence[float] | None = None,
        font_size: float = TABLE_PT,
        align: Sequence[str] | None = None,
        header_rows: Sequence[Sequence[str]] = (),
    ) -> Table:
        """A bordered table whose header row repeats on every page. ``align`` gives each column's alignment
        ("left", "center", "right", "justify"; default left). ``header_rows`` adds extra heading rows under the
        headers (for example the column numbers "(1)", "(2)" …)."""
        columns = len(headers)
        widths = list(widths_mm) if widths_mm else [self.text_width_mm / columns] * columns
        alignment = list(align) if align else ["left"] * columns
        table = self._document.add_table(rows=0, cols=columns)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _set_grid_borders(table)
        _set_cell_margins(table, left_mm=1.2, right_mm=1.2)

        def fill(cell: _Cell, text: str, *, how: str, bold: bool = False, italic: bool = False) -> None:
            lines = (text or "").split("\n")
            for index, line in enumerate(lines):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                _format_paragraph(
                    paragraph, align=how, first_line_indent=False, space_before=1, space_after=1
                )
                run = paragraph.add_run(line)
                _set_run_font(run, size=font_size, bold=bold, italic=italic)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

        for heading_cells in (headers, *header_rows):
            row = table.add_row()
            _repeat_header(row)
            _no_split(row)
            for cell, text in zip(row.cells, heading_cells, strict=False):
                fill(
                    cell,
                    text,
                    how="center",
                    bold=heading_cells is headers,
                    italic=heading_cells is not headers,
                )

        for spec in rows:
            if not isinstance(spec, TableRow):
                spec = TableRow(cells=list(spec))
            row = table.add_row()
            _no_split(row)
            if spec.span:
                merged = row.cells[0].merge(row.cells[-1])
                fill(merged, " ".join(spec.cells), how="left", bold=spec.bold, italic=spec.italic)
                continue
            for index, (cell, text) in enumerate(zip(row.cells, spec.cells, strict=False)):
                how = spec.align[index] if spec.align else alignment[index]
                fill(cell, text, how=how, bold=spec.bold, italic=spec.italic)
        _fix_widths(table, widths)
        # A little room after the table before the next paragraph.
        spacer = self._document.add_paragraph()
        _format_paragraph(spacer, first_line_indent=False, space_after=0)
        spacer.paragraph_format.line_spacing = Pt(6)
        return table

    def image(self, data: bytes, *, width_mm: float | None = None, caption: str | None = None) -> None:
        """A centred picture (PNG/JPEG bytes) with an optional italic caption beneath."""
        width = Mm(width_mm or min(self.text_width_mm, 150))
        paragraph = self._document.add_paragraph()
        _format_paragraph(
            paragraph,
            align="center",
            first_line_indent=False,
            space_before=6,
            space_after=0,
            keep_with_next=bool(caption),
        )
        paragraph.add_run().add_picture(io.BytesIO(data), width=width)
        if caption:
            caption_paragraph = self._document.add_paragraph()
            _format_paragraph(caption_paragraph, align="center", first_line_indent=False, space_after=6)
            _add_text(caption_paragraph, caption, size=self.body_pt - 1, italic=True)

    def page_break(self) -> None:
        paragraph = self._document.add_paragraph()
        paragraph.add_run().add_break(WD_BREAK.PAGE)

    # -- closing --------------------------------------------------------------------------------------------
    def _ensure_closing(self) -> _Closing:
        if self._closing is not None:
            return self._closing
        self._end_content()
        table = self._document.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _remove_borders(table)
        _set_cell_margins(table, left_mm=0.5, right_mm=0.5)
        width = self.text_width_mm
        _fix_widths(table, [width * 0.5, width * 0.5])
        _no_split(table.rows[0])
        self._closing = _Closing(table=table)
        return self._closing

    def _end_content(self) -> None:
        """Append "./." to the last body paragraph, as Decree 30 requires at the end of the content."""
        paragraph = self._last_body_paragraph
        if paragraph is None or paragraph.text.rstrip().endswith(END_MARK):
            return
        runs = paragraph.runs
        text = paragraph.text.rstrip()
        # "… kết quả." becomes "… kết quả./."
        run = paragraph.add_run("/." if text.endswith(".") else END_MARK)
        size = runs[-1].font.size.pt if runs and runs[-1].font.size else self.body_pt
        _set_run_font(run, size=size)

    def signature(self, *, authority_prefix: str, title: str, name: str) -> None:
        """The signature block in the right half of the closing table:
        ``authority_prefix`` ("KT. GIÁM ĐỐC", "" for the head signing directly), ``title`` ("PHÓ GIÁM ĐỐC"),
        a blank space for the signature and seal, and ``name``."""
        closing = self._ensure_closing()
        cell = closing.table.rows[0].cells[1]
        first = True
        for line in [*authority_prefix.split("\n"), title]:
            if not line.strip():
                continue
            self._header_line(cell, line.strip().upper(), first=first, size=self.body_pt, bold=True)
            first = False
        spacer = cell.add_paragraph()
        _format_paragraph(spacer, align="center", first_line_indent=False, space_after=0)
        spacer.paragraph_format.space_before = Pt(72)
        self._header_line(cell, name, size=self.body_pt, bold=True)
        closing.has_signature = True

    def recipients(self, lines: Sequence[str]) -> None:
        """ "Nơi nhận:" (12 pt bold italic) and its list (11 pt). Each line becomes "- X;"; the last one must be the
        archive line ("Lưu: VT, …") and ends with a full stop."""
        closing = self._ensure_closing()
        cell = closing.table.rows[0].cells[0]
        label = _first_paragraph(cell)
        _format_paragraph(label, align="left", first_line_indent=False, space_after=0)
        _add_text(label, "Nơi nhận:", size=RECIPIENTS_LABEL_PT, bold=True, italic=True)
        cleaned = [line.strip().lstrip("-").strip().rstrip(";.") for line in lines if line.strip()]
        for index, line in enumerate(cleaned):
            paragraph = cell.add_paragraph()
            _format_paragraph(paragraph, align="left", first_line_indent=False, space_after=0)
            ending = "." if index == len(cleaned) - 1 else ";"
            _add_text(paragraph, f"- {line}{ending}", size=RECIPIENTS_PT)
        closing.has_recipients = True

    # -- appendices ------------------------------------------------------------------------------------------
    def appendix(self, label: str, title: str, note: str = "", *, landscape: bool = False) -> None:
        """Start an appendix on a new page (a new section, landscape if asked): "Phụ lục I" in bold, the title in
        capitals bold, and the italic "(Kèm theo …)" note."""
        section = self._document.add_section()
        self._setup_section(section, landscape=landscape)
        # Page numbers continue; the appendix's first page is numbered too.
        section.different_first_page_header_footer = False
        section.header.is_linked_to_previous = True
        for text, bold, italic, space_after in (
            (label, True, False, 0),
            (title.upper(), True, False, 0),
            (note, False, True, 12),
        ):
            if not text:
                continue
            paragraph = self._document.add_paragraph()
            _format_paragraph(paragraph, align="center", first_line_indent=False, space_after=space_after)
            _add_text(paragraph, text, size=self.body_pt, bold=bold, italic=italic)

    # -- output -----------------------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._document.save(buffer)
        return buffer.getvalue()

    def save(self, path) -> None:
        self._document.save(path)


__all__ = [
    "END_MARK",
    "FONT_NAME",
    "NATIONAL_MOTTO",
    "NATIONAL_TITLE",
    "OfficialDocument",
    "OfficialHeader",
    "Segment",
    "TableRow",
    "place_date_line",
    "vn_date_text",
]
