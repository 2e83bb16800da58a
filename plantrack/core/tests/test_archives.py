"""The shared archive guard refuses zip bombs and hostile XML before any library parses the file."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from plantrack.core.archives import (
    DOCX_LIMITS,
    XLSX_LIMITS,
    ArchiveLimits,
    ArchiveRefused,
    archive_check,
)

MB = 1024 * 1024


def make_zip(members: dict[str, bytes | int], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """``members``: name -> content, or name -> a number of spaces (written in chunks, never held whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as zf:
        for name, content in members.items():
            if isinstance(content, int):
                with zf.open(name, "w") as member:
                    chunk = b" " * MB
                    for _ in range(content // MB):
                        member.write(chunk)
                    member.write(b" " * (content % MB))
            else:
                zf.writestr(name, content)
    return out.getvalue()


def real_xlsx() -> bytes:
    wb = Workbook()
    for row in range(1, 200):
        wb.active.append([row, f"Nội dung {row}", "Đang triển khai"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_real_workbook_passes_and_the_position_is_kept():
    upload = io.BytesIO(real_xlsx())
    upload.seek(7)
    archive_check(upload, name="bao-cao.xlsx", limits=XLSX_LIMITS)
    assert upload.tell() == 7


def test_50_mb_expanded_workbook_is_refused_quickly():
    data = make_zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": 50 * MB})
    assert len(data) < MB
    started = time.perf_counter()
    with pytest.raises(ArchiveRefused, match="bom-nen.xlsx"):
        archive_check(data, name="bom-nen.xlsx", limits=XLSX_LIMITS)
    assert time.perf_counter() - started < 2


def test_total_size_counts_every_member():
    limits = ArchiveLimits(max_total_bytes=3 * MB, max_member_bytes=2 * MB, max_ratio=10_000)
    data = make_zip({f"part{i}.bin": MB for i in range(4)})
    with pytest.raises(ArchiveRefused, match="vượt giới hạn 3 MB"):
        archive_check(data, limits=limits)


def test_per_member_cap():
    limits = ArchiveLimits(max_member_bytes=MB, max_ratio=10_000)
    with pytest.raises(ArchiveRefused, match="big.bin"):
        archive_check(make_zip({"big.bin": 2 * MB}), limits=limits)


def test_compression_ratio_cap_on_large_members():
    with pytest.raises(ArchiveRefused, match="tỉ lệ nén"):
        archive_check(make_zip({"zeros.bin": 5 * MB}), limits=DOCX_LIMITS)
    # The same bytes stored without compression are not suspicious.
    archive_check(make_zip({"stored.bin": 5 * MB}, compression=zipfile.ZIP_STORED), limits=DOCX_LIMITS)


def test_member_count_is_read_from_the_end_record_before_listing():
    limits = ArchiveLimits(max_members=50)
    with pytest.raises(ArchiveRefused, match="quá nhiều thành phần"):
        archive_check(make_zip({f"p{i}.xml": b"<a/>" for i in range(51)}), limits=limits)


def test_xml_with_a_dtd_is_refused():
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><root>&lol;</root>'
    with pytest.raises(ArchiveRefused, match="DTD"):
        archive_check(make_zip({"word/document.xml": laughs}))


def test_xml_depth_and_element_caps():
    deep = b"<a>" * 200 + b"</a>" * 200
    with pytest.raises(ArchiveRefused, match="lồng nhau quá sâu"):
        archive_check(make_zip({"word/document.xml": deep}))
    many = b"<r>" + b"<c/>" * 1000 + b"</r>"
    with pytest.raises(ArchiveRefused, match="quá nhiều phần tử"):
        archive_check(make_zip({"xl/sharedStrings.xml": many}), limits=ArchiveLimits(max_xml_elements=500))


def test_not_a_zip_is_left_to_the_caller():
    with pytest.raises(zipfile.BadZipFile):
        archive_check(b"%PDF-1.7 not a zip")


def test_an_open_zipfile_can_be_checked():
    with zipfile.ZipFile(io.BytesIO(make_zip({"big.bin": 2 * MB}))) as zf, pytest.raises(ArchiveRefused):
        archive_check(zf, limits=ArchiveLimits(max_member_bytes=MB, max_ratio=10_000))
