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
    # note="(DỮ LIỆU DEMO …)" puts an italic line under the title (used for demo data).
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
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Mm, Pt, Twips
from docx.table import Table
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

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = f'xmlns:w="{W_NS}"'
# Characters XML 1.0 does not allow (control characters pasted from other programs): dropped, not escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


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


# --- XML builders ---------------------------------------------------------------------------------------------
# python-docx's property setters insert each child by scanning its siblings, which made a 30-page report take
# seconds. These builders write the same WordprocessingML as strings, children in schema order (Word refuses
# elements out of order), and parse each paragraph or table once.


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _esc(text: str) -> str:
    return escape(_INVALID_XML.sub("", text))


@lru_cache(maxsize=256)
def _rpr(size: float, bold: bool = False, italic: bool = False, underline: bool = False) -> str:
    fonts = f'w:ascii="{FONT_NAME}" w:hAnsi="{FONT_NAME}" w:eastAsia="{FONT_NAME}" w:cs="{FONT_NAME}"'
    half_points = round(size * 2)
    return (
        f"<w:rPr><w:rFonts {fonts}/>"
        + ("<w:b/><w:bCs/>" if bold else "")
        + ("<w:i/><w:iCs/>" if italic else "")
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        + ('<w:u w:val="single"/>' if underline else "")
        + "</w:rPr>"
    )


def _runs(
    text: str, *, size: float, bold: bool = False, italic: bool = False, underline: bool = False
) -> str:
    """Runs for ``text``; newlines become line breaks."""
    rpr = _rpr(size, bold, italic, underline)
    parts = []
    for index, line in enumerate(text.split("\n")):
        br = "<w:br/>" if index else ""
        parts.append(f'<w:r>{rpr}{br}<w:t xml:space="preserve">{_esc(line)}</w:t></w:r>')
    return "".join(parts)


@lru_cache(maxsize=512)
def _ppr(
    align: str = "justify",
    first_line: bool = True,
    before: float = 0,
    after: float = 6,
    exact_line: float | None = None,
    keep_next: bool = False,
    left_mm: float = 0,
    right_mm: float = 0,
    rule_below: bool = False,
) -> str:
    line = (
        f'w:line="{round(exact_line * 20)}" w:lineRule="exact"'
        if exact_line
        else 'w:line="240" w:lineRule="auto"'
    )
    border = (
        '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
        if rule_below
        else ""
    )
    indent = f'w:left="{_twips(left_mm)}" w:right="{_twips(right_mm)}"'
    indent += f' w:firstLine="{_twips(FIRST_LINE_INDENT_MM)}"' if first_line else ' w:firstLine="0"'
    return (
        "<w:pPr>"
        + ("<w:keepNext/>" if keep_next else "")
        + "<w:widowControl/>"
        + border
        + f'<w:spacing w:before="{round(before * 20)}" w:after="{round(after * 20)}" {line}/>'
        + f"<w:ind {indent}/>"
        + f'<w:jc w:val="{_JC[align]}"/>'
        + "</w:pPr>"
    )


def _p(ppr: str, runs: str = "") -> str:
    return f"<w:p>{ppr}{runs}</w:p>"


def _parse(xml: str):
    """Parse one element written without a namespace declaration (``<w:p>…</w:p>``, ``<w:tbl>…``)."""
    end = xml.index(">")
    return parse_xml(f"{xml[:end]} {_NS}{xml[end:]}")


def _borders(kind: str) -> str:
    edges = ("top", "left", "bottom", "right", "insideH", "insideV")
    if kind == "none":
        inner = "".join(f'<w:{e} w:val="nil"/>' for e in edges)
    else:
        inner = "".join(f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for e in edges)
    return f"<w:tblBorders>{inner}</w:tblBorders>"


def _tbl_pr(widths_mm: Sequence[float], *, borders: str, margin_mm: float) -> str:
    margin = _twips(margin_mm)
    return (
        "<w:tblPr>"
        f'<w:tblW w:w="{sum(_twips(w) for w in widths_mm)}" w:type="dxa"/>'
        '<w:jc w:val="center"/>' + _borders(borders) + '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/>'
        "</w:tblPr>"
        "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths_mm) + "</w:tblGrid>"
    )


def _tc(content: str, width_mm: float, *, span: int = 1, valign: str = "top") -> str:
    grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width_mm)}" w:type="dxa"/>{grid_span}<w:vAlign w:val="{valign}"/>'
        f"</w:tcPr>{content or _p(_ppr('left', False, 0, 0))}</w:tc>"
    )


