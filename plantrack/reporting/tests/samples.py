"""Small, valid and invalid files for upload tests, made in memory."""

import io
import struct
import zlib

from docx import Document
from openpyxl import Workbook


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"\x00\xff\x00\x00"  # one red pixel, filter byte 0
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    # SOI, APP0 JFIF header, then EOI: enough for the signature and the end marker checks.
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
    )


def docx() -> bytes:
    out = io.BytesIO()
    doc = Document()
    doc.add_paragraph("Báo cáo kết quả thực hiện")
    doc.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    out = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "Số liệu"
    wb.save(out)
    return out.getvalue()


def zip_without_office_parts() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "không phải tệp Word")
    return out.getvalue()
