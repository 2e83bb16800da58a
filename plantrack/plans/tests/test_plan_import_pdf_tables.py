"""Issue 13: tables of text PDFs (ruled appendix tables, through PDFium and pdfplumber's table finder) and of web
text (cells between lone "|" lines) go through the same task-table pipeline as a .docx table; the PDF reader's
limits; no exception but a clear message escapes the PDF table path for any bytes."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantrack.plans.importing import import_document, pdflayout
from plantrack.plans.importing.readers import DocumentReadError, Table, read_document
from plantrack.plans.importing.tables import find_task_table, reflow_cell
from plantrack.plans.importing.webtext import pipe_task_tables

SAMPLES = Path(__file__).parent / "samples"
CORPUS = Path(__file__).resolve().parents[1] / "importing" / "tests" / "corpus"
# SYNTHETIC TEST DATA: make_samples.py writes the .docx; the .pdf is it printed by LibreOffice.
APPENDIX_DOCX = SAMPLES / "synthetic_appendix_tables.docx"
APPENDIX_PDF = SAMPLES / "synthetic_appendix_tables.pdf"


def _tasks(result) -> list[tuple]:
    return [
        (t["code"], " ".join(t["text"].split()), t["lead"], t["coordinate"], t["recurrence"], t["deadline"])
        for t in result.plan["tasks"]
    ]


def test_appendix_tables_of_a_text_pdf_give_the_assignments_of_the_docx(registry_2024):
    """Two appendix tables over several pages: the first with its header over two rows ("Cơ quan thực hiện" over
    "Chủ trì | Phối hợp") repeated on every page and rows broken across pages, the second with a header that is
    not repeated. The PDF gives the tasks, leads, coordinators and deadlines the .docx gives."""
    docx = import_document(APPENDIX_DOCX.read_bytes(), APPENDIX_DOCX.name, registry=registry_2024)
    pdf = import_document(APPENDIX_PDF.read_bytes(), APPENDIX_PDF.name, registry=registry_2024)
    assert pdf.source.kind == "pdf"
    assert len([b for b in pdf.source.blocks if isinstance(b, Table)]) == 2
    expected = _tasks(docx)
    assert len(expected) == 24
    assert _tasks(pdf) == expected
    # Both header rows name the columns: the coordinators come from "Phối hợp", under "Cơ quan thực hiện".
    assert pdf.plan["tasks"][0]["lead"] == ["Sở Khoa học và Công nghệ"]
    assert pdf.plan["tasks"][0]["coordinate"] == ["Sở Tài chính", "Sở Nội vụ"]
    assert [g["code"] for g in pdf.plan["task_groups"]] == ["PL1.I", "PL2"]
    for key in ("issuer", "number", "date", "title"):
        assert pdf.plan[key] == docx.plan[key], key


def test_a_header_over_two_rows_names_the_columns_it_splits():
    table = Table(
        [
            ["TT", "Nội dung nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời gian hoàn thành"],
            ["TT", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian hoàn thành"],
            ["1", "Xây dựng cơ sở dữ liệu", "Sở Nội vụ", "Sở Tư pháp", "Năm 2026"],
        ]
    )
    found = find_task_table(table)
    assert found.columns == {"number": 0, "task": 1, "lead": 2, "coordinate": 3, "time": 4}
    assert [(r.task, r.lead, r.coordinate) for r in found.rows] == [
        ("Xây dựng cơ sở dữ liệu", "Sở Nội vụ", "Sở Tư pháp")
    ]


def test_a_group_row_merged_across_the_table_is_no_second_header_row():
    table = Table(
        [
            ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp"],
            ["I", "NHIỆM VỤ CHUNG", "NHIỆM VỤ CHUNG", "NHIỆM VỤ CHUNG"],
            ["1", "Rà soát", "Sở Nội vụ", "Sở Tư pháp"],
        ]
    )
    found = find_task_table(table)
    assert found.columns["coordinate"] == 3
    assert [(r.is_group, r.task) for r in found.rows] == [(True, "NHIỆM VỤ CHUNG"), (False, "Rà soát")]


def test_the_lines_of_a_cell_are_joined_back_into_its_paragraphs():
    assert (
        reflow_cell(["Giải đáp những vướng mắc,", "kiến nghị về CCHC"])
        == "Giải đáp những vướng mắc, kiến nghị về CCHC"
    )
    # A sentence end, a list item and a body's name start a new paragraph (names listed one per line).
    assert reflow_cell(["Sở Nội vụ", "Sở Tư pháp"]) == "Sở Nội vụ\nSở Tư pháp"
    assert reflow_cell(["Xong.", "- Bước hai"]) == "Xong.\n- Bước hai"
    assert reflow_cell(["UBND", "phường Xuân", "Hương - Đà Lạt"]) == "UBND phường Xuân Hương - Đà Lạt"
    assert reflow_cell(["Văn phòng", "Ban Chỉ huy"]) == "Văn phòng Ban Chỉ huy"
    assert reflow_cell(["Lãnh đạo", "Sở Công Thương"]) == "Lãnh đạo Sở Công Thương"


def test_the_two_column_header_block_of_a_pdf_is_read_column_by_column():
    name = "lam-dong-du-thao-KH-UBND-2026-kiem-tra-cchc.pdf"
    lines = read_document((CORPUS / name).read_bytes(), name).lines
    assert lines[:6] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÂM ĐỒNG",
        "Số: /KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lâm Đồng, ngày tháng năm 2026",
    ]
    # The signature block too: the recipients, then the signer.
    start = next(i for i, line in enumerate(lines) if line.startswith("Nơi nhận"))
    block = lines[start:]
    assert block.index("KT. CHỦ TỊCH") > max(i for i, line in enumerate(block) if line.startswith("- "))


def test_wrapped_lines_of_a_pdf_are_joined_by_their_position_on_the_page():
    """A heading that runs to the margin is not joined to the indented paragraph under it; a paragraph ending at
    the margin with ":" goes on when the next line is not indented; "NQ-" + "HĐND" is one word."""
    name = "lam-dong-du-thao-KH-UBND-2025-chuong-trinh-phong-chong-ma-tuy.pdf"
    lines = read_document((CORPUS / name).read_bytes(), name).lines
    assert any(
        line.startswith("3.3. Bộ Chỉ huy quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng: Phối hợp")
        for line in lines
    )
    assert any("Nghị quyết số 201/2023/NQ-HĐND ngày 12/7/2023" in line for line in lines)
    name = "lam-dong-du-thao-KH-UBND-2026-tuyen-truyen-cchc.pdf"
    lines = read_document((CORPUS / name).read_bytes(), name).lines
    assert "3. Thực hiện tuyên truyền trên các phương tiện thông tin đại chúng" in lines


# --- limits ---------------------------------------------------------------------------------------------------


def test_pages_past_the_limit_are_not_read_and_the_reader_says_so(monkeypatch):
    monkeypatch.setattr(pdflayout, "MAX_PDF_PAGES", 2)
    doc = read_document(APPENDIX_PDF.read_bytes(), "kh.pdf")
    assert any("chỉ đọc 2 trang đầu" in p for p in doc.problems)
    assert not any("Nhiệm vụ bổ sung" in line for line in doc.lines)


def test_a_table_over_the_cell_limit_is_read_as_text_and_reported(monkeypatch):
    monkeypatch.setattr(pdflayout, "MAX_TABLE_CELLS", 10)
    doc = read_document(APPENDIX_PDF.read_bytes(), "kh.pdf")
    assert not any(isinstance(b, Table) for b in doc.blocks)
    assert any("vượt giới hạn 10 ô" in p for p in doc.problems)
    # Reported once per page, not once per table.
    assert len(doc.problems) == len(set(doc.problems))


def test_a_page_with_too_many_paths_or_characters_is_not_searched_for_tables(monkeypatch):
    monkeypatch.setattr(pdflayout, "MAX_PAGE_PATHS", 3)
    doc = read_document(APPENDIX_PDF.read_bytes(), "kh.pdf")
    assert not any(isinstance(b, Table) for b in doc.blocks)
    assert any("quá nhiều nét vẽ" in p for p in doc.problems)
    monkeypatch.undo()
    monkeypatch.setattr(pdflayout, "MAX_PAGE_CHARS", 500)
    doc = read_document(APPENDIX_PDF.read_bytes(), "kh.pdf")
    assert any("có hơn 500 ký tự" in p for p in doc.problems)
    assert doc.blocks  # the beginning of each page is still read


# --- web text -------------------------------------------------------------------------------------------------

WEB_TABLE = """**PHỤ LỤC**
DANH MỤC NHIỆM VỤ
|
**STT**
|
**Tên nhiệm vụ**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian hoàn thành**
|
|
**I.
NÂNG CAO NHẬN THỨC**
|
|
1
|
Triển khai nền tảng đào tạo
trực tuyến mở.
|
Sở KH&CN
|
Các sở, ban, ngành tỉnh; UBND các xã, phường
|
Thường xuyên
|
|
2
|
Đánh giá mức độ chuyển đổi số.
|
Sở Nội vụ
|
|
Quý IV/2025
|
|
….....
|
3
|
Hỗ trợ doanh nghiệp nhỏ và vừa.
|
Sở Công Thương
|
UBND các xã, phường
|
Hằng năm
|
Văn bản này chưa cập nhật nội dung Tiếng Anh
""".splitlines()


def test_a_task_table_written_as_web_text_becomes_a_table():
    blocks = pipe_task_tables(WEB_TABLE)
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert tables[0].rows == [
        ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
        ["I", "NÂNG CAO NHẬN THỨC"],
        [
            "1",
            "Triển khai nền tảng đào tạo trực tuyến mở.",
            "Sở KH&CN",
            "Các sở, ban, ngành tỉnh; UBND các xã, phường",
            "Thường xuyên",
        ],
        ["2", "Đánh giá mức độ chuyển đổi số.", "Sở Nội vụ", "", "Quý IV/2025"],
        ["3", "Hỗ trợ doanh nghiệp nhỏ và vừa.", "Sở Công Thương", "UBND các xã, phường", "Hằng năm"],
    ]
    # The lines around the table stay lines, in their places.
    assert blocks[:2] == ["**PHỤ LỤC**", "DANH MỤC NHIỆM VỤ"]
    assert blocks[-1] == "Văn bản này chưa cập nhật nội dung Tiếng Anh"


def test_the_header_block_between_bars_is_no_task_table():
    lines = [
        "|",
        "**ỦY BAN NHÂN DÂN**",
        "|",
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**",
        "|",
        "|",
        "Số: 5/KH-UBND",
    ]
    assert pipe_task_tables(lines) == lines


def test_the_web_text_appendix_of_a_corpus_plan_is_read_as_its_table(registry_2024):
    name = "dong-thap-617-KH-UBND-2025-chuyen-doi-so-doanh-nghiep.md"
    result = import_document((CORPUS / name).read_bytes(), name, registry=registry_2024)
    table_tasks = [t for t in result.plan["tasks"] if t["code"].startswith("PL1.")]
    assert len(table_tasks) == 11
    assert [g["title"] for g in result.plan["task_groups"] if g["code"].startswith("PL1.")] == [
        "NÂNG CAO NHẬN THỨC VÀ ĐỔI MỚI TƯ DUY",
        "HOÀN THIỆN CƠ CHẾ, CHÍNH SÁCH HỖ TRỢ CHUYỂN ĐỔI SỐ DOANH NGHIỆP",
        "PHÁT TRIỂN HẠ TẦNG SỐ VÀ THÚC ĐẨY ỨNG DỤNG TRONG SẢN XUẤT KINH DOANH",
        "HỢP TÁC VÀ THU HÚT ĐẦU TƯ",
    ]
    written = [[a["as_written"] for a in t["assignments"]] for t in table_tasks]
    assert written[2] == ["Sở Nội vụ", "Sở KH&CN", "các cơ quan, đơn vị liên quan"]


# --- robustness -----------------------------------------------------------------------------------------------

_PDF = APPENDIX_PDF.read_bytes()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(_PDF) - 1), st.binary(min_size=1, max_size=64))
def test_a_damaged_pdf_with_tables_is_read_or_refused_with_a_message(offset, patch):
    data = _PDF[:offset] + patch + _PDF[offset + len(patch) :]
    try:
        doc = read_document(data, "kh.pdf")
    except DocumentReadError as exc:
        assert str(exc)
    else:
        assert doc.kind == "pdf"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.just("|"),
            st.just(""),
            st.sampled_from(["**TT**", "Nội dung", "Cơ quan chủ trì", "Phối hợp", "I", "1", "…", "**"]),
            st.text(max_size=30),
        ),
        max_size=80,
    )
)
def test_web_text_tables_never_raise_and_keep_every_other_line(lines):
    blocks = pipe_task_tables(lines)
    kept = [b for b in blocks if isinstance(b, str)]
    # Lines outside the tables keep their order.
    it = iter(lines)
    assert all(any(line == x for x in it) for line in kept)


def test_bullets_of_word_lists_are_dashes():
    assert pdflayout._BULLET.sub("- ", "\uf0b7 Bảo đảm hạ tầng") == "- Bảo đảm hạ tầng"
    for text in ("Số: 5/KH-UBND", "- Sở Nội vụ", "2021 - 2030"):
        assert pdflayout._BULLET.sub("- ", text) == text
