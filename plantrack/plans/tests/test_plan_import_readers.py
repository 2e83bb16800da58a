"""Reading documents: every supported format, and a clear Vietnamese message for everything else."""

import io
import zipfile

import pytest
from django.test import override_settings

from plantrack.plans.importing import readers
from plantrack.plans.importing.readers import DocumentReadError, Table, read_document, unwrap_lines

from .conftest import sample_bytes


def test_txt_utf8_with_bom_and_windows_line_ends():
    doc = read_document("\ufeffSố: 1/KH-UBND\r\n\r\n  KẾ   HOẠCH \r\n".encode(), "a.txt")
    assert doc.kind == "txt"
    assert doc.lines == ["Số: 1/KH-UBND", "KẾ HOẠCH"]


def test_txt_is_normalised_to_nfc():
    decomposed = "Ho\u0302\u0323i".encode()  # "Hội" written with combining marks
    assert read_document(decomposed, "a.txt").lines == ["Hội"]


def test_txt_not_utf8_gets_a_clear_message():
    with pytest.raises(DocumentReadError, match="không mã hóa UTF-8"):
        read_document("Kê hoach tỉnh".encode().replace("ỉ".encode(), b"\xf2"), "kh.txt")


def test_binary_and_unknown_files_are_refused():
    with pytest.raises(DocumentReadError, match="không phải văn bản"):
        read_document(b"\x00\x01\x02binary" * 10, "scan.bin")
    # A truncated picture is a damaged file (or, without OCR, a picture that cannot be read yet).
    with pytest.raises(DocumentReadError, match="hỏng|OCR"):
        read_document(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.png")


def test_old_word_files_are_refused_with_advice(monkeypatch):
    # Damaged: LibreOffice (when present) cannot convert it either.
    with pytest.raises(DocumentReadError, match=r"\.doc.*lưu lại dạng \.docx"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "kh.doc")
    monkeypatch.setattr(readers, "soffice_binary", lambda: None)
    with pytest.raises(DocumentReadError, match=r"chưa cài LibreOffice.*lưu lại dạng \.docx"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "kh.doc")


def test_empty_file():
    with pytest.raises(DocumentReadError, match="rỗng"):
        read_document(b"", "kh.txt")


@override_settings(PLANTRACK_IMPORT_MAX_BYTES=1024)
def test_size_limit():
    with pytest.raises(DocumentReadError, match="vượt giới hạn"):
        read_document(b"a" * 2048, "big.txt")


def test_docx_paragraphs_and_tables_in_order_with_word_bullets():
    doc = read_document(sample_bytes("synthetic_by_agency.docx"), "synthetic_by_agency.docx")
    assert doc.kind == "docx"
    assert isinstance(doc.blocks[0], Table)  # the header block
    assert doc.blocks[1] == "KẾ HOẠCH"
    # "List Bullet" paragraphs carry no "-" in their text; the reader renders Word's numbering.
    assert "- Bảo đảm hạ tầng kỹ thuật cho nền tảng số dùng chung của tỉnh." in doc.blocks
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables[-1].rows[0][:3] == ["STT", "Nhiệm vụ", "Cơ quan chủ trì"]
    assert "STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian | Sản phẩm" in doc.lines


def test_docx_that_is_another_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(DocumentReadError, match="không phải văn bản Word"):
        read_document(buffer.getvalue(), "kh.docx")


def test_damaged_docx():
    data = sample_bytes("synthetic_by_agency.docx")
    with pytest.raises(DocumentReadError, match="bị hỏng"):
        read_document(data[: len(data) // 2], "kh.docx")


def test_pdf_text_layer_gives_back_the_paragraphs():
    doc = read_document(sample_bytes("synthetic_numbered.pdf"), "synthetic_numbered.pdf")
    expected = [line for line in sample_bytes("synthetic_numbered.txt").decode().splitlines() if line.strip()]
    assert doc.kind == "pdf"
    assert doc.lines == expected


def test_scanned_pdf_without_text_gets_a_clear_message():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(DocumentReadError, match="không có lớp chữ.*scan"):
        read_document(buffer.getvalue(), "scan.pdf")


def test_encrypted_pdf_gets_a_clear_message():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sample_bytes("synthetic_numbered.pdf"))))
    writer.encrypt(user_password="bi-mat", owner_password="chu")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(DocumentReadError, match="mật khẩu"):
        read_document(buffer.getvalue(), "kh.pdf")


def test_damaged_pdf():
    with pytest.raises(DocumentReadError):
        read_document(b"%PDF-1.7\n" + b"\x00garbage" * 50, "kh.pdf")


def test_pdf_named_as_docx_is_read_by_content():
    assert read_document(sample_bytes("synthetic_numbered.pdf"), "ten-sai.docx").kind == "pdf"


def test_unwrap_joins_wrapped_lines_but_not_headings():
    lines = [
        "1. MỤC TIÊU",
        "1.1. Mục tiêu chung",
        "Hình thành thị trường khoa học và công nghệ của tỉnh gắn với sàn giao dịch công nghệ, thúc đẩy",
        "doanh nghiệp đổi mới công nghệ.",
        "- Tỷ lệ doanh nghiệp có giao dịch công nghệ đến năm 2025 đạt 30%, đến năm 2030 đạt",
        "50%.",
    ]
    assert unwrap_lines(lines) == [
        "1. MỤC TIÊU",
        "1.1. Mục tiêu chung",
        "Hình thành thị trường khoa học và công nghệ của tỉnh gắn với sàn giao dịch công nghệ, thúc đẩy doanh "
        "nghiệp đổi mới công nghệ.",
        "- Tỷ lệ doanh nghiệp có giao dịch công nghệ đến năm 2025 đạt 30%, đến năm 2030 đạt 50%.",
    ]


def test_docx_automatic_numbering_is_rendered():
    from docx import Document

    doc = Document()
    doc.add_paragraph("KẾ HOẠCH")
    for text in ("Mục đích", "Nhiệm vụ", "Tổ chức thực hiện"):
        doc.add_paragraph(text, style="List Number")
    doc.add_paragraph("Một việc", style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    assert read_document(buffer.getvalue(), "so-tu-dong.docx").lines == [
        "KẾ HOẠCH",
        "1. Mục đích",
        "2. Nhiệm vụ",
        "3. Tổ chức thực hiện",
        "- Một việc",
    ]


def test_docx_that_expands_too_far_is_refused_before_parsing():
    """A small .docx whose parts declare gigabytes is refused from its zip directory (issue 16, row 9)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * (120 * 1024 * 1024) + "</w:document>")
    with pytest.raises(DocumentReadError, match="gây quá tải"):
        read_document(buffer.getvalue(), "bomb.docx")
