"""Plan import: read a plan document, extract the plan as interchange data, resolve its agencies.

``import_document`` is the one entry point used by the upload view, the ``import_plan`` command and the bench.
Nothing here writes to the database: the result is a draft that a person checks and publishes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.utils.translation import gettext

from .parser import ERROR, WARNING, Problem, parse_plan
from .readers import DocumentReadError, SourceDocument, read_document
from .resolver import Registry

logger = logging.getLogger(__name__)

__all__ = ["ERROR", "WARNING", "ImportResult", "PlanImportError", "Problem", "Registry", "import_document"]


class PlanImportError(ValueError):
    """The document cannot be imported at all; ``str(error)`` is the Vietnamese message for the user."""


@dataclass
class ImportResult:
    plan: dict
    source: SourceDocument
    problems: list[Problem] = field(default_factory=list)
    locations: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[str]:
        """Every problem as a message, errors first (the ``warnings`` list of the JSON output)."""
        ordered = self.errors + [p for p in self.problems if not p.is_error]
        return [p.message for p in ordered]

    def reporting_periods(self) -> list[dict]:
        """One row per periodic regime read (``reporting_regimes``, the data a published plan opens its cycles
        from): ``{period, due_day, due_month, due: "dd/mm", code, who, to, text}``, with the section IV sentence
        it was read from. "6 tháng (trước 15/6) và hằng năm (trước 15/12)" is two rows, not one."""
        duties = self.plan.get("reporting") or []
        by_line = {
            self.locations[f"reporting.{j}"]: row
            for j, row in enumerate(duties)
            if f"reporting.{j}" in self.locations
        }
        rows = []
        for i, regime in enumerate(self.plan.get("reporting_regimes") or []):
            duty = by_line.get(self.locations.get(f"reporting_regimes.{i}"), {})
            month = (int(regime["due_month"]) - 1) % 12 + 1
            rows.append(
                {
                    "period": regime["period"],
                    "due_day": regime["due_day"],
                    "due_month": regime["due_month"],
                    "due": f"{int(regime['due_day']):02d}/{month:02d}",
                    "code": duty.get("code", ""),
                    "who": duty.get("who", ""),
                    "to": duty.get("to", ""),
                    "text": duty.get("text", ""),
                }
            )
        return rows

    def reader(self) -> dict:
        """How the text was obtained: the reader used and, when pages were scanned, how many were read by OCR and
        how long it took (OCR time is reported apart from the parsing time)."""
        return {
            "kind": self.source.kind,
            "filename": self.source.filename,
            "ocr": self.source.ocr_pages > 0,
            "ocr_pages": self.source.ocr_pages,
            "ocr_seconds": round(self.source.ocr_seconds, 2),
            # Which pages were read by OCR (1-based) and tesseract's mean word confidence (0-100) on each.
            "ocr_page_numbers": list(self.source.ocr_page_numbers),
            "ocr_page_confidence": [
                {"page": page, "confidence": round(confidence, 1)}
                for page, confidence in zip(
                    self.source.ocr_page_numbers, self.source.ocr_confidences, strict=False
                )
            ],
        }

    def as_json(self) -> dict:
        """The ``import_plan --dry-run --format json`` output: the draft plan (interchange keys), where
        ``reporting`` lists every regime with its due date and source sentence, the section IV reporting rows as
        written under ``reporting_duties``, the ``reader`` and the ``warnings``."""
        return {
            **self.plan,
            "reporting": self.reporting_periods(),
            "reporting_duties": self.plan.get("reporting") or [],
            "reader": self.reader(),
            "warnings": self.warnings,
        }


def import_document(data: bytes, filename: str = "", *, registry: Registry | None = None) -> ImportResult:
    """Read and parse ``data``. Raises PlanImportError with a clear message when the file cannot be read or holds
    no plan; otherwise returns the draft plan and its problems (unresolved agencies are errors)."""
    try:
        source = read_document(data, filename)
    except DocumentReadError as exc:
        raise PlanImportError(str(exc)) from exc
    if registry is None:
        registry = Registry.from_db()
    try:
        parsed = parse_plan(source, registry)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not become an error page; it is logged
        logger.exception("plan import: parser failed on %s", filename)
        raise PlanImportError(
            gettext(
                "Không phân tích được nội dung tệp “%(filename)s”. Hãy kiểm tra văn bản có đúng bố cục kế hoạch (Số, ngày, KẾ HOẠCH, các mục I., II., III.) rồi thử lại, hoặc nhập kế hoạch thủ công."
            )
            % {"filename": filename}
        ) from exc
    if not parsed.plan["tasks"] and not parsed.plan["targets"] and not parsed.plan["outline"]:
        raise PlanImportError(
            gettext(
                "Tệp “%(filename)s” không có cấu trúc của một kế hoạch (không thấy các mục I., II., III. hoặc 1., 2., 3., nhiệm vụ hay chỉ tiêu)."
            )
            % {"filename": filename}
        )
    # What the reader could not read comes first: it explains gaps in everything after it.
    read_problems = [Problem("", message, WARNING, code="read") for message in source.problems]
    return ImportResult(parsed.plan, source, read_problems + parsed.problems, parsed.locations)
