"""Checks on uploaded evidence: size, and type by content (never by the file's name).

``filetype`` (pure Python, no libmagic) recognises the signature; each format then gets a structural check so a
truncated or corrupt file is refused too: a PDF must end with ``%%EOF``, a PNG with its IEND chunk, a JPEG with the
EOI marker, and DOCX/XLSX must be readable zip archives declaring the right main part in ``[Content_Types].xml``.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from plantrack.core.archives import EVIDENCE_LIMITS, ArchiveRefused, archive_check
from plantrack.core.uploads import human_size

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024  # default of settings.PLANTRACK_EVIDENCE_MAX_BYTES

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED = {
    "application/pdf": ".pdf",
    DOCX: ".docx",
    XLSX: ".xlsx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}
# Main part each OOXML kind must declare (ECMA-376 part 1, content types of the main document parts).
_OOXML_MAIN = {
    DOCX: (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    XLSX: ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}


class UploadRejected(ValueError):
    """The message says why, in words the uploader understands."""


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str


def allowed_types_text() -> str:
    return "PDF, DOCX, XLSX, PNG, JPEG"


def evidence_max_bytes() -> int:
    return int(getattr(settings, "PLANTRACK_EVIDENCE_MAX_BYTES", MAX_EVIDENCE_BYTES))


def download_name(original: str, extension: str, fallback: str) -> str:
    """The name a stored file is downloaded under: the uploader's name with the extension of the type detected
    from its content (a PDF uploaded as ``x.html`` downloads as ``x.pdf``), so the receiving program opens it as
    what it is."""
    stem = PurePosixPath((original or "").replace("\\", "/")).name
    if not extension:
        return stem or fallback
    if stem.lower().endswith(extension) or (extension == ".jpg" and stem.lower().endswith(".jpeg")):
        return stem
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    return (stem or fallback) + extension


def check_evidence_file(upload) -> CheckedUpload:
    """Validate an uploaded file (a Django ``UploadedFile`` or any binary file object with ``.size``)."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise UploadRejected(_("Tệp “%(name)s” rỗng.") % {"name": name})
    limit = evidence_max_bytes()
    if size > limit:
        raise UploadRejected(
            _("Tệp “%(name)s” có dung lượng %(size)s, vượt quá giới hạn %(limit)s.")
            % {"name": name, "size": human_size(size), "limit": human_size(limit)}
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime == "application/zip":
        # filetype only looks at the first bytes; an OOXML file whose parts come in another order reads as zip.
        mime = _ooxml_kind(data)
    if mime not in ALLOWED:
        found = kind.extension.upper() if kind else _("không xác định")
        raise UploadRejected(
            _(
                "Tệp “%(name)s” không phải định dạng được chấp nhận (%(allowed)s); nội dung thực của tệp: %(found)s."
            )
            % {"name": name, "allowed": allowed_types_text(), "found": found}
        )
    if mime in _OOXML_MAIN:
        try:
            archive_check(data, name=name, limits=EVIDENCE_LIMITS)  # before testzip decompresses every member
        except ArchiveRefused as exc:
            raise UploadRejected(str(exc)) from exc
        except zipfile.BadZipFile:
            pass  # _structure_problem says so in the uploader's words
    problem = _structure_problem(mime, data)
    if problem:
        raise UploadRejected(
            _("Tệp “%(name)s” bị hỏng hoặc không đọc được: %(why)s.") % {"name": name, "why": problem}
        )
    return CheckedUpload(
        content_type=mime, extension=ALLOWED[mime], size=size, sha256=hashlib.sha256(data).hexdigest()
    )


def _ooxml_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        return None
    for mime, (part, _ct) in _OOXML_MAIN.items():
        if part in names:
            return mime
    return "application/zip"


def _structure_problem(mime: str, data: bytes) -> str | None:
    if mime == "application/pdf":
        return None if b"%%EOF" in data[-2048:] else _("thiếu phần kết thúc của tệp PDF")
    if mime == "image/png":
        return None if data.rstrip(b"\0").endswith(b"IEND\xaeB`\x82") else _("ảnh PNG không đầy đủ")
    if mime == "image/jpeg":
        return None if b"\xff\xd9" in data[-64:] else _("ảnh JPEG không đầy đủ")
    if mime in _OOXML_MAIN:
        part, content_type = _OOXML_MAIN[mime]
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if zf.testzip() is not None:
                    return _("tệp nén bên trong bị lỗi")
                if "[Content_Types].xml" not in zf.namelist() or part not in zf.namelist():
                    return _("thiếu thành phần bắt buộc của tệp Office")
                if content_type not in zf.read("[Content_Types].xml").decode("utf-8", "replace"):
                    return _("khai báo kiểu nội dung không đúng")
        except (zipfile.BadZipFile, OSError, EOFError, KeyError):
            return _("tệp nén bên trong bị lỗi")
    return None
