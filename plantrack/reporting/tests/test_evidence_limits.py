"""Evidence: a size limit set per kind in settings and checked by the form; a zip bomb disguised as a .docx is
refused without being decompressed; the download name's extension follows the detected type."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from plantrack.reporting.forms import SignedReportForm
from plantrack.reporting.services import evidence_add_file
from plantrack.reporting.uploads import UploadRejected, check_evidence_file, download_name

from . import samples


def up(name, data):
    return SimpleUploadedFile(name, data)


@override_settings(PLANTRACK_EVIDENCE_MAX_BYTES=1024)
def test_evidence_limit_comes_from_settings_in_the_form_and_the_check():
    data = samples.pdf() + b" " * 2048
    form = SignedReportForm(files={"file": up("ky-so.pdf", data)})
    assert not form.is_valid()
    assert "vượt quá giới hạn 1 KB" in form.errors["file"][0]
    with pytest.raises(UploadRejected, match="vượt quá giới hạn 1 KB"):
        check_evidence_file(up("ky-so.pdf", data))


def test_docx_zip_bomb_is_refused_before_decompression():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(samples.docx())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf,
    ):
        for info in source.infolist():
            zf.writestr(info, source.read(info))
        with zf.open("word/media/bomb.bin", "w") as bomb:
            for _ in range(8):  # 8 MB of zeros: a 1000:1 ratio
                bomb.write(b"\0" * 1024 * 1024)
    with pytest.raises(UploadRejected, match="không được mở"):
        check_evidence_file(up("bao-cao.docx", out.getvalue()))


@pytest.mark.parametrize(
    ("original", "extension", "expected"),
    [
        ("x.html", ".pdf", "x.pdf"),
        ("bao cao.PDF", ".pdf", "bao cao.PDF"),
        ("anh.jpeg", ".jpg", "anh.jpeg"),
        ("khong-duoi", ".png", "khong-duoi.png"),
        ("..\\..\\x.svg", ".png", "x.png"),
        ("", ".pdf", "minh-chung-7.pdf"),
    ],
)
def test_download_name_gets_the_detected_extension(original, extension, expected):
    assert download_name(original, extension, "minh-chung-7") == expected


def test_a_pdf_uploaded_as_html_downloads_as_pdf(world, cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = world.report(cycle, world.a)
    evidence = evidence_add_file(actor=world.reporter_a, report=report, upload=up("x.html", samples.pdf()))
    assert evidence.original_name == "x.html"
    assert evidence.download_name == "x.pdf"
