"""The section "Công tác kiểm tra, giám sát" of the consolidated report, as paragraphs in the department's voice.

Plain strings in the office language: the consolidation builder writes them as they are (DOCX) and the same text
can be shown on a page. Counts come from ``selectors.inspection_counts``; open items name the agency, the
recommendation and its deadline.
"""

import datetime

from plantrack.core.i18n import in_office_language

from .selectors import inspection_counts, open_recommendations

HEADING = "Công tác kiểm tra, giám sát"
OPEN_ITEMS_SHOWN = 20


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@in_office_language
def section(plan, year: int, as_of: datetime.date | None = None) -> list[str]:
    """Paragraphs for ``plan``'s inspections of ``year`` as they stand on ``as_of`` (default 31/12 of the year)."""
    as_of = as_of or datetime.date(year, 12, 31)
    c = inspection_counts(plan=plan, year=year, as_of=as_of)
    if not c.inspections:
        return [
            f"Trong năm {year}, chưa có kế hoạch kiểm tra việc thực hiện Kế hoạch số {plan.code} được ghi nhận."
        ]
    paragraphs = [
        f"Trong năm {year}, {plan.coordinator_agency.name} ban hành {c.inspections} kế hoạch kiểm tra việc thực "
        f"hiện Kế hoạch số {plan.code}; đến ngày {_d(as_of)} đã tiến hành {c.visits} đợt kiểm tra tại "
        f"{c.agencies_visited} cơ quan, đơn vị.",
        f"Qua kiểm tra, đã có {c.issued} kiến nghị, yêu cầu khắc phục; {c.closed} kiến nghị đã được khắc phục và "
        f"đóng, {c.open} kiến nghị đang theo dõi"
        + (f", trong đó {c.overdue} kiến nghị đã quá thời hạn khắc phục." if c.overdue else "."),
    ]
    items = open_recommendations(plan=plan, year=year, as_of=as_of)
    if items:
        paragraphs.append("Các kiến nghị chưa hoàn thành:")
        for r in items[:OPEN_ITEMS_SHOWN]:
            late = " (quá hạn)" if r.deadline < as_of else ""
            paragraphs.append(
                f"- {r.visit.agency.name}: {r.text.strip().rstrip('.;')}; thời hạn {_d(r.deadline)}{late}."
            )
        if len(items) > OPEN_ITEMS_SHOWN:
            paragraphs.append(f"- Và {len(items) - OPEN_ITEMS_SHOWN} kiến nghị khác.")
    return paragraphs
