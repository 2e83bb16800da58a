"""Issue 13: scanned plans (image-only PDF pages, pictures) read through Debian's tesseract with the Vietnamese data;
.doc through LibreOffice; every reader says what it could not read."""

import io
import shutil
import subprocess

import pytest

from plantrack.plans.importing import import_document, ocr, readers
from plantrack.plans.importing.readers import DocumentReadError, needs_ocr, read_document

from .foreign_documents import fonts_available, lao_cai_docx, render_page, scanned_pdf, scanned_png

needs_tesseract = pytest.mark.skipif(
    not ocr.ocr_available() or not fonts_available(),
    reason="tesseract-ocr with tesseract-ocr-vie (and a font with Vietnamese glyphs) is not installed",
)


def _text_pdf() -> bytes:
    return (readers.Path(__file__).parent / "samples" / "synthetic_numbered.pdf").read_bytes()


def _merge(*pdfs: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_tesseract_tsv_gives_lines_and_mean_confidence():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t0\t0\t9\t9\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t96.5\tSố:\n"
        "5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t91.5\t88/KH-UBND\n"
        "5\t1\t1\t1\t2\t1\t0\t0\t9\t9\t30\tKẾ\n"
        "5\t1\t1\t1\t2\t2\t0\t0\t9\t9\t-1\t \n"
    )
    page = ocr.parse_tsv(tsv)
    assert page.lines == ["Số: 88/KH-UBND", "KẾ"]
    assert page.confidence == pytest.approx((96.5 + 91.5 + 30) / 3)


def test_what_needs_ocr_runs_off_the_request():
    assert needs_ocr(b"\x89PNG\r\n\x1a\n....")
    assert needs_ocr(b"\xff\xd8\xff\xe0....")
    assert not needs_ocr(_text_pdf())
    assert not needs_ocr(lao_cai_docx())
    assert not needs_ocr(b"%PDF-1.4 garbage")  # damaged: read (and refused) in the request
    if fonts_available():
        assert needs_ocr(scanned_pdf())
        assert needs_ocr(_merge(_text_pdf(), scanned_pdf()))


@needs_tesseract
def test_scanned_pdf_is_read_through_ocr(registry_2024):
    result = import_document(scanned_pdf(), "kh88.pdf", registry=registry_2024)
    plan = result.plan
    assert result.source.kind == "pdf" and result.source.ocr_pages == 1
    assert (plan["issuer"], plan["number"], plan["date"]) == ("UBND tỉnh Lào Cai", "88/KH-UBND", "2026-03-20")
    assert plan["title"] == "Cải cách hành chính tỉnh Lào Cai năm 2026"
    leads = [[a["agency"] for a in t["assignments"] if a["role"] == "lead"] for t in plan["tasks"]]
    assert leads == [["Sở Nội vụ tỉnh Lào Cai"], ["Sở Tư pháp tỉnh Lào Cai"]]
    assert [(r["frequency"], r["due"]) for r in plan["reporting"]] == [("yearly", "15/12")]


@needs_tesseract
def test_picture_is_read_through_ocr(registry_2024):
    result = import_document(scanned_png(), "kh88.png", registry=registry_2024)
    assert result.source.kind == "image"
    assert result.plan["number"] == "88/KH-UBND"
    assert len(result.plan["tasks"]) == 2


@needs_tesseract
def test_text_pdf_with_a_scanned_page_reads_both_and_says_which_page_was_ocr(registry_2024):
    merged = _merge(
        _text_pdf(), scanned_pdf(["III. NHIỆM VỤ BỔ SUNG", "1. Sở Nội vụ chủ trì rà soát biên chế."])
    )
    # OCR runs once (seconds a page): the reader's output is read off the import.
    result = import_document(merged, "ghep.pdf", registry=registry_2024)
    doc = result.source
    text = doc.text
    assert "Sở Nội vụ chủ trì rà soát biên chế" in text
    assert doc.ocr_pages == 1
    # The text layer of the other pages is kept as it was.
    assert read_document(_text_pdf(), "a.pdf").lines[0] in doc.lines
    # Which page was read by OCR (1-based: the page after the text PDF's), with tesseract's confidence on it;
    # import_plan --format json gives both in its "reader" block.
    scanned_page = _page_count(_text_pdf()) + 1
    assert doc.ocr_page_numbers == [scanned_page]
    assert len(doc.ocr_confidences) == 1 and 0 < doc.ocr_confidences[0] <= 100
    reader = result.as_json()["reader"]
    assert reader["ocr_pages"] == 1 and reader["ocr_page_numbers"] == [scanned_page]
    assert [row["page"] for row in reader["ocr_page_confidence"]] == [scanned_page]


