"""One guard for every .xlsx/.docx/.zip the product opens: refuse zip bombs and hostile XML before parsing.

A 1 MB .docx can expand to gigabytes; the upload size limits only count compressed bytes. ``archive_check`` looks
at what the archive *declares* before anything is decompressed, then streams its XML parts through expat:

1. the end-of-central-directory record: member count and central-directory size (so even listing the members is
   bounded);
2. every member's declared size: per member, in total, and the compression ratio of large members;
3. every XML part (``*.xml``, ``*.rels``): no DTD (OOXML never has one: it is how entity-expansion attacks start),
   bounded nesting depth and element count. Parts are streamed in chunks, never held whole.

Declared sizes can be trusted as upper bounds: Python's ``zipfile`` (used by openpyxl and python-docx) stops
decompressing a member at its declared size and then fails on the CRC, so a member that lies cannot expand further.

How readers call it (before handing the bytes to the library)::

    from plantrack.core.archives import ArchiveRefused, archive_check

    archive_check(data, name=filename)          # bytes, a binary file object or an open zipfile.ZipFile

``ArchiveRefused`` carries a Vietnamese message for the user (``str(error)``); a file that is not a zip at all
raises ``zipfile.BadZipFile`` as ``zipfile`` would, so callers keep their own "not a Word/Excel file" message.
Limits differ per kind (``XLSX_LIMITS``, ``DOCX_LIMITS``, ``EVIDENCE_LIMITS``); pass ``limits=``.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int = 2000
    max_total_bytes: int = 100 * MB
    max_member_bytes: int = 50 * MB
    # Deflate reaches ~1000:1 on repeated bytes; real OOXML parts stay well under 100:1 (measured on the
    # product's own workbooks: < 40:1). Small members are exempt: their ratio says nothing.
    max_ratio: int = 200
    ratio_floor_bytes: int = 1 * MB
    max_xml_depth: int = 128
    max_xml_elements: int = 2_000_000


# The report workbook: one row per task, a few sections. 20 MB of XML is far beyond any real report.
XLSX_LIMITS = ArchiveLimits(max_total_bytes=20 * MB, max_member_bytes=16 * MB, max_xml_elements=1_000_000)
# A plan document: text and tables plus pictures (stored, barely compressible).
DOCX_LIMITS = ArchiveLimits(max_total_bytes=100 * MB, max_member_bytes=50 * MB)
# Evidence is only checked for structure, never parsed: allow large real files, still refuse bombs.
EVIDENCE_LIMITS = ArchiveLimits(
    max_total_bytes=200 * MB, max_member_bytes=100 * MB, max_xml_elements=5_000_000
)

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 65535
_CHUNK = 64 * 1024


class ArchiveRefused(ValueError):
    """The archive exceeds a limit; ``str(error)`` is the message for the user."""


def _human(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"
    return f"{size / 1024:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " KB"


def _refuse(name: str, why: str) -> ArchiveRefused:
    return ArchiveRefused(
        _(
            "Tệp “%(name)s” không được mở vì %(why)s. Tệp có thể bị hỏng hoặc được tạo để gây quá tải hệ thống."
        )
        % {"name": name or _("tải lên"), "why": why}
    )


def _check_end_record(fp, limits: ArchiveLimits, name: str) -> None:
    """Bound the member count and the central directory before ``zipfile`` builds one object per member."""
    fp.seek(0, io.SEEK_END)
    size = fp.tell()
    tail_size = min(size, _EOCD_SIZE + _MAX_COMMENT)
    fp.seek(size - tail_size)
    tail = fp.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        raise zipfile.BadZipFile("no end of central directory record")
    _sig, _disk, _cd_disk, _disk_entries, entries, cd_size, _cd_offset, _comment = struct.unpack(
        "<4s4H2LH", tail[at : at + _EOCD_SIZE]
    )
    # 0xFFFF / 0xFFFFFFFF mean "see the zip64 record": no office file of ours needs that many members.
    if entries > limits.max_members or entries == 0xFFFF:
        raise _refuse(name, _("có quá nhiều thành phần nén (%(n)s)") % {"n": entries})
    if cd_size > limits.max_members * 1024 or cd_size == 0xFFFFFFFF:
        raise _refuse(name, _("danh mục tệp nén quá lớn"))


def _check_members(zf: zipfile.ZipFile, limits: ArchiveLimits, name: str) -> None:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise _refuse(name, _("có quá nhiều thành phần nén (%(n)s)") % {"n": len(infos)})
    total = 0
    for info in infos:
        if info.file_size > limits.max_member_bytes:
            raise _refuse(
                name,
                _("thành phần “%(part)s” khi giải nén lớn %(size)s, vượt giới hạn %(limit)s")
                % {
                    "part": info.filename,
                    "size": _human(info.file_size),
                    "limit": _human(limits.max_member_bytes),
                },
            )
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise _refuse(
                name,
                _("thành phần “%(part)s” có tỉ lệ nén bất thường (%(ratio)s:1)")
                % {"part": info.filename, "ratio": info.file_size // max(info.compress_size, 1)},
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _refuse(
                name,
                _("nội dung giải nén vượt giới hạn %(limit)s") % {"limit": _human(limits.max_total_bytes)},
            )


def _check_xml(zf: zipfile.ZipFile, limits: ArchiveLimits, name: str) -> None:
    elements = 0
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")) or info.is_dir():
            continue
        depth = 0
        parser = expat.ParserCreate()

        def start(_tag, _attrs):
            nonlocal depth, elements
            depth += 1
            elements += 1
            if depth > limits.max_xml_depth:
                raise _refuse(name, _("phần XML “%(part)s” lồng nhau quá sâu") % {"part": info.filename})  # noqa: B023
            if elements > limits.max_xml_elements:
                raise _refuse(name, _("phần XML có quá nhiều phần tử"))

        def end(_tag):
            nonlocal depth
            depth -= 1

        def doctype(*_args):
            raise _refuse(name, _("phần XML “%(part)s” có khai báo DTD") % {"part": info.filename})  # noqa: B023

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        try:
            with zf.open(info) as member:
                for chunk in iter(lambda member=member: member.read(_CHUNK), b""):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError:
            # Malformed XML is the reading library's business: it reports it in its own words.
            continue


def archive_check(source, *, name: str = "", limits: ArchiveLimits | None = None) -> None:
    """Raise ``ArchiveRefused`` if the zip archive ``source`` exceeds ``limits``; return None when it is safe to
    hand to openpyxl / python-docx / zipfile. ``source``: bytes, a seekable binary file object (position restored)
    or an open ``zipfile.ZipFile``. Not a zip: ``zipfile.BadZipFile``."""
    limits = limits or ArchiveLimits()
    if isinstance(source, zipfile.ZipFile):
        _check_members(source, limits, name)
        _check_xml(source, limits, name)
        return
    fp = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    position = fp.tell()
    try:
        _check_end_record(fp, limits, name)
        fp.seek(0)
        with zipfile.ZipFile(fp) as zf:
            _check_members(zf, limits, name)
            _check_xml(zf, limits, name)
    finally:
        fp.seek(position)
