"""Evidence files: type by content, size limit, corrupt files; refusals keep the rest of the form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plantrack.reporting.models import Evidence
from plantrack.reporting.services import ReportingError, evidence_add_file, evidence_add_link
from plantrack.reporting.uploads import MAX_EVIDENCE_BYTES, UploadRejected, check_evidence_file

from . import samples


def up(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "maker", "mime"),
    [
        ("bao-cao.pdf", samples.pdf, "application/pdf"),
        ("anh.png", samples.png, "image/png"),
        ("anh.jpg", samples.jpeg, "image/jpeg"),
        (
            "van-ban.docx",
            samples.docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("so-lieu.xlsx", samples.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_allowed_types_are_recognised_by_content(name, maker, mime):
    assert check_evidence_file(up(name, maker())).content_type == mime


def test_the_name_does_not_matter_only_the_content():
    # A real PDF named .docx is still a PDF, and is stored as .pdf.
    checked = check_evidence_file(up("ten-sai.docx", samples.pdf()))
    assert (checked.content_type, checked.extension) == ("application/pdf", ".pdf")


@pytest.mark.parametrize(
    ("name", "data", "found"),
    [
        (
            "bao-cao.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100,
            "EXE",
        ),  # a program disguised as a PDF
        ("bao-cao.pdf", b"<html><script>alert(1)</script></html>", "không xác định"),
        ("anh.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "GIF"),
        ("van-ban.docx", samples.zip_without_office_parts(), "ZIP"),
    ],
)
def test_wrong_type_disguised_by_extension_is_refused(name, data, found):
    with pytest.raises(UploadRejected) as err:
        check_evidence_file(up(name, data))
    assert "không phải định dạng được chấp nhận" in str(err.value) and found in str(err.value)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cat-cut.pdf", samples.pdf()[:60]),
        ("anh.png", samples.png()[:30]),
        ("anh.jpg", samples.jpeg()[:-2]),
        ("van-ban.docx", samples.docx()[:2000]),
        ("so-lieu.xlsx", samples.xlsx()[:-200]),
    ],
)
def test_corrupt_files_are_refused(name, data):
    with pytest.raises(UploadRejected, match="bị hỏng"):
        check_evidence_file(up(name, data))


def test_oversize_is_refused_with_the_size():
    big = up("lon.pdf", samples.pdf() + b"0" * (MAX_EVIDENCE_BYTES + 10))
    with pytest.raises(UploadRejected, match="vượt quá giới hạn 20 MB"):
        check_evidence_file(big)


def test_exactly_20_mb_is_accepted():
    data = samples.pdf()
    data = data[:-6] + b" " * (MAX_EVIDENCE_BYTES - len(data)) + data[-6:]
    assert check_evidence_file(up("vua.pdf", data)).size == MAX_EVIDENCE_BYTES


def test_empty_file_is_refused():
    with pytest.raises(UploadRejected, match="rỗng"):
        check_evidence_file(up("rong.pdf", b""))


def test_file_is_stored_under_a_generated_name(world, cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = world.report(cycle, world.a)
    entry = report.entries.first()
    ev = evidence_add_file(
        actor=world.reporter_a,
        report=report,
        entry=entry,
        upload=up("../../etc/Báo cáo quý.pdf", samples.pdf()),
    )
    assert ev.original_name.endswith("Báo cáo quý.pdf")
    assert ev.file.name.startswith("evidence/") and ev.file.name.endswith(".pdf")
    assert "Báo" not in ev.file.name and ".." not in ev.file.name
    assert (tmp_path / ev.file.name).read_bytes() == samples.pdf()
    assert len(ev.sha256) == 64


def test_refused_upload_stores_nothing(world, cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = world.report(cycle, world.a)
    with pytest.raises(ReportingError, match="không phải định dạng"):
        evidence_add_file(actor=world.reporter_a, report=report, upload=up("x.pdf", b"MZ" + b"\x00" * 64))
    assert not Evidence.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_other_agency_cannot_attach(world, cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ReportingError):
        evidence_add_file(
            actor=world.reporter_b, report=world.report(cycle, world.a), upload=up("x.pdf", samples.pdf())
        )


def test_links_must_be_http(world, cycle):
    report = world.report(cycle, world.a)
    with pytest.raises(ReportingError, match="http"):
        evidence_add_link(actor=world.reporter_a, report=report, url="javascript:alert(1)")
    ev = evidence_add_link(actor=world.reporter_a, report=report, url="https://dongnai.gov.vn/van-ban/123")
    assert ev.kind == "link"


def test_uploads_and_downloads_are_in_the_security_log(client, world, cycle, settings, tmp_path):
    from django.urls import reverse

    from plantrack.security.models import SecurityEvent

    settings.MEDIA_ROOT = tmp_path
    report = world.report(cycle, world.a)
    evidence = evidence_add_file(actor=world.reporter_a, report=report, upload=up("a.pdf", samples.pdf()))
    assert SecurityEvent.objects.filter(action="upload", actor=world.reporter_a).exists()
    client.force_login(world.reporter_a)
    client.get(reverse("reporting:evidence_download", args=[evidence.pk]))
    assert SecurityEvent.objects.filter(action="export", actor=world.reporter_a).exists()
