"""Regenerate the synthetic sample documents of the plan import tests (SYNTHETIC TEST DATA, written by us).

    .venv/bin/python plantrack/plans/tests/samples/make_samples.py

- ``synthetic_by_agency.docx``: a plan organised by agency, with the header and signature blocks in tables, Word
  list bullets (automatic numbering), and an appendix task table (STT / Nhiệm vụ / Cơ quan chủ trì / Cơ quan phối
  hợp / Thời gian / Sản phẩm) with group rows, a typo and an agency that is not in the registry.
- ``synthetic_numbered.pdf``: ``synthetic_numbered.txt`` (a "1.1." numbered outline) typeset with fpdf2 and the
  DejaVu Sans font, so that the PDF has a real text layer with Vietnamese characters.
- ``synthetic_appendix_tables.docx`` and its ``.pdf`` (printed by LibreOffice): a plan whose assignments are in
  two appendix task tables running over pages, one with a two-row header repeated on each page, one whose header
  is not repeated.
- ``plan_386_KH-UBND.pdf``: the public text of plan 386/KH-UBND typeset the same way (not the official PDF): its
  wrapped lines exercise the PDF reader's paragraph joining on a real plan.

The generated files are committed: the tests read them and need neither fpdf2 nor the font.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def build_by_agency_docx(path: Path) -> None:
    from docx import Document

    doc = Document()
    header = doc.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 902/KH-UBND"
    header.cell(1, 1).text = "Đồng Nai, ngày 20 tháng 5 năm 2025"
    for text in [
        "KẾ HOẠCH",
        "Ứng dụng chuyển đổi số trong quản lý khoa học và công nghệ năm 2025 (SYNTHETIC TEST DATA - dữ liệu thử "
        "nghiệm tự soạn, không phải văn bản thật)",
        "Thực hiện Kế hoạch số 386/KH-UBND ngày 16/11/2024 của Ủy ban nhân dân tỉnh về phát triển khoa học, công "
        "nghệ và đổi mới sáng tạo;",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Nâng cao hiệu quả quản lý nhiệm vụ khoa học và công nghệ trên môi trường số.",
        "- Phân công rõ cơ quan chủ trì, thời hạn và sản phẩm của từng nhiệm vụ.",
        "II. MỤC TIÊU",
        "- 100% hồ sơ nhiệm vụ khoa học và công nghệ được tiếp nhận trực tuyến trong năm 2025.",
        "- Tỷ lệ cơ quan cấp tỉnh sử dụng nền tảng số dùng chung khoảng 80%.",
        "III. NHIỆM VỤ CỤ THỂ CỦA CÁC CƠ QUAN, ĐƠN VỊ",
        "1. Sở Khoa học và Công nghệ:",
        "- Chủ trì, phối hợp với Sở Thông tin và Truyền thông xây dựng cơ sở dữ liệu nhiệm vụ khoa học và công "
        "nghệ, hoàn thành trước ngày 30/9/2025.",
        "- Hướng dẫn các đơn vị cập nhật dữ liệu định kỳ hằng năm.",
        "2. Sở Tài chính:",
        "- Bố trí kinh phí thực hiện các nhiệm vụ của Kế hoạch trong Quý III/2025.",
        "3. Sở Thông tin và Truyền thông phối hợp Sở Nội vụ:",
    ]:
        doc.add_paragraph(text)
    # Word's own bullets: the "-" is not in the text, the reader renders it from numbering.xml.
    doc.add_paragraph("Bảo đảm hạ tầng kỹ thuật cho nền tảng số dùng chung của tỉnh.", style="List Bullet")
    doc.add_paragraph("Hỗ trợ bảo đảm an toàn thông tin cho cơ sở dữ liệu.", style="List Bullet")
    for text in [
        "4. UBND các huyện, thành phố Long Khánh và thành phố Biên Hòa:",
        "- Phối hợp với Sở Khoa học và Công nghệ triển khai ứng dụng nền tảng số tại địa phương.",
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Các sở, ban, ngành, UBND các huyện, thành phố định kỳ hằng năm trước ngày 10/12 báo cáo kết quả thực "
        "hiện về Sở Khoa học và Công nghệ để tổng hợp.",
        "2. Sở Khoa học và Công nghệ chịu trách nhiệm theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch này.",
    ]:
        doc.add_paragraph(text)
    sign = doc.add_table(rows=1, cols=2)
    sign.cell(
        0, 0
    ).text = "Nơi nhận:\n- Bộ Khoa học và Công nghệ (báo cáo);\n- Các sở, ban, ngành;\n- Lưu: VT, KGVX."
    sign.cell(0, 1).text = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn Thử"
    doc.add_page_break()
    for text in [
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ TRIỂN KHAI NĂM 2025",
        "(Kèm theo Kế hoạch số 902/KH-UBND ngày 20/5/2025 của UBND tỉnh - SYNTHETIC TEST DATA)",
    ]:
        doc.add_paragraph(text)
    rows = [
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "Sản phẩm"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        ["I", "Nhóm nhiệm vụ về dữ liệu", "", "", "", ""],
        [
            "1",
            "Số hóa hồ sơ nhiệm vụ khoa học và công nghệ giai đoạn 2015 - 2024",
            "Sở Khoa học và Công nghệ",
            "Sở Nội vụ; Sở Thông tin và Truyền thông",
            "Quý II/2025",
            "Cơ sở dữ liệu nhiệm vụ",
        ],
        [
            "2",
            "Kết nối dữ liệu với hệ thống thông tin quốc gia về khoa học và công nghệ",
            "Sở KH&CN",
            "Sở Tài chínhh, Sở Du lịch",
            "Trước 30/6/2025",
            "Báo cáo kết nối",
        ],
        ["II", "Nhóm nhiệm vụ về đào tạo", "", "", "", ""],
        [
            "1",
            "Tập huấn kỹ năng số cho cán bộ quản lý khoa học và công nghệ",
            "Sở Nội vụ",
            "Các sở, ban, ngành; UBND các huyện, thành phố",
            "Hằng năm",
            "Lớp tập huấn",
        ],
        [
            "2",
            "Đánh giá mức độ ứng dụng nền tảng số",
            "Trường Đại học Đồng Nai, Trường Đại học Lạc Hồng",
            "",
            "Năm 2025",
            "Báo cáo đánh giá",
        ],
    ]
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for r in (2, 5):  # group rows span the table, as Word merges them
        merged = table.cell(r, 1).merge(table.cell(r, 5))
        merged.text = rows[r][1]
    doc.core_properties.title = "SYNTHETIC TEST DATA"
    doc.save(path)


APPENDIX_AGENCIES = [
    ("Sở Khoa học và Công nghệ", "Sở Tài chính; Sở Nội vụ"),
    ("Sở Tài chính", "Sở Khoa học và Công nghệ"),
    ("Sở Nội vụ", "Các sở, ban, ngành; UBND các huyện, thành phố"),
    ("Sở Tư pháp", "Sở Nội vụ"),
    ("Sở Y tế", "Sở Tài chính; Sở Khoa học và Công nghệ"),
    ("Công an tỉnh", "Sở Tư pháp"),
]


def appendix_rows(count: int, offset: int = 0) -> list[list[str]]:
    """``count`` task rows (TT, task, lead, coordinate, time, product) with long task texts, so the table runs
    over pages."""
    rows = []
    for i in range(count):
        lead, coordinate = APPENDIX_AGENCIES[(i + offset) % len(APPENDIX_AGENCIES)]
        rows.append(
            [
                str(i + 1),
                f"Nhiệm vụ thử nghiệm số {i + 1 + offset}: xây dựng, triển khai và đánh giá giải pháp chuyển đổi số "
                "trong quản lý nhà nước về khoa học và công nghệ, bảo đảm kết nối, chia sẻ dữ liệu giữa các cơ "
                "quan, đơn vị và báo cáo kết quả định kỳ theo quy định.",
                lead,
                coordinate,
                "Năm 2026" if i % 2 else "Quý IV/2025",
                "Báo cáo kết quả",
            ]
        )
    return rows


def build_appendix_tables_docx(path: Path) -> None:
    """A plan whose assignments are in two appendix tables that run over pages: the first with a header over two
    rows ("Cơ quan thực hiện" over "Chủ trì | Phối hợp") repeated on each page, a group row merged across the
    table; the second with a one-row header that is not repeated. ``…appendix_tables.pdf`` is this file printed
    by LibreOffice (``soffice --headless --convert-to pdf``)."""
    from docx import Document
    from docx.oxml import OxmlElement

    doc = Document()
    header = doc.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 915/KH-UBND"
    header.cell(1, 1).text = "Đồng Nai, ngày 02 tháng 6 năm 2025"
    for text in [
        "KẾ HOẠCH",
        "Chuyển đổi số trong quản lý khoa học và công nghệ giai đoạn 2025 - 2026 (SYNTHETIC TEST DATA - dữ liệu "
        "thử nghiệm tự soạn, không phải văn bản thật)",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Phân công rõ cơ quan chủ trì, cơ quan phối hợp, thời hạn và sản phẩm của từng nhiệm vụ.",
        "II. NHIỆM VỤ",
        "Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Sở Khoa học và Công nghệ theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch; định kỳ hằng năm báo cáo "
        "UBND tỉnh trước ngày 15/12.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ (Kèm theo Kế hoạch số 915/KH-UBND ngày 02/6/2025 của UBND tỉnh)",
    ]:
        doc.add_paragraph(text)

    def repeat_header(row) -> None:
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:tblHeader"))

    first = appendix_rows(14)
    table = doc.add_table(rows=3 + len(first), cols=6)
    table.style = "Table Grid"
    top = ["TT", "Nội dung nhiệm vụ", "Cơ quan thực hiện", "", "Thời gian hoàn thành", "Sản phẩm"]
    for c, text in enumerate(top):
        table.cell(0, c).text = text
    table.cell(1, 2).text = "Chủ trì"
    table.cell(1, 3).text = "Phối hợp"
    table.cell(0, 2).merge(table.cell(0, 3)).text = "Cơ quan thực hiện"
    for c in (0, 1, 4, 5):
        table.cell(0, c).merge(table.cell(1, c)).text = top[c]
    repeat_header(table.rows[0])
    repeat_header(table.rows[1])
    table.cell(2, 0).text = "I"
    table.cell(2, 1).merge(table.cell(2, 5)).text = "NHÓM NHIỆM VỤ CHUYỂN ĐỔI SỐ"
    for r, row in enumerate(first, start=3):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.add_paragraph("Bảng 2. Nhiệm vụ bổ sung")
    second = appendix_rows(10, offset=3)
    table = doc.add_table(rows=1 + len(second), cols=6)
    table.style = "Table Grid"
    for c, text in enumerate(
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "Sản phẩm"]
    ):
        table.cell(0, c).text = text
    for r, row in enumerate(second, start=1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.core_properties.title = "SYNTHETIC TEST DATA"
    doc.save(path)


def print_pdf(docx: Path) -> None:
    """``docx`` printed to PDF beside it by LibreOffice headless (as a department's PDF is made)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(docx.parent),
                str(docx),
            ],
            check=True,
            capture_output=True,
        )


def build_text_pdf(source: Path, path: Path, title: str) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creator("Plantrack tests")
    pdf.set_title(title)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.set_margins(25, 20, 20)
    pdf.add_page()
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.strip():
            pdf.multi_cell(0, 7, line.strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


if __name__ == "__main__":
    build_by_agency_docx(HERE / "synthetic_by_agency.docx")
    build_text_pdf(HERE / "synthetic_numbered.txt", HERE / "synthetic_numbered.pdf", "SYNTHETIC TEST DATA")
    build_text_pdf(
        HERE / "plan_386_KH-UBND.txt", HERE / "plan_386_KH-UBND.pdf", "Kế hoạch 386/KH-UBND (văn bản)"
    )
    build_appendix_tables_docx(HERE / "synthetic_appendix_tables.docx")
    print_pdf(HERE / "synthetic_appendix_tables.docx")
    print("written:", *(p.name for p in sorted(HERE.glob("*.pdf")) + sorted(HERE.glob("*.docx"))))