def _tr(cells: str, *, header: bool = False) -> str:
    props = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr>{props}{cells}</w:tr>"


def _page_field_xml() -> str:
    rpr = _rpr(PAGE_NUMBER_PT)
    return (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>2</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )


# Children of w:sectPr that come after w:pgNumType in the schema (CT_SectPr); it goes before the first present.
_AFTER_PG_NUM_TYPE = (
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
)


def _set_page_number_start(sect_pr, start: int) -> None:
    element = sect_pr.find(qn("w:pgNumType"))
    if element is None:
        element = OxmlElement("w:pgNumType")
        for name in _AFTER_PG_NUM_TYPE:
            successor = sect_pr.find(qn(f"w:{name}"))
            if successor is not None:
                successor.addprevious(element)
                break
        else:
            docgrid = sect_pr.find(qn("w:docGrid"))
            if docgrid is not None:
                docgrid.addprevious(element)
            else:
                sect_pr.append(element)
    element.set(qn("w:start"), str(start))


# Items of the third heading level and of lists are lettered with the Vietnamese alphabet: a), b), c), d), đ), e) …
VIETNAMESE_LETTERS = [
    "a",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "g",
    "h",
    "i",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "x",
    "y",
]


def item_letter(index: int) -> str:
    """``1 → "a"``, ``5 → "đ"`` … (Decree 30's third level "a)"); past "y", letters repeat doubled ("aa")."""
    letters = VIETNAMESE_LETTERS
    count, rest = divmod(index - 1, len(letters))
    return letters[rest] * (count + 1)


