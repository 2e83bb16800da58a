"""Reading a plan document into text blocks: .docx (paragraphs and tables), .pdf (its text layer; pages without
one through OCR), scanned pictures (.png, .jpg, .tiff, through OCR), .doc (converted by LibreOffice headless when
installed), .txt (UTF-8).

What a reader could not read (a page without text, a page read by OCR with low confidence, a table it could not
place) is listed in ``SourceDocument.problems`` (Vietnamese, for the review page).

Every failure becomes a ``DocumentReadError`` whose message tells the user, in Vietnamese, what is wrong with the
file and what to do; nothing else escapes ``read_document``.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext

from plantrack.core.archives import DOCX_LIMITS, ArchiveRefused, archive_check

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SUPPORTED = ".docx, .doc, .pdf (có lớp chữ hoặc bản scan), ảnh scan .png/.jpg/.tiff, .txt (UTF-8)"


class DocumentReadError(ValueError):
    """The file cannot be read as a plan document; ``str(error)`` is the message for the user."""


def human_size(size: int) -> str:
    """26 900 -> "26,3 KB"; 10 485 760 -> "10 MB" (decimal comma)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            value = f"{size / scale:.1f}".rstrip("0").rstrip(".")
            return f"{value.replace('.', ',')} {unit}"
    return f"{size} byte"


def max_bytes() -> int:
    if not settings.configured:
        return DEFAULT_MAX_BYTES
    return settings.PLANTRACK_IMPORT_MAX_BYTES


@dataclass
class Table:
    """A table as rows of cell texts (merged cells repeat their text, as Word reports them)."""

    rows: list[list[str]]


@dataclass
class SourceDocument:
    """What was read: the blocks in reading order (a paragraph is a str, a table a Table)."""

    kind: str
    filename: str
    blocks: list[str | Table] = field(default_factory=list)
    # What could not be read, one Vietnamese sentence each (shown in review as warnings).
    problems: list[str] = field(default_factory=list)
    ocr_pages: int = 0
    ocr_seconds: float = 0.0
    # The pages read by OCR (1-based) and tesseract's mean word confidence (0-100) on each, in the same order.
    ocr_page_numbers: list[int] = field(default_factory=list)
    ocr_confidences: list[float] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        """The text as the user sees it beside the extracted plan: paragraphs, then table rows as "a | b | c"."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Table):
                for row in block.rows:
                    # Word repeats the text of a merged cell in every cell it spans: show it once.
                    cells = [c for i, c in enumerate(row) if i == 0 or c != row[i - 1] or not c]
                    out.append(" | ".join(cell.replace("\n", " / ") for cell in cells))
            else:
                out.append(block)
        return out

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff]")


def clean_line(text: str) -> str:
    """NFC, no control characters, single spaces, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text).strip()


def read_document(data: bytes, filename: str = "") -> SourceDocument:
    """Read ``data`` (the uploaded file) by its content, using ``filename`` only for messages and as a hint."""
    limit = max_bytes()
    if len(data) > limit:
        raise DocumentReadError(
            gettext(
                "Tệp “%(filename)s” có dung lượng %(size)s, vượt giới hạn %(limit)s. Hãy tách phụ lục hoặc nén ảnh trong văn bản rồi thử lại."
            )
            % {"filename": filename, "size": human_size(len(data)), "limit": human_size(limit)}
        )
    if not data:
        raise DocumentReadError(gettext("Tệp “%(filename)s” rỗng.") % {"filename": filename})
    lower = filename.lower()
    try:
        if data.startswith(b"%PDF-"):
            return _read_pdf(data, filename)
        if data.startswith(b"PK\x03\x04"):
            return _read_docx(data, filename)
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            return _read_doc(data, filename)
        if data.startswith(_IMAGE_MAGIC):
            return _read_image(data, filename)
        if lower.endswith((".docx", ".pdf", ".doc", ".png", ".jpg", ".jpeg", ".tif", ".tiff")):
            raise DocumentReadError(
                gettext("Tệp “%(filename)s” bị hỏng hoặc không đúng định dạng như phần đuôi tên tệp.")
                % {"filename": filename}
            )
        return _read_text(data, filename)
    except DocumentReadError:
        raise
    except RecursionError as exc:
        raise DocumentReadError(
            gettext("Tệp “%(filename)s” có cấu trúc quá phức tạp hoặc bị hỏng, không đọc được.")
            % {"filename": filename}
        ) from exc
    except Exception as exc:  # noqa: BLE001 - any failure of a third-party reader is a damaged file for the user
        logger.info("plan import: cannot read %s: %r", filename, exc)
        raise DocumentReadError(
            gettext(
                "Không đọc được tệp “%(filename)s”: tệp bị hỏng hoặc không đúng định dạng. Định dạng hỗ trợ: %(SUPPORTED)s."
            )
            % {"filename": filename, "SUPPORTED": SUPPORTED}
        ) from exc


