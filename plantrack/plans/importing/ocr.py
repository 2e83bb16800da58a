"""Optical character recognition of scanned plans: Debian's ``tesseract`` with the Vietnamese data (``vie``).

The binary is called as a subprocess (no Python wrapper: the command line is three arguments and its TSV output
carries the per-word confidence we report). Installed by the project's set-up (``.ci/run``: tesseract-ocr,
tesseract-ocr-vie, poppler-utils); never downloaded at run time. Where it is missing, ``ocr_available()`` is False
and the readers say so in their message instead of failing.

PDF pages are rasterised with ``pdftoppm`` (poppler-utils) with the long side at A4 300 dpi (3508 px) when present; otherwise the largest image of
the page is taken from the PDF itself through pypdf (a scanned PDF holds one full-page picture per page), so a
machine without poppler still reads the usual scans. See docs/decisions.md ("OCR of scanned plans").
"""

from __future__ import annotations

import functools
import io
import logging
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

LANGUAGE = "vie"
MAX_PAGE_SIDE_PX = 3508  # A4's long side at 300 dpi
PAGE_TIMEOUT_SECONDS = 60
MAX_OCR_PAGES = 40
# A page whose words average below this confidence (0-100, tesseract's own) is reported to the reviewer.
LOW_CONFIDENCE = 70
# Pillow refuses pictures larger than this before decoding them (a 1 MB PNG can declare 10^10 pixels).
MAX_IMAGE_PIXELS = 60_000_000


def time_budget() -> float:
    """Seconds of OCR one document may take: three quarters of the task timeout (the worker is stopped at
    ``TASK_TIMEOUT_SECONDS``), so a long scan is read in part, with the rest reported, instead of killed."""
    from django.conf import settings

    timeout = settings.TASK_TIMEOUT_SECONDS if settings.configured else 120
    return max(10.0, 0.75 * timeout)


class OcrError(RuntimeError):
    """OCR could not run on this page/image; ``str(error)`` says why (English, for the log)."""


@dataclass
class OcrPage:
    lines: list[str] = field(default_factory=list)
    confidence: float = 0.0  # mean word confidence, 0-100
    seconds: float = 0.0


@functools.cache
def ocr_available() -> bool:
    """tesseract is installed with the Vietnamese language data."""
    binary = shutil.which("tesseract")
    if not binary:
        return False
    try:
        out = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [binary, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in out.stdout.split()


def _to_png(image_bytes: bytes) -> bytes:
    """Any picture Pillow opens (PNG, JPEG, TIFF first frame …) as greyscale PNG; refuses pixel bombs."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    with Image.open(io.BytesIO(image_bytes)) as image:
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise OcrError(f"image too large: {width}x{height}")
        image.load()
        grey = image.convert("L")
    out = io.BytesIO()
    grey.save(out, format="PNG")
    return out.getvalue()


def image_frames(image_bytes: bytes, limit: int = MAX_OCR_PAGES) -> list[bytes]:
    """The frames of a picture as PNG bytes (a multi-page TIFF is one scanned page per frame)."""
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    frames = []
    with Image.open(io.BytesIO(image_bytes)) as image:
        for frame in ImageSequence.Iterator(image):
            if len(frames) >= limit:
                break
            width, height = frame.size
            if width * height > MAX_IMAGE_PIXELS:
                raise OcrError(f"image too large: {width}x{height}")
            out = io.BytesIO()
            frame.convert("L").save(out, format="PNG")
            frames.append(out.getvalue())
    return frames


def ocr_png(png: bytes) -> OcrPage:
    """Recognise one page (PNG bytes). Raises OcrError when tesseract fails or runs too long."""
    binary = shutil.which("tesseract")
    if not binary:
        raise OcrError("tesseract not installed")
    started = time.perf_counter()
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [binary, "stdin", "stdout", "-l", LANGUAGE, "--psm", "4", "tsv"],
            input=png,
            capture_output=True,
            timeout=PAGE_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"tesseract ran over {PAGE_TIMEOUT_SECONDS} s") from exc
    except OSError as exc:
        raise OcrError(f"tesseract failed to start: {exc}") from exc
    if done.returncode != 0:
        raise OcrError(f"tesseract exit {done.returncode}: {done.stderr[-300:]!r}")
    page = parse_tsv(done.stdout.decode("utf-8", "replace"))
    page.seconds = time.perf_counter() - started
    return page


def parse_tsv(tsv: str) -> OcrPage:
    """Lines of words (tesseract's TSV: level 5 rows are words, keyed by block/paragraph/line) and the mean word
    confidence."""
    lines: dict[tuple[str, str, str, str], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        try:
            confidence = float(cols[10])
        except ValueError:
            continue
        if confidence >= 0:
            confidences.append(confidence)
        lines.setdefault((cols[1], cols[2], cols[3], cols[4]), []).append(word)
    return OcrPage(
        lines=[" ".join(words) for words in lines.values()],
        confidence=sum(confidences) / len(confidences) if confidences else 0.0,
    )


def has_pdftoppm() -> bool:
    return shutil.which("pdftoppm") is not None


def pdf_page_png(data: bytes, reader, index: int) -> bytes | None:
    """Page ``index`` (0-based) of the PDF as a PNG picture, or None when it has no picture to read."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        with tempfile.TemporaryDirectory(prefix="plantrack-ocr-") as tmp:
            source = Path(tmp) / "in.pdf"
            source.write_bytes(data)
            try:
                subprocess.run(  # noqa: S603 - fixed argument list, no shell
                    [
                        pdftoppm,
                        # The long side at most A4's at 300 dpi, whatever size the page claims: a page declared
                        # 200 × 200 inches must not render to gigabytes before any pixel limit applies.
                        "-scale-to",
                        str(MAX_PAGE_SIDE_PX),
                        "-gray",
                        "-png",
                        "-f",
                        str(index + 1),
                        "-l",
                        str(index + 1),
                        "-singlefile",
                        str(source),
                        str(Path(tmp) / "page"),
                    ],
                    capture_output=True,
                    timeout=PAGE_TIMEOUT_SECONDS,
                    check=True,
                )
            except (subprocess.SubprocessError, OSError) as exc:
                raise OcrError(f"pdftoppm failed on page {index + 1}: {exc}") from exc
            out = Path(tmp) / "page.png"
            return out.read_bytes() if out.exists() else None
    # No poppler: the biggest picture embedded in the page (a scan is one picture per page).
    best = None
    for image in reader.pages[index].images:
        size = len(image.data)
        if best is None or size > best[0]:
            best = (size, image.data)
    return _to_png(best[1]) if best else None
