"""The Decree 30/2020/NĐ-CP base: open what OfficialDocument writes with python-docx and check the format rules."""

import datetime
import io

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from plantrack.documents.official import (
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
    OfficialDocument,
    OfficialHeader,
    Segment,
    TableRow,
    place_date_line,
    vn_date_text,
)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def header(**changes) -> OfficialHeader:
    values = {
        "parent_body": "UBND TỈNH THỬ NGHIỆM",
        "issuing_body": "Sở Khoa học và Công nghệ",
        "number_text": "/BC-SKHCN",
        "place": "Thành phố Thử",
        "date": datetime.date(2025, 12, 5),
    }
    values.update(changes)
    return OfficialHeader(**values)


def build(**header_changes) -> Document:
    doc = OfficialDocument(
        header=header(**header_changes), kind_title="Báo cáo", title="Kết quả thực hiện năm 2025"
    )
    doc.heading("I. CÔNG TÁC CHỈ ĐẠO")
    doc.paragraph("Đoạn thứ nhất.")
    doc.paragraph([Segment("Đậm: ", bold=True), Segment("nghiêng", italic=True)])
    doc.table(
        ["TT", "Nội dung"], [["1", "Một"], TableRow(["Nhóm"], span=True, bold=True)], widths_mm=[15, 150]
    )
    doc.image(PNG, width_mm=40, caption="Biểu đồ 1")
    doc.paragraph("Đoạn cuối cùng.")
    doc.signature(authority_prefix="KT. GIÁM ĐỐC", title="Phó Giám đốc", name="Nguyễn Văn A")
    doc.recipients(["UBND tỉnh (để báo cáo);", "- Các sở, ngành", "Lưu: VT, VP"])
    doc.appendix("Phụ lục I", "Danh mục", "(Kèm theo Báo cáo số …)", landscape=True)
    doc.table(["TT", "Nội dung"], [["1", "Một"]])
    return Document(io.BytesIO(doc.to_bytes()))


def runs_of(paragraph):
    return [r for r in paragraph.runs if r.text]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2025, 12, 5), "ngày 05 tháng 12 năm 2025"),
        (datetime.date(2025, 1, 15), "ngày 15 tháng 01 năm 2025"),
        (datetime.date(2026, 2, 9), "ngày 09 tháng 02 năm 2026"),
        (datetime.date(2025, 3, 1), "ngày 01 tháng 3 năm 2025"),
        (datetime.date(2025, 10, 31), "ngày 31 tháng 10 năm 2025"),
    ],
)
def test_date_text_pads_day_and_only_january_february(day, expected):
    assert vn_date_text(day) == expected


def test_place_date_line_and_blank_date():
    assert place_date_line("Đồng Nai", datetime.date(2025, 12, 5)) == "Đồng Nai, ngày 05 tháng 12 năm 2025"
    blank = place_date_line("Đồng Nai", None, year=2025)
    assert blank.startswith("Đồng Nai, ngày") and blank.endswith("năm 2025") and "\u00a0" in blank


def test_number_line_keeps_room_for_the_number():
    assert header(number_text="12/BC-SKHCN").number_line == "Số: 12/BC-SKHCN"
    assert header(number_text="Số: 12/BC-SKHCN").number_line == "Số: 12/BC-SKHCN"
    blank = header(number_text="/BC-SKHCN").number_line
    assert blank.startswith("Số: \u00a0") and blank.endswith("/BC-SKHCN")


def test_page_is_a4_portrait_with_decree_margins():
    section = build().sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert Mm(20) <= section.top_margin <= Mm(25) and Mm(20) <= section.bottom_margin <= Mm(25)
    assert Mm(30) <= section.left_margin <= Mm(35) and Mm(15) <= section.right_margin <= Mm(20)


def test_header_is_a_borderless_two_column_table():
    document = build()
    table = document.tables[0]
    assert len(table.columns) == 2 and len(table.rows) == 1
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    left, right = (cell.paragraphs for cell in table.rows[0].cells)
    left_texts = [p.text for p in left if p.text]
    assert left_texts == [
        "UBND TỈNH THỬ NGHIỆM",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Số: \u00a0" * 1 + left_texts[2][5:],
    ]
    assert left_texts[2].endswith("/BC-SKHCN")
    issuing = runs_of(left[1])[0]
    assert issuing.bold and issuing.font.size == Pt(13)
    assert not runs_of(left[0])[0].bold
    # The short rule under the issuing body: an empty paragraph with a bottom border, indented on both sides.
    rule = left[2]
    assert rule._p.pPr.find(qn("w:pBdr")) is not None and rule.paragraph_format.left_indent > 0
    right_texts = [p.text for p in right if p.text]
    assert right_texts == [NATIONAL_TITLE, NATIONAL_MOTTO, "Thành phố Thử, ngày 05 tháng 12 năm 2025"]
    title, motto, date = (runs_of(p)[0] for p in right if p.text)
    assert title.bold and Pt(12) <= title.font.size <= Pt(13)
    assert motto.bold and motto.underline and Pt(13) <= motto.font.size <= Pt(14)
    assert date.italic and not date.bold
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in [*left, *right] if p.text)


