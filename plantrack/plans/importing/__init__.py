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

    def as_json(self) -> dict:
        return {**self.plan, "warnings": self.warnings}


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