def archive_line(unit: str = "") -> str:
    """The last recipient line: "Lưu: VT, QLKH" (the records office, then the drafting unit when known)."""
    unit = unit.strip()
    return f"Lưu: VT, {unit}" if unit else "Lưu: VT"


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
        note: str = "",
    ) -> None:
        self.header = header
        self.kind_title = kind_title
        self.title = title
        self.body_pt = body_pt
        self._document = Document()
        self._body = self._document.element.body
        self._closing = None  # the closing table's two cells (lxml w:tc), once created
        self._closing_filled: set[str] = set()
        self._last_body_paragraph = None  # lxml w:p
        self._picture_ids = 10_000  # above any id python-docx's template uses
        self._setup_styles()
        self._setup_section(self._document.sections[0], landscape=False)
        self._page_numbers(self._document.sections[0])
        props = self._document.core_properties
        props.title = f"{kind_title} {title}".strip()
        props.author = author or header.issuing_body
        props.language = "vi-VN"
        self._write_header()
        self._write_title(note)

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
        normal = self._document.styles["Normal"]
        normal.font.name = FONT_NAME
        normal.font.size = Pt(self.body_pt)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT_NAME)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "vi-VN")
        rpr.append(lang)  # w:lang comes last among the properties we set
        normal.paragraph_format.space_after = Pt(0)

    @staticmethod
    def _setup_section(section, *, landscape: bool) -> None:
        # Margins are rounded up to whole twips so that, read back, they never fall below the Decree's minimum.
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width = Mm(A4_HEIGHT_MM)
            section.page_height = Mm(A4_WIDTH_MM)
            # Decree 30 for a landscape page: top 30–35 mm (the binding edge), bottom 15–20, left and right 20–25.
            margins = (MARGIN_LEFT_MM, MARGIN_RIGHT_MM, MARGIN_TOP_MM, MARGIN_BOTTOM_MM)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width = Mm(A4_WIDTH_MM)
            section.page_height = Mm(A4_HEIGHT_MM)
            margins = (MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM)
        top, bottom, left, right = (Twips(math.ceil(mm * 1440 / 25.4)) for mm in margins)
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
            top,
            bottom,
            left,
            right,
        )
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)

    @staticmethod
    def _page_numbers(section) -> None:
        """A PAGE field centred in the top margin, from page 2: the first page has its own, empty, header."""
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]._p
        for child in list(paragraph):
            paragraph.remove(child)
        paragraph.append(_parse(_ppr("center", False, 0, 0)))
        for run in _parse(f"<w:p>{_page_field_xml()}</w:p>"):
            paragraph.append(run)
        section.first_page_header.is_linked_to_previous = False

    # -- low level --------------------------------------------------------------------------------------------
    def _insert(self, xml: str):
        """Parse ``xml`` (one w:p or w:tbl) and put it at the end of the body, before the section properties."""
        element = _parse(xml)
        last = self._body[-1] if len(self._body) else None
        if last is not None and last.tag == qn("w:sectPr"):
            last.addprevious(element)
        else:
            self._body.append(element)
        return element

    def _centered(self, text: str, *, size: float, after: float = 0, before: float = 0, **font) -> str:
        return _p(_ppr("center", False, before, after), _runs(text, size=size, **font))

    # -- header and title ------------------------------------------------------------------------------------
    def _write_header(self) -> None:
        h = self.header
        left_width, right_width = self.HEADER_LEFT_MM, self.HEADER_RIGHT_MM
        left = []
        if h.parent_body:
            left.append(self._centered(h.parent_body.upper(), size=HEADER_BODY_PT))
        left.append(self._centered(h.issuing_body.upper(), size=HEADER_BODY_PT, bold=True))
        side = left_width * 0.3
        left.append(_p(_ppr("center", False, 0, 4, 4, False, side, side, True)))
        left.append(self._centered(h.number_line, size=HEADER_BODY_PT))
        if h.subject_line:
            left.append(self._centered(h.subject_line, size=SUBJECT_PT, before=2))
        right = [
            self._centered(NATIONAL_TITLE, size=NATIONAL_TITLE_PT, bold=True),
            self._centered(NATIONAL_MOTTO, size=MOTTO_PT, bold=True, underline=True),
            self._centered(h.place_date, size=DATE_PT, italic=True, before=12),
        ]
        widths = [left_width, right_width]
        xml = (
            "<w:tbl>"
            + _tbl_pr(widths, borders="none", margin_mm=0.5)
            + _tr(_tc("".join(left), left_width) + _tc("".join(right), right_width))
            + "</w:tbl>"
        )
        self.header_table = Table(self._insert(xml), self._document._body)

    def _write_title(self, note: str = "") -> None:
        if not (self.kind_title or self.title):
            self._insert(_p(_ppr("left", False, 0, 6)))
            return
        if self.kind_title:
            self._insert(self._centered(self.kind_title.upper(), size=self.body_pt, bold=True, before=18))
        if self.title:
            before = 0 if self.kind_title else 18
            self._insert(self._centered(self.title, size=self.body_pt, bold=True, before=before))
        side = self.text_width_mm * 0.375
        self._insert(_p(_ppr("center", False, 0, 12 if not note else 4, 4, False, side, side, True)))
        if note:
            self._insert(self._centered(note, size=self.body_pt - 1, italic=True, bold=True, after=12))

    # -- body --------------------------------------------------------------------------------------------------
    def addressees(self, lines: Sequence[str]) -> None:
        """The "Kính gửi:" block. One addressee goes on the same line, several as a "- X;" list."""
        lines = [line.strip().rstrip(";.") for line in lines if line.strip()]
        if not lines:
            return
        size = self.body_pt
        if len(lines) == 1:
            self._insert(self._centered(f"Kính gửi: {lines[0]}.", size=size, before=6, after=12))
            return
        self._insert(_p(_ppr("left", False, 6, 0, None, False, 30), _runs("Kính gửi:", size=size)))
        for index, line in enumerate(lines):
            last = index == len(lines) - 1
            ppr = _ppr("left", False, 0, 12 if last else 0, None, False, 55)
            self._insert(_p(ppr, _runs(f"- {line}{'.' if last else ';'}", size=size)))

    def heading(self, text: str, *, level: int = 1) -> Paragraph:
        """Level 1: "I. …" bold; level 2: "1. …" bold; level 3: "a) …" bold italic; level 4: italic."""
        ppr = _ppr("justify", True, 6 if level == 1 else 0, 6, None, True)
        runs = _runs(text, size=self.body_pt, bold=level <= 3, italic=level >= 3)
        return Paragraph(self._insert(_p(ppr, runs)), self._document._body)

    def paragraph(
        self,
        content: str | Sequence[Segment],
        *,
        bold: bool = False,
        italic: bool = False,
        align: str = "justify",
        indent: bool = True,
        size: float | None = None,
        keep_with_next: bool = False,
    ) -> Paragraph:
        """A body paragraph (justified, first-line indent). ``content`` is text or a list of :class:`Segment`;
        ``keep_with_next`` keeps it on the page of the paragraph that follows (a lead-in line)."""
        size = size or self.body_pt
        if isinstance(content, str):
            runs = _runs(content, size=size, bold=bold, italic=italic)
        else:
            runs = "".join(
                _runs(
                    s.text, size=size, bold=s.bold or bold, italic=s.italic or italic, underline=s.underline
                )
                for s in content
            )
        element = self._insert(_p(_ppr(align, indent, keep_next=keep_with_next), runs))
        self._last_body_paragraph = element
        return Paragraph(element, self._document._body)

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
        """A bordered table whose heading rows repeat on every page. ``align`` gives each column's alignment
        ("left", "center", "right", "justify"; default left). ``header_rows`` adds heading rows under the headers
        (for example the column numbers "(1)", "(2)" …)."""
        columns = len(headers)
        widths = list(widths_mm) if widths_mm else [self.text_width_mm / columns] * columns
        alignment = list(align) if align else ["left"] * columns

        def cell(text: str, width: float, *, how: str, span: int = 1, valign="top", **font) -> str:
            ppr = _ppr(how, False, 1, 1)
            paragraphs = "".join(
                _p(ppr, _runs(line, size=font_size, **font)) for line in (text or "").split("\n")
            )
            return _tc(paragraphs, width, span=span, valign=valign)

        parts = ["<w:tbl>", _tbl_pr(widths, borders="grid", margin_mm=1.2)]
        for heading_cells in (headers, *header_rows):
            is_main = heading_cells is headers
            cells = "".join(
                cell(text, width, how="center", valign="center", bold=is_main, italic=not is_main)
                for text, width in zip(heading_cells, widths, strict=False)
            )
            parts.append(_tr(cells, header=True))
        for spec in rows:
            if not isinstance(spec, TableRow):
                spec = TableRow(cells=list(spec))
            if spec.span:
                text = " ".join(spec.cells)
                parts.append(
                    _tr(cell(text, sum(widths), how="left", span=columns, bold=spec.bold, italic=spec.italic))
                )
                continue
            cells = "".join(
                cell(
                    text,
                    width,
                    how=(spec.align[index] if spec.align else alignment[index]),
                    bold=spec.bold,
                    italic=spec.italic,
                )
                for index, (text, width) in enumerate(zip(spec.cells, widths, strict=False))
            )
            parts.append(_tr(cells))
        parts.append("</w:tbl>")
        table = Table(self._insert("".join(parts)), self._document._body)
        # A little room after the table before the next paragraph.
        self._insert(_p(_ppr("left", False, 0, 0, 6)))
        return table

    def image(self, data: bytes, *, width_mm: float | None = None, caption: str | None = None) -> None:
        """A centred picture (PNG/JPEG bytes) with an optional italic caption beneath."""
        width = Mm(width_mm or min(self.text_width_mm, 150))
        paragraph = self._document.add_paragraph()
        paragraph._p.insert(0, _parse(_ppr("center", False, 6, 0, None, bool(caption))))
        # python-docx numbers a picture by searching the whole document for the largest id; with many pictures
        # in a long document that search dominated, so pictures get ids from a counter of their own.
        r_id, picture = self._document.part.get_or_add_image(io.BytesIO(data))
        cx, cy = picture.scaled_dimensions(width, None)
        self._picture_ids += 1
        inline = CT_Inline.new_pic_inline(self._picture_ids, r_id, picture.filename, cx, cy)
        paragraph.add_run()._r.add_drawing(inline)
        if caption:
            self._insert(self._centered(caption, size=self.body_pt - 1, italic=True, after=6))

    def page_break(self) -> None:
        self._insert('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    # -- closing --------------------------------------------------------------------------------------------
    def _ensure_closing(self):
        if self._closing is None:
            self._end_content()
            width = self.text_width_mm / 2
            empty = _p(_ppr("left", False, 0, 0))
            xml = (
                "<w:tbl>"
                + _tbl_pr([width, width], borders="none", margin_mm=0.5)
                + "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                + _tc(empty, width)
                + _tc(empty, width)
                + "</w:tr></w:tbl>"
            )
            table = self._insert(xml)
            self._closing = table.findall(f"{qn('w:tr')}/{qn('w:tc')}")
            self.closing_table = Table(table, self._document._body)
        return self._closing

    @staticmethod
    def _fill_cell(tc, paragraphs: Sequence[str]) -> None:
        for old in tc.findall(qn("w:p")):
            tc.remove(old)
        for xml in paragraphs:
            tc.append(_parse(xml))

    def _end_content(self) -> None:
        """Append "./." to the last body paragraph, as Decree 30 requires at the end of the content."""
        element = self._last_body_paragraph
        if element is None:
            return
        text = "".join(t.text or "" for t in element.iter(qn("w:t"))).rstrip()
        if text.endswith(END_MARK):
            return
        size = self.body_pt
        sizes = element.findall(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:sz')}")
        if sizes:
            size = int(sizes[-1].get(qn("w:val"))) / 2
        # "… kết quả." becomes "… kết quả./."
        mark = "/." if text.endswith(".") else END_MARK
        for run in _parse(f"<w:p>{_runs(mark, size=size)}</w:p>"):
            element.append(run)
        # The signature block never stands alone on a page: the last paragraph goes with it.
        ppr = element.find(qn("w:pPr"))
        if ppr is not None and ppr.find(qn("w:keepNext")) is None:
            ppr.insert(0, OxmlElement("w:keepNext"))

    def signature(self, *, authority_prefix: str, title: str, name: str) -> None:
        """The signature block in the right half of the closing table:
        ``authority_prefix`` ("KT. GIÁM ĐỐC", "" for the head signing directly), ``title`` ("PHÓ GIÁM ĐỐC"),
        a blank space for the signature and seal, and ``name``."""
        cells = self._ensure_closing()
        size = self.body_pt
        lines = [line.strip().upper() for line in [*authority_prefix.split("\n"), title] if line.strip()]
        paragraphs = [self._centered(line, size=size, bold=True) for line in lines]
        paragraphs.append(_p(_ppr("center", False, 72, 0)))  # room for the signature and the seal
        paragraphs.append(self._centered(name, size=size, bold=True))
        self._fill_cell(cells[1], paragraphs)
        self._closing_filled.add("signature")

    def recipients(self, lines: Sequence[str]) -> None:
        """ "Nơi nhận:" (12 pt bold italic) and its list (11 pt). Each line becomes "- X;"; the last one must be the
        archive line ("Lưu: VT, …") and ends with a full stop."""
        cells = self._ensure_closing()
        ppr = _ppr("left", False, 0, 0)
        paragraphs = [_p(ppr, _runs("Nơi nhận:", size=RECIPIENTS_LABEL_PT, bold=True, italic=True))]
        cleaned = [line.strip().lstrip("-").strip().rstrip(";.") for line in lines if line.strip()]
        for index, line in enumerate(cleaned):
            ending = "." if index == len(cleaned) - 1 else ";"
            paragraphs.append(_p(ppr, _runs(f"- {line}{ending}", size=RECIPIENTS_PT)))
        self._fill_cell(cells[0], paragraphs)
        self._closing_filled.add("recipients")

    # -- appendices ------------------------------------------------------------------------------------------
    def appendix(self, label: str, title: str, note: str = "", *, landscape: bool = False) -> None:
        """Start an appendix on a new page (a new section, landscape if asked): "Phụ lục I" in bold, the title in
        capitals bold, and the italic "(Kèm theo …)" note. Decree 30 numbers each appendix's pages on their own:
        the section restarts at 1 (``w:pgNumType w:start="1"``) and every page of it, the first included, shows
        its number."""
        section = self._document.add_section()
        self._setup_section(section, landscape=landscape)
        section.different_first_page_header_footer = False
        section.header.is_linked_to_previous = True
        _set_page_number_start(section._sectPr, 1)
        size = self.body_pt
        if label:
            self._insert(self._centered(label, size=size, bold=True))
        if title:
            self._insert(self._centered(title.upper(), size=size, bold=True))
        if note:
            self._insert(self._centered(note, size=size, italic=True, after=12))

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
    "archive_line",
    "item_letter",
    "place_date_line",
    "vn_date_text",
]


def header_body_name(name: str) -> str:
    """A body's name as the header prints it: capitals, with the abbreviations Decree 30 allows for the parent
    body ("Ủy ban nhân dân" → "UBND", "Hội đồng nhân dân" → "HĐND")."""
    for full, short in (
        ("Ủy ban nhân dân", "UBND"),
        ("Uỷ ban nhân dân", "UBND"),
        ("Hội đồng nhân dân", "HĐND"),
    ):
        if name.lower().startswith(full.lower()):
            name = short + name[len(full) :]
    return name.upper()
