"""The consolidated report read as the office would: Decree 30 points on the DOCX XML, honest task status, the
date it speaks of, units, no raw codes, no text cut inside a clause, and XLSX sheets that print legibly."""

import datetime
import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook, load_workbook

from plantrack.consolidation.report.build import build_consolidated
from plantrack.consolidation.report.compile import consolidated_compile
from plantrack.consolidation.report.docx import clause_cut
from plantrack.consolidation.report.xlsx import (
    HEADER_ROW,
    MIN_PRINTED_PT,
    TASK_SHEET,
    _append,
    _sheet,
    printed_font_pt,
    wrapped_lines,
)
from plantrack.plans.models import AssignmentRole

pytestmark = pytest.mark.django_db

RAW_CODES = re.compile(r"\b(done|in_progress|not_started|continuing|no_report|lead|coordinate|compound)\b")


@pytest.fixture
def built(cycle_2025):
    # Built a year after the cycle, so the build date cannot pass for the day the report speaks of.
    return build_consolidated(
        cycle=cycle_2025.cycle,
        charts=False,
        now=datetime.datetime(2026, 12, 5, 9, 0, tzinfo=datetime.UTC),
    )


def all_text(document) -> str:
    cells = [c.text for t in document.tables for c in t._cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_third_level_headings_are_lettered(built):
    document = Document(io.BytesIO(built.docx))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("2. Kết quả thực hiện các nhiệm vụ")
    end = texts.index("3. Kết quả thực hiện các chỉ tiêu")
    headings = [
        p.text
        for p in document.paragraphs[start:end]
        if p.runs and p.runs[0].bold and p.runs[0].italic and not p.text.startswith("- ")
    ]
    assert [h[:3] for h in headings] == ["a) ", "b) ", "c) ", "d) ", "đ) ", "e) "]
    assert not any(re.match(r"\d+\.\d+\. ", t) for t in texts)


def test_each_appendix_is_its_own_section_numbered_from_one(built):
    document = Document(io.BytesIO(built.docx))
    body, *appendices = document.sections
    assert len(appendices) == 2  # Phụ lục I and II (no charts)
    assert body._sectPr.find(qn("w:pgNumType")) is None
    header_xml = body.header._element.xml
    assert "PAGE" in header_xml
    for section in appendices:
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
        # The appendix shows page numbers on every page, its first included: same PAGE header, no title page.
        assert section.header.is_linked_to_previous and not section.different_first_page_header_footer
    notes = [p.text for p in document.paragraphs if p.text.startswith("(Kèm theo Báo cáo số")]
    assert len(notes) == 2
    words = notes[0].replace("\u00a0", " ").split()
    # "(Kèm theo Báo cáo số /BC-SKHCN ngày tháng năm 2025 của …)": number, day and month left blank.
    assert words[4:9] == ["số", "/BC-SKHCN", "ngày", "tháng", "năm"]
    assert words[9] == "2025" and notes[0].endswith("của Sở Khoa học và Công nghệ)")


def test_archive_line_names_the_drafting_unit(cycle_2025):
    cycle_2025.coordinator.office_code = "QLKH"
    cycle_2025.coordinator.save()
    document = Document(io.BytesIO(build_consolidated(cycle=cycle_2025.cycle, charts=False).docx))
    closing = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận"))
    lines = [p.text for p in closing.rows[0].cells[0].paragraphs if p.text]
    assert lines[-1] == "- Lưu: VT, QLKH."


def test_the_report_speaks_of_the_cycles_data_date_not_the_build_date(built, cycle_2025):
    text = all_text(Document(io.BytesIO(built.docx)))
    as_of = cycle_2025.cycle.data_as_of
    assert f"Đến ngày {as_of:%d/%m/%Y}:" in text
    assert "05/12/2026" not in text and "2026:" not in text


def test_numbers_carry_their_units_and_no_raw_codes_are_printed(built):
    document = Document(io.BytesIO(built.docx))
    text = all_text(document)
    assert not RAW_CODES.search(text), RAW_CODES.search(text)
    assert "chỉ tiêu ghép" not in text
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["TT", "Chỉ tiêu"])
    for row in table.rows[1:]:
        for cell in row.cells[3:5]:
            value = cell.text
            if value != "—":
                assert re.fullmatch(r"[\d.,]+ \S.*", value), value  # "40,3 %", "8,87 người/vạn dân"
    workbook = load_workbook(io.BytesIO(built.xlsx))
    for ws in workbook.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert not RAW_CODES.search(value) and "chỉ tiêu ghép" not in value, value


