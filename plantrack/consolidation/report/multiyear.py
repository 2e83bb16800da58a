"""A report over several years of one plan (sơ kết / tổng kết, issue 12 point 9): the same compiler run over a range
of the plan's yearly cycles, the targets' values year by year and each task's status year by year.

No model: ``manage.py build_multiyear_report --plan … --from-year … --to-year …`` writes the DOCX; the layout is
Decree 30's, through the same ``documents.official`` helpers as the yearly report. A year without a yearly cycle
shows "—" for the tasks (nobody reported); targets' figures do not need a cycle (typed statistics count).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation

from plantrack.documents.official import (
    OfficialDocument,
    OfficialHeader,
    TableRow,
    archive_line,
    header_body_name,
)
from plantrack.plans.models import Plan
from plantrack.reporting.models import CyclePeriod, ReportingCycle

from .compile import TargetRow, _target_rows, consolidated_compile
from .docx import DEMO_NOTE, ROMAN, clause_cut
from .narrative import DEPUTY_TITLES, HEAD_TITLES, default_symbol, drafting_unit

NO_CYCLE = "—"


@dataclass
class TargetPath:
    code: str
    name: str
    unit: str
    goal: str
    values: list[str]  # one per year, "—" when no usable figure
    assessment: str  # at the last year
    is_part: bool = False


@dataclass
class TaskHistory:
    code: str
    text: str
    statuses: list[str]  # one per year


@dataclass
class MultiYear:
    plan: Plan
    years: list[int]
    cycles: dict[int, ReportingCycle]
    targets: list[TargetPath] = field(default_factory=list)
    tasks: list[TaskHistory] = field(default_factory=list)
    accepted: dict[int, int] = field(default_factory=dict)  # year -> accepted reports
    done: dict[int, int] = field(default_factory=dict)  # year -> tasks done

    final: bool = False  # a final review (tổng kết) rather than a mid-term one (sơ kết)

    @property
    def kind(self) -> str:
        return "Tổng kết" if self.final else "Sơ kết"

    @property
    def period(self) -> str:
        return f"{self.years[0]}–{self.years[-1]}" if len(self.years) > 1 else str(self.years[0])


def _paths(rows_by_year: list[list[TargetRow]]) -> list[TargetPath]:
    last = rows_by_year[-1]
    paths = []

    def walk(rows: list[TargetRow], is_part: bool) -> None:
        row = rows[-1]
        paths.append(
            TargetPath(
                code=row.target.code,
                name=row.name,
                unit=row.unit,
                goal=row.goal,
                values=[r.this_year.text or NO_CYCLE for r in rows],
                assessment=row.assessment,
                is_part=is_part,
            )
        )
        for i in range(len(row.parts)):
            walk([r.parts[i] if i < len(r.parts) else r for r in rows], True)

    for index in range(len(last)):
        walk([year_rows[index] for year_rows in rows_by_year], False)
    return paths


def multiyear_compile(*, plan: Plan, from_year: int, to_year: int, final: bool = False) -> MultiYear:
    """Targets' values and tasks' statuses for every year of ``from_year``–``to_year`` (both included)."""
    if to_year < from_year:
        raise ValueError("to_year < from_year")
    years = list(range(from_year, to_year + 1))
    cycles = {
        c.year: c
        for c in ReportingCycle.objects.filter(
            plan=plan, period_type=CyclePeriod.YEARLY, year__in=years
        ).select_related("plan")
    }
    result = MultiYear(plan=plan, years=years, cycles=cycles, final=final)
    # The same rows the yearly report prints, one set per year, matched by position (the plan's targets).
    result.targets = _paths([_target_rows(plan, year) for year in years])

    statuses: dict[int, dict[int, str]] = {}
    tasks = None
    for year in years:
        cycle = cycles.get(year)
        if cycle is None:
            continue
        compilation = consolidated_compile(cycle=cycle)
        tasks = tasks or [b.task for b in compilation.tasks]
        statuses[year] = {b.task.pk: b.status_label for b in compilation.tasks}
        result.accepted[year] = len(compilation.agency_sources)
        result.done[year] = compilation.task_status_counts().get("done", 0)
    if tasks is None:
        tasks = list(plan.tasks.order_by("order", "pk"))
    result.tasks = [
        TaskHistory(
            code=t.code,
            text=t.text,
            statuses=[statuses.get(year, {}).get(t.pk, NO_CYCLE) for year in years],
        )
        for t in tasks
    ]
    return result


def multiyear_docx(report: MultiYear) -> bytes:
    with translation.override("vi"):
        return _multiyear_docx(report)


def _multiyear_docx(report: MultiYear) -> bytes:
    plan = report.plan
    agency = plan.coordinator_agency
    years = report.years
    last_cycle = report.cycles.get(years[-1])
    doc = OfficialDocument(
        header=OfficialHeader(
            parent_body=header_body_name(agency.parent.name) if agency.parent_id else "",
            issuing_body=agency.name.upper(),
            number_text=f"/{default_symbol(agency)}",
            place=plan.place,
            date=None,
            year=years[-1],
        ),
        kind_title="BÁO CÁO",
        title=f"{report.kind} tình hình thực hiện Kế hoạch số {plan.code} của {plan.issuer.name} "
        f"giai đoạn {report.period}",
        author=agency.name,
        note=DEMO_NOTE if last_cycle is not None and last_cycle.is_demo else "",
    )
    doc.paragraph(
        f"Thực hiện Kế hoạch số {plan.code} của {plan.issuer.name}, trên cơ sở báo cáo hằng năm của các cơ quan, "
        f"đơn vị, {agency.name} báo cáo {report.kind.lower()} tình hình thực hiện giai đoạn {report.period} như sau:"
    )
    doc.heading(f"{ROMAN[0]}. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUA CÁC NĂM")
    doc.paragraph(
        f"Giá trị các chỉ tiêu từng năm theo số liệu đã được tiếp nhận; đánh giá tại năm {years[-1]}.",
        italic=True,
    )
    target_rows = []
    for path in report.targets:
        cells = [path.code, path.name, path.goal, *path.values, path.assessment]
        target_rows.append(TableRow(cells, italic=True) if path.is_part else cells)
    # Fit the page: the years share what the code, goal and assessment columns leave, the name keeps ≥ 30 mm.
    year_width = min(22.0, max(12.0, (doc.text_width_mm - 16 - 28 - 22 - 30) / len(years)))
    name_width = doc.text_width_mm - 16 - 28 - 22 - year_width * len(years)
    doc.table(
        ["Mã", "Chỉ tiêu", "Mục tiêu", *[f"Năm {y}" for y in years], f"Đánh giá năm {years[-1]}"],
        target_rows,
        widths_mm=[16, name_width, 28, *[year_width] * len(years), 22],
        align=["left", "left", "left", *["center"] * len(years), "left"],
        font_size=10 if len(years) > 3 else 11,
    )

    doc.heading(f"{ROMAN[1]}. TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ QUA CÁC NĂM")
    for year in years:
        if year in report.cycles:
            doc.paragraph(
                f"- Năm {year}: {report.accepted.get(year, 0)} báo cáo của các cơ quan, đơn vị được tiếp nhận; "
                f"{report.done.get(year, 0)}/{len(report.tasks)} nhiệm vụ hoàn thành."
            )
        else:
            doc.paragraph(f"- Năm {year}: chưa có kỳ báo cáo năm.")
    doc.paragraph("Tình trạng từng nhiệm vụ qua các năm tại Phụ lục.")

    doc.signature(
        authority_prefix=f"KT. {HEAD_TITLES.get(agency.kind, 'THỦ TRƯỞNG')}",
        title=DEPUTY_TITLES.get(agency.kind, "PHÓ THỦ TRƯỞNG"),
        name="",
    )
    doc.recipients(
        [f"{plan.issuer.short_name or plan.issuer.name} (để báo cáo);", archive_line(drafting_unit(agency))]
    )

    doc.appendix(
        "Phụ lục",
        f"Tình trạng thực hiện các nhiệm vụ giai đoạn {report.period}",
        f"(Kèm theo Báo cáo {report.kind.lower()} giai đoạn {report.period} của {agency.name})",
        landscape=True,
    )
    status_width = min(45.0, max(25.0, (doc.text_width_mm - 27 - 80) / len(years)))
    doc.table(
        ["TT", "Mã", "Nội dung nhiệm vụ", *[f"Năm {y}" for y in years]],
        [[str(i), t.code, clause_cut(t.text, 300), *t.statuses] for i, t in enumerate(report.tasks, start=1)],
        widths_mm=[9, 18, doc.text_width_mm - 27 - status_width * len(years), *[status_width] * len(years)],
        align=["center", "center", "justify", *["left"] * len(years)],
        font_size=10,
        header_rows=[[f"({i})" for i in range(1, 4 + len(years))]],
    )
    return doc.to_bytes()


__all__ = ["MultiYear", "TargetPath", "TaskHistory", "multiyear_compile", "multiyear_docx"]
