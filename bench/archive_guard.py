"""How fast and how small the archive guard refuses zip bombs. Prints figures; asserts nothing.

    .venv/bin/python bench/archive_guard.py

Builds, on the fly and outside the measurement, a .xlsx whose sheet expands to 50 MB and a .docx whose
document.xml expands to 1 GB (both about 0.05-1 MB compressed), then times the refusal by the paths the product
uses: the report workbook upload (``reporting.excel.report_xlsx_parse``'s guard, ``XLSX_LIMITS``) and the plan
import guard (``DOCX_LIMITS``). Peak memory is measured with tracemalloc (Python allocations) and, as a check on
native memory, the growth of the process's maximum resident set size. Target: < 2 s and < 100 MB each.
"""

import io
import os
import resource
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PLANTRACK_ENV", "dev")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plantrack.settings")

import django  # noqa: E402

django.setup()

from plantrack.core.archives import DOCX_LIMITS, XLSX_LIMITS, ArchiveRefused, archive_check  # noqa: E402

MB = 1024 * 1024


def bomb(parts: dict[str, bytes], big_name: str, big_size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        with zf.open(big_name, "w", force_zip64=big_size > 2**31 - 1) as member:
            member.write(b"<x>")
            chunk = b" " * MB
            for _ in range(big_size // MB):
                member.write(chunk)
            member.write(b"</x>")
    return out.getvalue()


def measure(label: str, data: bytes, limits) -> None:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    try:
        archive_check(io.BytesIO(data), name=label, limits=limits)
        outcome = "ACCEPTED (unexpected)"
    except ArchiveRefused as exc:
        outcome = "refused: " + str(exc)[:90] + "…"
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024  # KB on Linux
    print(f"{label}: {len(data) / 1024:.0f} KB compressed")
    print(f"  {outcome}")
    print(
        f"  time {elapsed * 1000:.1f} ms, peak Python memory {peak / MB:.2f} MB, max RSS growth {rss_growth:.1f} MB"
    )


def main() -> None:
    xlsx = bomb({"[Content_Types].xml": b"<Types/>"}, "xl/worksheets/sheet1.xml", 50 * MB)
    docx = bomb({"[Content_Types].xml": b"<Types/>"}, "word/document.xml", 1024 * MB)
    measure("bom-50MB.xlsx", xlsx, XLSX_LIMITS)
    measure("bom-1GB.docx", docx, DOCX_LIMITS)


if __name__ == "__main__":
    main()
