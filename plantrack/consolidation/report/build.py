"""Build the consolidated report's files: compile → charts → DOCX → XLSX, with progress reports and timings.

Used by the app's build runs (``plantrack.consolidation.services``) and by ``manage.py build_report``. Reads
only; the caller stores the bytes. Documents are always written in Vietnamese, whatever the user's UI language.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.text import slugify

from plantrack.reporting.models import ReportingCycle

from .charts import consolidated_charts
from .compile import Compilation, consolidated_compile
from .composer import DRAFT_FIELDS, sentence_sources
from .docx import consolidated_docx
from .narrative import Narrative, default_narrative
from .xlsx import consolidated_xlsx

Progress = Callable[[int, str], None]  # (percent, step in words)


@dataclass
class BuiltReport:
    compilation: Compilation
    narrative: Narrative
    docx: bytes
    xlsx: bytes
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def base_name(self) -> str:
        return f"{slugify(self.compilation.plan.code.replace('/', '-'))}-{self.compilation.year}"

    @property
    def docx_name(self) -> str:
        return f"bao-cao-tong-hop-{self.base_name}.docx"

    @property
    def xlsx_name(self) -> str:
        return f"phu-luc-bao-cao-tong-hop-{self.base_name}.xlsx"

    def manifest(self) -> dict:
        """What the files were built from: enough to trace every figure and result back to its submission."""
        c = self.compilation

        def iso(dt: datetime.datetime | None) -> str | None:
            return dt.isoformat() if dt else None

        return {
            "format": "plantrack.consolidated-report/1",
            "plan": c.plan.code,
            "year": c.year,
            "compiled_at": iso(c.compiled_at),
            "expected_reports": c.expected_count,
            "report_states": c.state_counts,
            "sources": [
                {
                    "agency_id": s.agency_id,
                    "agency": s.agency_name,
                    "report_id": s.report_id,
                    "submission_id": s.submission_id,
                    "submission_number": s.submission_number,
                    "submitted_at": iso(s.submitted_at),
                    "accepted_at": iso(s.accepted_at),
                    "late": s.is_late,
                }
                for s in c.sources
            ],
            "task_status": c.task_status_counts(),
            "target_status": {str(k): v for k, v in c.target_status_counts().items()},
            "figures": [
                {
                    "figure_id": f.figure_id,
                    "series": f.series,
                    "year": f.year,
                    "value": str(f.value),
                    "agency": f.agency_name,
                    "report_id": f.report_id,
                    "submission_id": f.submission_id,
                    "changed_after_submission": f.changed_after_submission,
                    "demo": f.is_demo,
                }
                for f in c.figure_sources()
            ],
            # Each sentence of the narrative taken from the agencies' contributions, with its agencies and
            # submissions (issue 12 point 1).
            "sentence_sources": sentence_sources(
                c, {name: getattr(self.narrative, name) for name in DRAFT_FIELDS}
            ),
            "files": {"docx": self.docx_name, "xlsx": self.xlsx_name},
            "timings_ms": {k: round(v * 1000) for k, v in self.timings.items()},
        }


def build_consolidated(
    *,
    cycle: ReportingCycle,
    narrative: Narrative | None = None,
    charts: bool = True,
    progress: Progress | None = None,
    now: datetime.datetime | None = None,
) -> BuiltReport:
    """Compile ``cycle`` and write both files. ``narrative`` defaults to :func:`default_narrative`."""

    def report(percent: int, step: str) -> None:
        if progress:
            progress(percent, step)

    timings: dict[str, float] = {}
    started = time.perf_counter()
    with translation.override("vi"):
        report(5, "Tổng hợp các báo cáo đã tiếp nhận")
        t = time.perf_counter()
        compilation = consolidated_compile(cycle=cycle, now=now)
        timings["compile"] = time.perf_counter() - t
        if narrative is None:
            narrative = default_narrative(compilation, coordinator_agency=compilation.plan.coordinator_agency)

        images = []
        if charts and narrative.include_charts:
            report(25, "Vẽ biểu đồ các chỉ tiêu")
            t = time.perf_counter()
            images = consolidated_charts(
                compilation,
                progress=lambda done, total: report(25 + 30 * done // max(total, 1), "Vẽ biểu đồ"),
            )
            timings["charts"] = time.perf_counter() - t

        report(60, "Soạn văn bản báo cáo (DOCX)")
        t = time.perf_counter()
        docx = consolidated_docx(compilation, narrative, charts=images)
        timings["docx"] = time.perf_counter() - t

        report(85, "Lập phụ lục Excel (XLSX)")
        t = time.perf_counter()
        xlsx = consolidated_xlsx(compilation, narrative)
        timings["xlsx"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    return BuiltReport(compilation=compilation, narrative=narrative, docx=docx, xlsx=xlsx, timings=timings)