@needs_tesseract
def test_unreadable_and_low_confidence_pages_are_reported_in_review(registry_2024):
    from PIL import Image, ImageFilter

    blurred = render_page(["Số: 12/KH-UBND", "KẾ HOẠCH", "I. NHIỆM VỤ", "1. Sở Nội vụ chủ trì."], size=22)
    blurred = blurred.filter(ImageFilter.GaussianBlur(3))
    out = io.BytesIO()
    blurred.save(out, format="PDF", resolution=300)
    blank = io.BytesIO()
    Image.new("L", (1240, 1754), 255).save(blank, format="PDF", resolution=150)
    doc = read_document(_merge(_text_pdf(), out.getvalue(), blank.getvalue()), "mo.pdf")
    pages = len(doc.problems)
    assert pages >= 1
    last = _page_count(_text_pdf()) + 2
    assert any(f"Trang {last} không có chữ" in p for p in doc.problems)
    result = import_document(_merge(_text_pdf(), blank.getvalue()), "mo.pdf", registry=registry_2024)
    read = [p for p in result.problems if p.code == "read"]
    assert read and not read[0].is_error and "không có chữ" in read[0].message


def _page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def test_without_ocr_a_scan_gets_a_clear_message(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    with pytest.raises(DocumentReadError, match="chưa cài nhận dạng chữ"):
        read_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "scan.png")
    if fonts_available():
        with pytest.raises(DocumentReadError, match="chưa cài nhận dạng chữ"):
            read_document(scanned_pdf(), "scan.pdf")
        # A text PDF with one scanned page: the text is read, the page is reported.
        doc = read_document(_merge(_text_pdf(), scanned_pdf()), "ghep.pdf")
        assert any("chưa cài nhận dạng chữ" in p for p in doc.problems)


def test_picture_bombs_are_refused_before_decoding():
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (12000, 12000), 1).save(out, format="PNG")  # 144 Mpx, a few KB
    with pytest.raises(DocumentReadError):
        read_document(out.getvalue(), "bom.png")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_word_97_document_is_converted_by_libreoffice(tmp_path, registry_2024):
    (tmp_path / "kh.docx").write_bytes(lao_cai_docx())
    subprocess.run(  # noqa: S603
        [
            shutil.which("soffice"),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "kh.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = import_document((tmp_path / "kh.doc").read_bytes(), "kh.doc", registry=registry_2024)
    assert result.source.kind == "doc"
    assert result.plan["number"] == "125/KH-UBND"
    assert len(result.plan["tasks"]) == 3


def test_a_long_scan_stops_within_the_task_timeout_and_says_where(monkeypatch):
    pages = iter(range(100))

    def fake_ocr(png):
        next(pages)
        return ocr.OcrPage(
            lines=["1. Sở Nội vụ chủ trì rà soát biên chế của tỉnh."], confidence=95, seconds=40
        )

    monkeypatch.setattr(ocr, "ocr_available", lambda: True)
    monkeypatch.setattr(ocr, "ocr_png", fake_ocr)
    monkeypatch.setattr(ocr, "pdf_page_png", lambda data, reader, index: b"png")
    monkeypatch.setattr(ocr, "time_budget", lambda: 90.0)
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(6):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    doc = read_document(out.getvalue(), "dai.pdf")
    assert doc.ocr_pages == 3  # 40 + 40 + 40 s: over the 90 s budget after the third page
    assert any("từ trang 4" in p for p in doc.problems)