def test_times_new_roman_everywhere():
    document = build()
    assert document.styles["Normal"].font.name == "Times New Roman"
    for paragraph in document.paragraphs:
        for run in runs_of(paragraph):
            assert run.font.name == "Times New Roman", run.text
            fonts = run._r.rPr.find(qn("w:rFonts"))
            assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:cs")) == "Times New Roman"


def test_title_and_body():
    document = build()
    texts = [p.text for p in document.paragraphs]
    kind = document.paragraphs[texts.index("BÁO CÁO")]
    assert runs_of(kind)[0].bold and kind.alignment == WD_ALIGN_PARAGRAPH.CENTER
    title = document.paragraphs[texts.index("Kết quả thực hiện năm 2025")]
    assert runs_of(title)[0].bold
    body = document.paragraphs[texts.index("Đoạn thứ nhất.")]
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent >= Mm(10)
    assert Pt(13) <= runs_of(body)[0].font.size <= Pt(14)
    mixed = document.paragraphs[texts.index("Đậm: nghiêng")]
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in runs_of(mixed)] == [
        ("Đậm: ", True, False),
        ("nghiêng", False, True),
    ]


def test_content_ends_with_end_mark_before_the_signature():
    texts = [p.text for p in build().paragraphs]
    assert "Đoạn cuối cùng./." in texts
    assert not any(t.endswith("./.") for t in texts if t != "Đoạn cuối cùng./.")


def test_signature_and_recipients():
    document = build()
    closing = document.tables[2]
    recipients, signature = (cell.paragraphs for cell in closing.rows[0].cells)
    lines = [p.text for p in recipients if p.text]
    assert lines == ["Nơi nhận:", "- UBND tỉnh (để báo cáo);", "- Các sở, ngành;", "- Lưu: VT, VP."]
    label = runs_of(recipients[0])[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    assert all(runs_of(p)[0].font.size == Pt(11) for p in recipients[1:] if p.text)
    signed = [p.text for p in signature if p.text]
    assert signed == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]
    assert all(runs_of(p)[0].bold for p in signature if p.text)


def test_page_numbers_from_page_two_in_the_top_margin():
    section = build().sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    paragraph = section.header.paragraphs[0]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [i.text for i in paragraph._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]


def test_tables_have_borders_and_repeating_headings():
    table = build().tables[1]
    assert [c.text for c in table.rows[0].cells] == ["TT", "Nội dung"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    span = table.rows[2]
    assert span._tr.find(f"{qn('w:tc')}/{qn('w:tcPr')}/{qn('w:gridSpan')}").get(qn("w:val")) == "2"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}


def test_appendix_is_a_landscape_section_with_continued_page_numbers():
    document = build()
    appendix = document.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE and appendix.page_width > appendix.page_height
    assert appendix.header.is_linked_to_previous
    texts = [p.text for p in document.paragraphs]
    assert texts.index("Phụ lục I") > texts.index("Đoạn cuối cùng./.")
    assert "DANH MỤC" in texts


def test_picture_is_embedded():
    document = build()
    assert len(document.inline_shapes) == 1
    assert "Biểu đồ 1" in [p.text for p in document.paragraphs]


def test_letter_with_subject_line_and_addressees():
    doc = OfficialDocument(
        header=header(number_text="/SKHCN-VP", subject_line="V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch"),
    )
    doc.addressees(["Sở A", "Sở B"])
    doc.paragraph("Nội dung.")
    document = Document(io.BytesIO(doc.to_bytes()))
    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left[-1] == "V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch"
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:3] == ["Kính gửi:", "- Sở A;", "- Sở B."]


def test_text_with_control_characters_is_still_valid_xml():
    doc = OfficialDocument(header=header(), kind_title="Báo cáo", title="T")
    doc.paragraph("Có ký tự lạ\x0b và <thẻ> & dấu.")
    document = Document(io.BytesIO(doc.to_bytes()))
    assert "Có ký tự lạ và <thẻ> & dấu." in [p.text for p in document.paragraphs]
