"""Plans of another province as their documents come: a .docx written the way a provincial office writes it (header
table of two columns, Word's automatic numbering, "X chủ trì, phối hợp Y", a 6-monthly and yearly regime), and a
scanned PDF (one picture per page, no text layer). Synthetic text in the layout of UBND tỉnh Lào Cai's plans; built
here so the test data says how it was made (python-docx, Pillow)."""

from __future__ import annotations

import io
from pathlib import Path

# Fonts with the whole Vietnamese alphabet (Liberation 1.x lacks "ỉ", "ố"…; liberation2 and DejaVu have them).
FONTS = [
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
]


def _font_path() -> Path | None:
    return next((path for path in FONTS if path.exists()), None)


LAO_CAI_HEADER = [
    ("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
    ("Số: 125/KH-UBND", "Lào Cai, ngày 10 tháng 3 năm 2026"),
]

LAO_CAI_BODY = [
    ("title", "KẾ HOẠCH"),
    ("title", "Phát triển kinh tế số tỉnh Lào Cai năm 2026"),
    (
        "p",
        "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt Chương trình Chuyển đổi số "
        "quốc gia đến năm 2025, định hướng đến năm 2030;",
    ),
    ("p", "Ủy ban nhân dân tỉnh ban hành Kế hoạch phát triển kinh tế số năm 2026 như sau:"),
    ("h1", "MỤC ĐÍCH, YÊU CẦU"),
    ("p", "Đẩy mạnh phát triển kinh tế số, thương mại điện tử trên địa bàn tỉnh."),
    ("h1", "MỤC TIÊU"),
    ("p", "- 100% văn bản đi, đến giữa các cơ quan nhà nước được ký số và gửi nhận trên môi trường điện tử."),
    ("p", "- Khoảng 5 - 7 nền tảng số dùng chung của tỉnh được đưa vào vận hành."),
    ("h1", "NHIỆM VỤ, GIẢI PHÁP"),
    ("h2", "Phát triển thương mại điện tử"),
    (
        "h3",
        "Sở Công Thương chủ trì, phối hợp Sở Tài chính triển khai sàn thương mại điện tử cho sản phẩm OCOP của tỉnh.",
    ),
    (
        "h3",
        "Hỗ trợ doanh nghiệp nhỏ và vừa ứng dụng nền tảng số trong sản xuất, kinh doanh. Giao Sở Khoa học và "
        "Công nghệ chủ trì, phối hợp Sở Công Thương thực hiện.",
    ),
    ("h2", "Phát triển hạ tầng số"),
    (
        "h3",
        "Sở Khoa học và Công nghệ chủ trì, phối hợp Công an tỉnh nâng cấp Trung tâm dữ liệu tỉnh, bảo đảm an toàn "
        "thông tin theo cấp độ.",
    ),
    ("h1", "TỔ CHỨC THỰC HIỆN"),
    (
        "h2",
        "Sở Khoa học và Công nghệ là cơ quan thường trực, có trách nhiệm theo dõi, đôn đốc, kiểm tra việc thực hiện "
        "Kế hoạch này.",
    ),
    (
        "h2",
        "Các sở, ban, ngành định kỳ 6 tháng (trước 15/6) và hằng năm (trước 15/12) báo cáo kết quả thực hiện gửi về "
        "Sở Khoa học và Công nghệ để tổng hợp, báo cáo UBND tỉnh.",
    ),
    ("p", "Nơi nhận:"),
    ("p", "- Bộ Khoa học và Công nghệ (báo cáo);"),
    ("p", "- Các sở, ban, ngành;"),
    ("p", "- Lưu: VT."),
    ("p", "TM. ỦY BAN NHÂN DÂN"),
    ("p", "KT. CHỦ TỊCH"),
    ("p", "PHÓ CHỦ TỊCH"),
]


def lao_cai_docx() -> bytes:
    """The Lào Cai plan as Word writes it: a borderless two-column header table, headings numbered by Word
    (I., 1., a) in numbering.xml, not in the text)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    table = document.add_table(rows=len(LAO_CAI_HEADER), cols=2)
    for r, (left, right) in enumerate(LAO_CAI_HEADER):
        for c, text in enumerate((left, right)):
            cell = table.cell(r, c)
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    numbering = _outline_numbering(document)
    for kind, text in LAO_CAI_BODY:
        paragraph = document.add_paragraph(text)
        if kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind in ("h1", "h2", "h3"):
            numbering(paragraph, {"h1": 0, "h2": 1, "h3": 2}[kind])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _outline_numbering(document):
    """A Word list "I. / 1. / a)" in numbering.xml; returns a function that puts a paragraph at a level."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    part = document.part.numbering_part
    levels = [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")]
    xml = f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    for i, (fmt, text) in enumerate(levels):
        xml += f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
    xml += "</w:abstractNum>"
    root = part.element
    root.insert(0, parse_xml(xml))
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def put(paragraph, level: int) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
        assert ppr.find(qn("w:numPr")) is not None

    return put


SCANNED_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
    "Số: 88/KH-UBND",
    "Lào Cai, ngày 20 tháng 3 năm 2026",
    "KẾ HOẠCH",
    "Cải cách hành chính tỉnh Lào Cai năm 2026",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Nâng cao chất lượng phục vụ người dân, doanh nghiệp.",
    "II. NHIỆM VỤ, GIẢI PHÁP",
    "1. Sở Nội vụ chủ trì, phối hợp Sở Tư pháp rà soát",
    "thủ tục hành chính thuộc thẩm quyền của tỉnh.",
    "2. Sở Tư pháp chủ trì, phối hợp Sở Nội vụ kiểm tra",
    "việc thi hành pháp luật về xử lý vi phạm hành chính.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Sở Nội vụ là cơ quan thường trực, theo dõi, đôn đốc",
    "việc thực hiện Kế hoạch này.",
    "2. Các sở định kỳ hằng năm (trước 15/12) báo cáo kết",
    "quả thực hiện gửi về Sở Nội vụ để tổng hợp.",
]


def render_page(lines: list[str], *, width: int = 2480, height: int = 3508, size: int = 46):
    """One A4 page at 300 dpi with ``lines`` typeset in a serif font with Vietnamese glyphs, as a scanner would give it (greyscale)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(_font_path()), size)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y = 220
    for line in lines:
        draw.text((230, y), line, font=font, fill=0)
        y += int(size * 1.7)
    return image


def scanned_pdf(lines: list[str] = SCANNED_LINES) -> bytes:
    """An image-only PDF (no text layer at all), as a scanner produces."""
    out = io.BytesIO()
    render_page(lines).save(out, format="PDF", resolution=300)
    return out.getvalue()


def scanned_png(lines: list[str] = SCANNED_LINES) -> bytes:
    out = io.BytesIO()
    render_page(lines).save(out, format="PNG")
    return out.getvalue()


def fonts_available() -> bool:
    return _font_path() is not None