# --- plain text -----------------------------------------------------------------------------------------------


def _read_text(data: bytes, filename: str) -> SourceDocument:
    if b"\x00" in data[:4096]:
        raise DocumentReadError(
            gettext("Tệp “%(filename)s” không phải văn bản. Định dạng hỗ trợ: %(SUPPORTED)s.")
            % {"filename": filename, "SUPPORTED": SUPPORTED}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentReadError(
            gettext(
                "Tệp văn bản “%(filename)s” không mã hóa UTF-8 (có thể là TCVN3/VNI hoặc Windows-1258). Hãy mở tệp và lưu lại với mã hóa UTF-8."
            )
            % {"filename": filename}
        ) from exc
    pages = [[clean_line(line) for line in page.splitlines()] for page in text.split("\f")]
    lines = [line for page in pages for line in page if line]
    if looks_hard_wrapped(lines):
        # Text extracted from a PDF and saved as .txt: the same reflow as a PDF's text layer.
        lines = unwrap_lines(drop_running_lines([[x for x in page if x] for page in pages]))
    from .webtext import close_runs_at_blank_lines, looks_like_web_text, pipe_task_tables

    if looks_like_web_text(lines):
        if not looks_hard_wrapped(lines):
            lines = close_runs_at_blank_lines([line for page in pages for line in page])
        # Appendix task tables of a web page, cell after cell between "|" lines: tables, as in a .docx.
        lines = pipe_task_tables(lines)
    doc = SourceDocument("txt", filename, lines)
    if not doc.blocks:
        raise DocumentReadError(gettext("Tệp “%(filename)s” không có nội dung.") % {"filename": filename})
    return doc


# --- docx -----------------------------------------------------------------------------------------------------


def _read_docx(data: bytes, filename: str) -> SourceDocument:
    import docx
    from docx.table import Table as DocxTable

    try:
        archive_check(data, name=filename, limits=DOCX_LIMITS)  # before anything is decompressed
    except ArchiveRefused as exc:
        raise DocumentReadError(str(exc)) from exc
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise DocumentReadError(
            gettext(
                "Tệp “%(filename)s” là tệp nén nhưng không phải văn bản Word (.docx). Định dạng hỗ trợ: %(SUPPORTED)s."
            )
            % {"filename": filename, "SUPPORTED": SUPPORTED}
        )
    document = docx.Document(io.BytesIO(data))
    numbering = _Numbering(document)
    blocks: list[str | Table] = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            rows = []
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    cells.append("\n".join(t for t in (clean_line(p.text) for p in cell.paragraphs) if t))
                rows.append(cells)
            if any(any(c for c in row) for row in rows):
                blocks.append(Table(rows))
        else:
            text = clean_line(item.text)
            if text:
                blocks.append(numbering.prefix(item) + text)
    doc = SourceDocument("docx", filename, blocks)
    if not doc.blocks:
        raise DocumentReadError(
            gettext("Văn bản “%(filename)s” không có nội dung chữ.") % {"filename": filename}
        )
    return doc


class _Numbering:
    """Word's automatic list numbers are not part of the paragraph text; render the common formats ("1.", "a)",
    "I.", "-", "1.1.") so the outline survives."""

    _ROMAN = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def __init__(self, document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_numbering = self._style_numbering(document)
        try:
            part = document.part.numbering_part
        except (KeyError, NotImplementedError, AttributeError):
            return
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        root = part.element
        abstract = {}
        for node in root.findall("w:abstractNum", ns):
            levels = {}
            for lvl in node.findall("w:lvl", ns):
                ilvl = int(lvl.get(f"{{{ns['w']}}}ilvl", "0"))
                fmt = lvl.find("w:numFmt", ns)
                text = lvl.find("w:lvlText", ns)
                start = lvl.find("w:start", ns)
                levels[ilvl] = (
                    fmt.get(f"{{{ns['w']}}}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{{{ns['w']}}}val", "") if text is not None else "",
                    int(start.get(f"{{{ns['w']}}}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{{{ns['w']}}}abstractNumId")] = levels
        for num in root.findall("w:num", ns):
            ref = num.find("w:abstractNumId", ns)
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{{{ns['w']}}}val"), {}).items():
                self.formats[(num.get(f"{{{ns['w']}}}numId"), ilvl)] = spec

    def _style_numbering(self, document) -> dict[str, tuple[str | None, int | None, str | None]]:
        """style id -> (numId, ilvl, based-on style id), read once from styles.xml (python-docx's own style
        lookup scans every style for each paragraph)."""
        ns = {"w": self.W}
        out = {}
        try:
            root = document.styles.element
        except (KeyError, AttributeError, NotImplementedError):
            return out
        for style in root.findall("w:style", ns):
            num_id = style.find("w:pPr/w:numPr/w:numId", ns)
            ilvl = style.find("w:pPr/w:numPr/w:ilvl", ns)
            based = style.find("w:basedOn", ns)
            out[style.get(f"{{{self.W}}}styleId")] = (
                num_id.get(f"{{{self.W}}}val") if num_id is not None else None,
                int(ilvl.get(f"{{{self.W}}}val", "0")) if ilvl is not None else None,
                based.get(f"{{{self.W}}}val") if based is not None else None,
            )
        return out

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
            ilvl = ppr.numPr.ilvl
            return str(ppr.numPr.numId.val), int(ilvl.val) if ilvl is not None else 0
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            num_id, ilvl, based = self.style_numbering.get(style_id, (None, None, None))
            if num_id is not None:
                return num_id, ilvl or 0
            style_id = based
        return None

    def prefix(self, paragraph) -> str:
        if not self.formats:
            return ""
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        spec = self.formats.get((num_id, ilvl))
        if spec is None:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        if ilvl >= len(counters):
            return ""
        fmt, text, start = spec
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = 0
        if fmt == "bullet" or not text:
            return "- "
        out = text
        for level in range(ilvl + 1):
            level_fmt = self.formats.get((num_id, level), ("decimal", "", 1))[0]
            out = out.replace(f"%{level + 1}", self._render(counters[level] or 1, level_fmt))
        return out.strip() + " "

    def _render(self, n: int, fmt: str) -> str:
        if fmt in ("lowerLetter", "upperLetter"):
            letter = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
            return letter.upper() if fmt == "upperLetter" else letter
        if fmt in ("upperRoman", "lowerRoman"):
            out = ""
            for value, numeral in self._ROMAN:
                while n >= value:
                    out += numeral
                    n -= value
            return out if fmt == "upperRoman" else out.lower()
        return str(n)


# --- pdf ------------------------------------------------------------------------------------------------------

# A page with less text than this in its layer is taken as a scan (a page number or a stamp is not text).
MIN_PAGE_TEXT = 40


def _pdf_reader(data: bytes, filename: str):
    """pypdf's reader of the file: only for the pictures of scanned pages when poppler is missing (ocr.py)."""
    from pypdf import PdfReader

    # pypdf reports every recoverable oddity through logging; the user gets one message from us instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    return reader


def _password_error(filename: str) -> DocumentReadError:
    return DocumentReadError(
        gettext("Tệp PDF “%(filename)s” có mật khẩu. Hãy bỏ mật khẩu rồi tải lên lại.")
        % {"filename": filename}
    )


def _pdf_layout(data: bytes, filename: str):
    """The pages of the PDF read by PDFium (text and task tables, pdflayout.py); a password is a clear message."""
    import pypdfium2 as pdfium

    from . import pdflayout

    try:
        return pdflayout.read_layout(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _password_error(filename) from exc
        raise


def needs_ocr(data: bytes) -> bool:
    """Whether reading ``data`` takes OCR (a picture, or a PDF with a page without text layer): such imports run
    on the task queue, off the request. Never raises: a file it cannot tell about is read in the request, where its
    error is reported."""
    try:
        if data.startswith(_IMAGE_MAGIC):
            return True
        if data.startswith(b"%PDF-"):
            from . import pdflayout

            return any(count < MIN_PAGE_TEXT for count in pdflayout.page_text_sizes(data))
    except Exception:  # noqa: BLE001 - decided again, with its message, by read_document
        return False
    return False


def _read_pdf(data: bytes, filename: str) -> SourceDocument:
    from . import ocr

    layout = _pdf_layout(data, filename)
    # Each page as its items in reading order: lines (str) and task tables (Table).
    pages: list[list[str | Table]] = [
        [item for block in page.blocks for item in (block if isinstance(block, list) else [block])]
        for page in layout.pages
    ]
    problems: list[str] = list(layout.problems)
    scanned = [i for i, page in enumerate(layout.pages) if page.chars < MIN_PAGE_TEXT]
    ocr_pages = 0
    ocr_seconds = 0.0
    ocr_done: list[tuple[int, float]] = []
    picture_seconds = 0.0  # pages rendered to pictures for OCR
    reader = None
    if scanned and ocr.ocr_available():
        budget = ocr.time_budget()
        for n, i in enumerate(scanned):
            if ocr_seconds > budget:
                problems.append(
                    gettext(
                        "Nhận dạng chữ (OCR) dừng sau %(seconds)s giây: các trang không có lớp chữ từ trang %(page)s trở đi chưa được đọc. Hãy tách văn bản thành nhiều tệp nhỏ hơn."
                    )
                    % {"seconds": f"{ocr_seconds:.0f}", "page": i + 1}
                )
                break
            if n >= ocr.MAX_OCR_PAGES:
                problems.append(
                    gettext(
                        "Chỉ nhận dạng chữ (OCR) %(count)s trang đầu không có lớp chữ; các trang sau (từ trang %(page)s) không được đọc."
                    )
                    % {"count": ocr.MAX_OCR_PAGES, "page": i + 1}
                )
                break
            started = time.perf_counter()
            try:
                if reader is None and not ocr.has_pdftoppm():
                    reader = _pdf_reader(data, filename)
                png = ocr.pdf_page_png(data, reader, i)
                if png is None:
                    problems.append(
                        gettext("Trang %(page)s không có chữ và không có ảnh để nhận dạng; đã bỏ qua.")
                        % {"page": i + 1}
                    )
                    continue
                page = ocr.ocr_png(png)
            except Exception as exc:  # noqa: BLE001 - one unreadable page must not lose the others
                logger.info("plan import: OCR failed on %s page %s: %r", filename, i + 1, exc)
                problems.append(
                    gettext(
                        "Không nhận dạng được chữ trang %(page)s (ảnh hỏng hoặc quá lớn); hãy đối chiếu với bản giấy."
                    )
                    % {"page": i + 1}
                )
                continue
            ocr_pages += 1
            # The page's picture and its recognition: both are OCR time (apart from the import's own time).
            ocr_seconds += page.seconds  # tesseract's time: what the budget above is measured in, as before
            picture_seconds += max(0.0, time.perf_counter() - started - page.seconds)
            ocr_done.append((i + 1, page.confidence))
            pages[i] = [x for x in (clean_line(line) for line in page.lines) if x]
            if not pages[i]:
                problems.append(
                    gettext("Trang %(page)s không có chữ, kể cả khi nhận dạng chữ (OCR); đã bỏ qua.")
                    % {"page": i + 1}
                )
                continue
            problems.extend(_confidence_problem(page, i + 1))
    elif scanned and any(page.chars >= MIN_PAGE_TEXT for page in layout.pages):
        pages_text = ", ".join(str(i + 1) for i in scanned[:20])
        problems.append(
            gettext(
                "Các trang %(pages)s không có lớp chữ (bản scan) và máy chủ chưa cài nhận dạng chữ (OCR): nội dung các trang này chưa được đọc."
            )
            % {"pages": pages_text}
        )
    lines = drop_running_lines(pages)
    if sum(len(line) if isinstance(line, str) else MIN_PAGE_TEXT for line in lines) < 20:
        if scanned and not ocr.ocr_available():
            raise DocumentReadError(
                gettext(
                    "Tệp PDF “%(filename)s” không có lớp chữ (bản scan/ảnh chụp) và máy chủ chưa cài nhận dạng chữ (OCR: tesseract-ocr, tesseract-ocr-vie). Hãy tải lên bản .docx hoặc bản PDF xuất trực tiếp từ Word, hoặc nhờ quản trị viên cài OCR."
                )
                % {"filename": filename}
            )
        raise DocumentReadError(
            gettext(
                "Tệp PDF “%(filename)s” không có lớp chữ (bản scan/ảnh chụp) và nhận dạng chữ (OCR) không đọc được chữ nào. Hãy tải lên bản .docx, bản PDF xuất trực tiếp từ Word, hoặc bản quét rõ hơn (300 dpi)."
            )
            % {"filename": filename}
        )
    # Reported OCR time: the pictures and their recognition, apart from the import's own time.
    doc = SourceDocument(
        "pdf", filename, unwrap_lines(lines), problems, ocr_pages, ocr_seconds + picture_seconds
    )
    doc.ocr_page_numbers = [number for number, _ in ocr_done]
    doc.ocr_confidences = [confidence for _, confidence in ocr_done]
    return doc


def _confidence_problem(page, number: int) -> list[str]:
    from . import ocr

    if page.confidence >= ocr.LOW_CONFIDENCE:
        return []
    return [
        gettext(
            "Trang %(page)s được nhận dạng chữ (OCR) với độ tin cậy thấp (%(confidence)s%%): hãy đối chiếu kỹ số liệu, tên cơ quan với bản gốc."
        )
        % {"page": number, "confidence": f"{page.confidence:.0f}"}
    ]


# --- scanned pictures -----------------------------------------------------------------------------------------

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def _read_image(data: bytes, filename: str) -> SourceDocument:
    from . import ocr

    if not ocr.ocr_available():
        raise DocumentReadError(
            gettext(
                "Tệp “%(filename)s” là ảnh scan; máy chủ chưa cài nhận dạng chữ (OCR: tesseract-ocr, tesseract-ocr-vie) nên chưa đọc được. Hãy tải lên bản .docx hoặc PDF có lớp chữ, hoặc nhờ quản trị viên cài OCR."
            )
            % {"filename": filename}
        )
    try:
        frames = ocr.image_frames(data)
    except ocr.OcrError as exc:
        raise DocumentReadError(
            gettext("Ảnh “%(filename)s” quá lớn để nhận dạng chữ. Hãy quét lại ở 300 dpi.")
            % {"filename": filename}
        ) from exc
    pages: list[list[str]] = []
    problems: list[str] = []
    seconds = 0.0
    confidences: list[float] = []
    for n, png in enumerate(frames, start=1):
        page = ocr.ocr_png(png)
        seconds += page.seconds
        confidences.append(page.confidence)
        pages.append([x for x in (clean_line(line) for line in page.lines) if x])
        problems.extend(_confidence_problem(page, n))
    lines = drop_running_lines(pages)
    if sum(len(line) for line in lines) < 20:
        raise DocumentReadError(
            gettext(
                "Không nhận dạng được chữ trong ảnh “%(filename)s”. Hãy quét lại rõ hơn (300 dpi, thẳng trang)."
            )
            % {"filename": filename}
        )
    doc = SourceDocument("image", filename, unwrap_lines(lines), problems, len(frames), seconds)
    doc.ocr_page_numbers = list(range(1, len(frames) + 1))
    doc.ocr_confidences = confidences
    return doc


# --- Word 97-2003 (.doc) --------------------------------------------------------------------------------------

DOC_CONVERT_TIMEOUT_SECONDS = 90


def _run_in_own_group(args: list[str], *, timeout: float) -> None:
    """Run ``args`` in a process group of its own and, past ``timeout``, kill the whole group: LibreOffice's
    wrapper starts ``soffice.bin`` as a child that a plain timeout would leave running."""
    process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _read_doc(data: bytes, filename: str) -> SourceDocument:
    """A .doc converted to .docx by LibreOffice headless (its own profile directory, so concurrent conversions do
    not share a lock), then read as a .docx."""
    binary = soffice_binary()
    if not binary:
        raise DocumentReadError(
            gettext(
                "Tệp “%(filename)s” là tệp Word 97–2003 (.doc); máy chủ chưa cài LibreOffice để chuyển đổi. Hãy mở bằng Word và lưu lại dạng .docx."
            )
            % {"filename": filename}
        )
    with tempfile.TemporaryDirectory(prefix="plantrack-doc-") as tmp:
        source = Path(tmp) / "plan.doc"
        source.write_bytes(data)
        try:
            _run_in_own_group(
                [
                    binary,
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    tmp,
                    str(source),
                ],
                timeout=DOC_CONVERT_TIMEOUT_SECONDS,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            logger.info("plan import: soffice failed on %s: %r", filename, exc)
        converted = Path(tmp) / "plan.docx"
        if not converted.exists():
            raise DocumentReadError(
                gettext(
                    "Không chuyển đổi được tệp Word 97–2003 “%(filename)s” (tệp hỏng, có mật khẩu hoặc là tệp Excel cũ). Hãy mở bằng Word và lưu lại dạng .docx."
                )
                % {"filename": filename}
            )
        docx_bytes = converted.read_bytes()
    doc = _read_docx(docx_bytes, filename)
    doc.kind = "doc"
    return doc


_PAGE_NUMBER = re.compile(
    r"(?:Trang )?\d{1,3}(?: ?/ ?\d{1,3})?|[-–] ?\d{1,3} ?[-–]|Trang \d{1,3} (?:/|trên) \d{1,3}"
)
_MOTTO_LINE = re.compile(r"CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Độc lập\s*-\s*Tự do|ĐỘC LẬP\s*-\s*TỰ DO")


def looks_hard_wrapped(lines: list[str]) -> bool:
    """Text whose paragraphs were broken into visual lines of about the same width (a PDF's text saved as .txt):
    most lines run to a margin of 50-110 characters and do not end a sentence."""
    if len(lines) < 12:
        return False
    lengths = sorted(len(line) for line in lines)
    width = lengths[int(len(lengths) * 0.9) - 1]
    if not 50 <= width <= 110:
        return False
    open_full = sum(1 for x in lines if len(x) >= 0.75 * width and not x.endswith((".", ":", ";", "?", "!")))
    return open_full >= 0.2 * len(lines)


def drop_running_lines(pages: list[list]) -> list:
    """The lines of all pages without page numbers and running headers or footers: a line at the top or bottom
    (two lines) of a page that recurs at the top or bottom of another page, and is not an outline item. Tables
    (``Table`` items of a PDF page) are kept in their place."""
    # A page number alone on its line ends a page even where the text kept no page break.
    split: list[list] = []
    for page in pages:
        current: list = []
        for line in page:
            if isinstance(line, str) and _PAGE_NUMBER.fullmatch(line):
                split.append(current)
                current = []
            else:
                current.append(line)
        split.append(current)
    pages = [page for page in split if page]
    edges: dict[str, int] = {}
    for page in pages:
        for line in {x for x in (*page[:2], *page[-2:]) if isinstance(x, str)}:
            edges[line] = edges.get(line, 0) + 1
    running = {
        line
        for line, count in edges.items()
        if count >= 2 and len(line) <= 120 and not _BLOCK_START.match(line) and not _MOTTO_LINE.search(line)
    }
    out: list = []
    for page in pages:
        for i, line in enumerate(page):
            if isinstance(line, str) and line in running and (i < 2 or i >= len(page) - 2):
                continue
            out.append(line)
    return out


_BLOCK_START = re.compile(
    r"(?:[IVX]+\.|\d+(?:\.\d+)*\.(?!\d)|[a-zđ][).]|[-–•+*]|Số\s*:|Nơi nhận|PHỤ LỤC|Phụ lục|KẾ HOẠCH|"
    r"TM\.|KT\.|Căn cứ|Thực hiện)"
)
_DATE_LINE = re.compile(r".*, ngày .{0,3} ?tháng .{0,3} ?năm( \d{4})?")


def unwrap_lines(lines: list) -> list:
    """Join the visual lines of a PDF back into paragraphs. A line continues the previous one only when the
    previous line ran to the right margin (a wrapped line is nearly full width), did not end a sentence or a
    heading (". : ! ?"), and the line does not start a new block (an outline marker, a header line). A sentence
    that happens to end exactly at the margin is taken as the end of its paragraph."""
    if not any(isinstance(line, str) for line in lines):
        return list(lines)
    lengths = sorted(len(line) for line in lines if isinstance(line, str))
    width = lengths[int(len(lengths) * 0.9) - 1 if len(lengths) > 1 else 0]
    # Lines read from a PDF page carry their position (pdflayout.PdfLine): a line that starts indented opens a
    # paragraph, and "ran to the margin" is measured in points rather than characters.
    placed = [line for line in lines if getattr(line, "right", 0) > 0]
    geometry = len(placed) >= 0.8 * len(lengths) and len(placed) >= 5
    if geometry:
        lefts = sorted(line.left for line in placed)
        rights = sorted(line.right for line in placed)
        left_margin = lefts[int(len(lefts) * 0.1)]
        right_margin = rights[int(len(rights) * 0.9) - 1]
        # Paragraphs set with a first-line indent: then an unindented line after a full one continues it even
        # after ". :" (a sentence or a "Dự án 1:" that ends at the margin), and an indented line never does.
        indents = sum(1 for line in placed if line.left > left_margin + 6)
        indented_style = indents >= 0.1 * len(placed)
    out: list = []
    last_visual = ""
    for line in lines:
        if not isinstance(line, str):
            out.append(line)  # a table ends the paragraph before it
            continue
        if out and isinstance(out[-1], str):
            prev = out[-1]
            starts_block = (
                bool(_BLOCK_START.match(line))
                or bool(_DATE_LINE.match(line))
                or bool(_MOTTO_LINE.search(line) or _MOTTO_LINE.search(prev))
            )
            # ";" does not close: running text wraps after "…;" as often as a list item ends with it.
            prev_closed = prev.endswith((".", ":", "!", "?")) or bool(_DATE_LINE.match(prev))
            # A lone abbreviation wrapped onto its own line ("CCHC.") is no change to capitals.
            caps_change = _mostly_upper(last_visual) != _mostly_upper(line) and len(line.split()) > 1
            if geometry and getattr(line, "right", 0) > 0 and getattr(last_visual, "right", 0) > 0:
                full = last_visual.right >= right_margin - 15 and line.left <= left_margin + 6
                if indented_style and full:
                    prev_closed = prev.endswith(("!", "?")) or bool(_DATE_LINE.match(prev))
            else:
                full = len(last_visual) >= 0.75 * width
            if prev.endswith(" năm") and _DATE_LINE.match(prev) and re.match(r"\d{4}\b", line):
                out[-1] = f"{prev} {line}"  # "…, ngày 02 tháng 6 năm" + "2025": a date wrapped in its column
                last_visual = line
                continue
            if full and not starts_block and not prev_closed and not caps_change:
                # "NQ-" + "HĐND" is one word broken at its hyphen; "2021 -" + "2030" keeps its space.
                hyphen = prev.endswith("-") and len(prev) > 1 and not prev[-2].isspace()
                out[-1] = f"{prev}{line}" if hyphen else f"{prev} {line}"
                last_visual = line
                continue
        out.append(line)
        last_visual = line
    return out


_NOT_LETTER = re.compile(r"[\W\d_]+")


def _mostly_upper(text: str) -> bool:
    letters = _NOT_LETTER.sub("", text)
    return bool(letters) and sum(map(str.isupper, letters)) >= 0.8 * len(letters)
