"""Property tests of the readers (issue 13, point 7): whatever the bytes, and whatever they claim to be (PDF, zip,
Word 97, PNG/JPEG/TIFF, text), reading raises nothing but DocumentReadError (a clear message) and import_document
nothing but PlanImportError."""

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantrack.plans.importing import PlanImportError, import_document, readers
from plantrack.plans.importing.readers import DocumentReadError, read_document

from .foreign_documents import lao_cai_docx

SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MAGICS = [
    b"",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    b"II*\x00",
    b"MM\x00*",
]
NAMES = ["kh.pdf", "kh.docx", "kh.txt", "scan.png", "scan.jpg", "scan.tiff", "", "kh"]


def _read(data: bytes, name: str):
    try:
        read_document(data, name)
    except DocumentReadError as exc:
        assert str(exc).strip()  # a message for the user, never empty


@SETTINGS
@given(st.sampled_from(MAGICS), st.binary(max_size=4096), st.sampled_from(NAMES))
def test_no_exception_but_a_clear_message_escapes_the_readers(magic, body, name):
    _read(magic + body, name)


_DOCX = lao_cai_docx()


@SETTINGS
@given(st.integers(min_value=0, max_value=len(_DOCX) - 1), st.binary(min_size=1, max_size=64))
def test_a_damaged_docx_is_a_clear_message(offset, patch):
    _read(_DOCX[:offset] + patch + _DOCX[offset + len(patch) :], "kh.docx")


@SETTINGS
@given(st.binary(max_size=2048))
def test_a_zip_with_a_random_document_part_is_a_clear_message(xml):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    _read(out.getvalue(), "kh.docx")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(MAGICS), st.binary(max_size=2048), st.sampled_from(NAMES))
def test_no_exception_but_a_clear_message_escapes_import(registry_2024, magic, body, name):
    try:
        import_document(magic + body, name, registry=registry_2024)
    except PlanImportError as exc:
        assert str(exc).strip()


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=600))
def test_needs_ocr_never_raises(body):
    for magic in MAGICS:
        assert readers.needs_ocr(magic + body) in (True, False)