def test_texts_are_never_cut_inside_a_clause(built, cycle_2025):
    document = Document(io.BytesIO(built.docx))
    tasks = {t.code: " ".join(t.text.split()) for t in cycle_2025.plan.tasks.all()}
    seen = 0
    for p in document.paragraphs:
        match = re.match(r"- Nhiệm vụ (\S+): ", p.text)
        if not match:
            continue
        shown = p.runs[1].text
        full = tasks[match.group(1)]
        if shown.endswith("…"):
            seen += 1
            kept = shown[:-1]
            assert full.startswith(kept) and full[len(kept)] in ".;:", shown[-40:]
        else:
            assert shown == full
    assert seen  # the plan has tasks longer than the body's limit
    # The appendix has every task's full text.
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["TT", "Mã"])
    appendix = {r.cells[1].text: r.cells[2].text for r in table.rows[2:] if len(r.cells) > 2}
    for code, text in tasks.items():
        assert " ".join(appendix[code].split()) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ngắn gọn.", "Ngắn gọn."),
        ("Một hai ba; bốn năm sáu bảy tám chín mười", "Một hai ba…"),
        (
            "Không có dấu câu nào để cắt ở giữa câu dài này cả",
            "Không có dấu câu nào để cắt ở giữa câu dài này cả",
        ),
    ],
)
def test_clause_cut(text, expected):
    assert clause_cut(text, 20) == expected


def test_task_status_in_the_report_is_honest(built, cycle_2025):
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    partial = 0
    for block in compilation.tasks:
        leads = [a for a in block.state.agencies if a.role == AssignmentRole.LEAD] if block.state else []
        if block.status == "done":
            assert leads and all(a.status == "done" for a in leads)
        elif any(a.status == "done" for a in leads):
            partial += 1
            done = sum(a.status == "done" for a in leads)
            assert block.status_label.startswith(f"{done}/{len(leads)} đơn vị chủ trì đã hoàn thành")
    assert partial  # the fixture has tasks some but not all of whose leads finished
    document = Document(io.BytesIO(built.docx))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["TT", "Mã"])
    cells = {r.cells[1].text: r.cells[5].text for r in table.rows[2:] if len(r.cells) > 5}
    for block in compilation.tasks:
        assert cells[block.task.code] == block.status_label


def test_xlsx_sheets_print_on_a4_landscape_at_9_pt_or_more(built):
    workbook = load_workbook(io.BytesIO(built.xlsx))
    for ws in workbook.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), ws.title
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        widths = [ws.column_dimensions[c].width for c in "ABCDEFGHIJKLMNOP"[: ws.max_column]]
        assert printed_font_pt(widths) >= MIN_PRINTED_PT, (ws.title, sum(widths))
        assert ws.print_title_rows == "$5:$5"
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        # Each row is at least as tall as its cells' explicit lines, and a text wider than its column wraps onto
        # more than one line (a fixed one-line height would clip it).
        for row in ws.iter_rows(min_row=HEADER_ROW + 2):
            texts = [
                (c, c.value)
                for c in row
                if isinstance(c.value, str) and not c.fill.fgColor.rgb.endswith("F9")
            ]
            if not texts:
                continue
            height = ws.row_dimensions[row[0].row].height
            needed = max(v.count("\n") + 1 for _c, v in texts)
            too_wide = any(len(v) > ws.column_dimensions[c.column_letter].width * 1.5 for c, v in texts)
            assert height >= 14 * needed + (14 if too_wide else 0), (ws.title, row[0].row)
    task_row = next(r for r in workbook[TASK_SHEET].iter_rows() if isinstance(r[0].value, int))
    assert all(c.alignment.wrap_text for c in task_row)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("ngắn", 10, 1),
        ("một hai ba bốn năm sáu bảy tám chín mười", 5, 10),
        ("một hai ba bốn năm sáu", 10, 3),
        ("a\nb\n\nc", 10, 4),
    ],
)
def test_wrapped_lines_count_whole_words(text, width, lines):
    assert wrapped_lines(text, width) == lines


def test_xlsx_keeps_formula_like_texts_as_text():
    wb = Workbook()
    ws = _sheet(wb, "x", ["t"], [("a", 10), ("b", 10), ("c", 10), ("d", 10)], first=True)
    number = _append(ws, ['=HYPERLINK("http://evil","x")', "+1", "-2 người", "@SUM(A1)"])
    _append(ws, ["ok", 3, None, "text"])
    ws = load_workbook(io.BytesIO(_save(wb)))["x"]
    row = ws[number]
    assert [c.data_type for c in row] == ["s", "s", "s", "s"]
    assert row[0].value == '=HYPERLINK("http://evil","x")' and row[0].quotePrefix


def _save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_tasks_with_a_deadline_are_counted_on_time_in_section_ii(cycle_2025):
    """Issue 14: "x/y nhiệm vụ có thời hạn hoàn thành đúng hạn", from the one timeliness rule, on the report's data
    date; a plan without deadlines says nothing about them."""
    from plantrack.plans.services import task_deadline_change

    def section_ii_text():
        docx_bytes = build_consolidated(
            cycle=cycle_2025.cycle,
            charts=False,
            now=datetime.datetime(2026, 12, 5, 9, 0, tzinfo=datetime.UTC),
        ).docx
        return all_text(Document(io.BytesIO(docx_bytes)))

    assert "nhiệm vụ có thời hạn" not in section_ii_text()
    task = cycle_2025.plan.tasks.order_by("order").first()
    task_deadline_change(actor=None, task=task, deadline=datetime.date(2025, 6, 30), recurrence="once")
    assert "Về thời hạn: 0/1 nhiệm vụ có thời hạn hoàn thành đúng hạn." in section_ii_text()
