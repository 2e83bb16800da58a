"""Open the generated consolidated report (python-docx) and its appendices (openpyxl) and check what they say."""

import datetime
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from plantrack.consolidation.report.build import build_consolidated
from plantrack.consolidation.report.narrative import Narrative, default_narrative
from plantrack.consolidation.report.xlsx import (
    CONTRIBUTION_SHEET,
    FIGURE_SHEET,
    HEADER_ROW,
    SOURCE_SHEET,
    TARGET_SHEET,
    TASK_SHEET,
)
from plantrack.documents.official import NATIONAL_MOTTO, NATIONAL_TITLE, header_body_name
from plantrack.indicators.models import IndicatorDefinition
from plantrack.indicators.services import figure_record

from .conftest import marker

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(cycle_2025):
    return build_consolidated(cycle=cycle_2025.cycle, charts=False)


def docx_of(built) -> Document:
    return Document(io.BytesIO(built.docx))


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_header_boxes_come_from_the_plan_data(built, cycle_2025):
    document = docx_of(built)
    plan = cycle_2025.plan
    left, right = document.tables[0].rows[0].cells
    left_lines = [p.text for p in left.paragraphs if p.text]
    assert left_lines[0] == header_body_name(plan.coordinator_agency.parent.name)
    assert left_lines[0].startswith("UBND ")  # "Ủy ban nhân dân" abbreviated as Decree 30 allows
    assert left_lines[1] == plan.coordinator_agency.name.upper()
    assert left_lines[2].startswith("Số: ") and left_lines[2].endswith("/BC-SKHCN")
    right_lines = [p.text for p in right.paragraphs if p.text]
    assert right_lines[:2] == [NATIONAL_TITLE, NATIONAL_MOTTO]
    assert right_lines[2].startswith(f"{plan.place}, ngày") and right_lines[2].endswith("năm 2025")
    date_run = next(r for r in right.paragraphs[2].runs if r.text)
    assert date_run.italic


def test_page_format(built):
    section = docx_of(built).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert Mm(20) <= section.top_margin <= Mm(25) and Mm(30) <= section.left_margin <= Mm(35)
    assert Mm(15) <= section.right_margin <= Mm(20) and Mm(20) <= section.bottom_margin <= Mm(25)
    assert section.different_first_page_header_footer


def test_title_sections_and_end_mark(built):
    document = docx_of(built)
    texts = body_texts(document)
    assert "BÁO CÁO" in texts
    title = texts[texts.index("BÁO CÁO") + 1]
    assert title.startswith("Kết quả thực hiện Kế hoạch số 386/KH-UBND ngày 16/11/2024")
    headings = [
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "1. Ưu điểm",
        "2. Tồn tại, hạn chế và nguyên nhân",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
        "Phụ lục I",
        "Phụ lục II",
    ]
    positions = [texts.index(h) for h in headings]
    assert positions == sorted(positions)
    for heading in headings[:7]:
        paragraph = document.paragraphs[texts.index(heading)]
        assert all(r.bold for r in paragraph.runs if r.text)
    opening = next(t for t in texts if t.startswith("Thực hiện Kế hoạch số 386/KH-UBND"))
    assert texts.index(opening) < positions[0]
    end = [t for t in texts if t.endswith("./.")]
    assert len(end) == 1 and texts.index(end[0]) < texts.index("Phụ lục I")


def test_body_font_and_paragraphs(built):
    document = docx_of(built)
    texts = body_texts(document)
    body = document.paragraphs[texts.index(next(t for t in texts if t.startswith("Thực hiện Kế hoạch số")))]
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and body.paragraph_format.first_line_indent >= Mm(10)
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.text:
                assert run.font.name == "Times New Roman"
    sizes = {r.font.size for p in document.paragraphs[: texts.index("Phụ lục I")] for r in p.runs if r.text}
    assert sizes <= {Pt(13), Pt(14)}


def test_every_accepted_agency_result_is_under_its_task(built, cycle_2025):
    texts = body_texts(docx_of(built))
    task_lines = {
        t.split(":")[0].removeprefix("- Nhiệm vụ "): i
        for i, t in enumerate(texts)
        if t.startswith("- Nhiệm vụ ")
    }
    assert len(task_lines) == 31
    order = sorted(task_lines.items(), key=lambda item: item[1])
    next_line = {
        code: (order[i + 1][1] if i + 1 < len(order) else len(texts)) for i, (code, _) in enumerate(order)
    }
    for report in cycle_2025.accepted:
        round_ = 2 if report.pk == cycle_2025.accepted[2].pk else 1
        for entry in report.entries.select_related("task"):
            code = entry.task.code
            found = [i for i, t in enumerate(texts) if marker(report, code, round_) in t]
            assert found, (report.agency.name, code)
            assert all(task_lines[code] < i < next_line[code] for i in found), (report.agency.name, code)
            line = texts[found[0]]
            assert line.startswith(f"+ {report.agency.name} (")


def test_returned_submitted_and_draft_reports_contribute_nothing(built, cycle_2025):
    document = docx_of(built)
    everything = "\n".join(body_texts(document))
    for table in document.tables:
        for row in table.rows:
            everything += "\n".join(c.text for c in row.cells)
    for report in (cycle_2025.returned, cycle_2025.submitted, cycle_2025.draft):
        assert f"«{report.agency_id}:" not in everything
    third = cycle_2025.accepted[2]
    assert f"«{third.agency_id}:" in everything
    assert not any(marker(third, e.task.code, 1) in everything for e in third.entries.select_related("task"))


def test_appendix_one_lists_all_31_tasks(built, cycle_2025):
    document = docx_of(built)
    table = next(
        t for t in document.tables if t.rows[0].cells[0].text == "TT" and t.rows[0].cells[1].text == "Mã"
    )
    assert [c.text for c in table.rows[0].cells] == [
        "TT",
        "Mã",
        "Nội dung nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Tình trạng",
        "Kết quả",
    ]
    rows = table.rows[2:]  # headings and the column numbers
    group_rows = [
        r for r in rows if r._tr.find(f"{qn('w:tc')}/{qn('w:tcPr')}/{qn('w:gridSpan')}") is not None
    ]
    task_rows = [r for r in rows if r not in group_rows]
    assert len(group_rows) == 6 and len(task_rows) == 31
    codes = [r.cells[1].text for r in task_rows]
    assert codes == [t.code for t in cycle_2025.plan.tasks.order_by("order")]
    first = cycle_2025.accepted[0]
    some_task = first.entries.filter(role="lead").select_related("task").first()
    if some_task is not None:
        row = task_rows[codes.index(some_task.task.code)]
        assert marker(first, some_task.task.code) in row.cells[6].text


def test_appendix_two_lists_all_9_targets(built, cycle_2025):
    document = docx_of(built)
    table = next(
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "TT" and "Nguồn số liệu" in t.rows[0].cells[-1].text
    )
    assert [c.text for c in table.rows[0].cells] == [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Mục tiêu",
        "Năm 2024",
        "Năm 2025",
        "Đánh giá",
        "Nguồn số liệu",
    ]
    numbers = [r.cells[0].text for r in table.rows[2:]]
    top = [n for n in numbers if "." not in n]
    assert top == [str(i) for i in range(1, 10)]
    assert [n for n in numbers if n.startswith("9.")] == ["9.1", "9.2", "9.3", "9.4", "9.5"]


def test_body_target_table_has_last_year_this_year_target_and_assessment(cycle_2025):
    definition = IndicatorDefinition.objects.get(target__code="II.2.2")
    for year, value in ((2024, "40,3"), (2025, "40,9")):
        figure_record(
            actor=cycle_2025.coordinator, indicator=definition, year=year, value=value, source_note="CTK"
        )
    document = docx_of(build_consolidated(cycle=cycle_2025.cycle, charts=False))
    table = next(
        t for t in document.tables if [c.text for c in t.rows[0].cells][:3] == ["TT", "Chỉ tiêu", "Mục tiêu"]
    )
    assert [c.text for c in table.rows[0].cells][3:] == ["Năm 2024", "Năm 2025", "Đánh giá"]
    row = table.rows[2]
    assert row.cells[1].text.startswith("Tỷ trọng sản phẩm công nghiệp CNC")
    assert row.cells[2].text.startswith("tối thiểu 45")
    assert (row.cells[3].text, row.cells[4].text) == ("40,3 %", "40,9 %")
    assert row.cells[5].text in ("Đạt", "Đúng tiến độ", "Có nguy cơ", "Chậm")


def test_charts_are_embedded_as_pictures(cycle_2025):
    definition = IndicatorDefinition.objects.get(target__code="II.2.3")
    for year, value in ((2023, "9,6"), (2024, "10,3"), (2025, "10,8")):
        figure_record(
            actor=cycle_2025.coordinator, indicator=definition, year=year, value=value, source_note="CTK"
        )
    built = build_consolidated(cycle=cycle_2025.cycle, charts=True)
    document = docx_of(built)
    assert len(document.inline_shapes) == 1
    texts = body_texts(document)
    assert "Phụ lục III" in texts
    assert any(t.startswith("Biểu đồ 1. II.2.3") for t in texts)


def test_narrative_is_printed_as_written(cycle_2025):
    narrative = Narrative(
        number="12",
        symbol="BC-SKHCN",
        date=datetime.date(2026, 1, 5),
        title="Tiêu đề riêng",
        leadership="Đoạn lãnh đạo một.\nĐoạn lãnh đạo hai.",
        strengths="Ưu điểm riêng.",
        shortcomings="Hạn chế riêng.",
        directions="Phương hướng riêng.",
        proposals="Kiến nghị riêng.",
        authority_prefix="TL.",
        authority_title="Giám đốc",
        signer_title="Chánh Văn phòng",
        signer_name="Trần Văn B",
        recipients=["UBND tỉnh (để báo cáo)", "Lưu: VT, VP"],
    )
    document = docx_of(build_consolidated(cycle=cycle_2025.cycle, narrative=narrative, charts=False))
    texts = body_texts(document)
    for line in (
        "Đoạn lãnh đạo một.",
        "Đoạn lãnh đạo hai.",
        "Ưu điểm riêng.",
        "Hạn chế riêng.",
        "Phương hướng riêng.",
    ):
        assert line in texts
    assert "Kiến nghị riêng./." in texts
    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left[2] == "Số: 12/BC-SKHCN"
    right = [p.text for p in document.tables[0].rows[0].cells[1].paragraphs if p.text]
    assert right[2].endswith("ngày 05 tháng 01 năm 2026")
    closing = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    recipients, signature = closing.rows[0].cells
    assert [p.text for p in recipients.paragraphs if p.text] == [
        "Nơi nhận:",
        "- UBND tỉnh (để báo cáo);",
        "- Lưu: VT, VP.",
    ]
    assert [p.text for p in signature.paragraphs if p.text] == [
        "TL. GIÁM ĐỐC",
        "CHÁNH VĂN PHÒNG",
        "Trần Văn B",
    ]
    assert any(t.startswith("(Kèm theo Báo cáo số 12/BC-SKHCN ngày 05 tháng 01 năm 2026") for t in texts)


def test_default_recipients_end_with_the_archive_line(cycle_2025, built):
    narrative = default_narrative(built.compilation, coordinator_agency=cycle_2025.plan.coordinator_agency)
    assert narrative.recipients[0].endswith("(để báo cáo)")
    assert narrative.recipients[-1].startswith("Lưu: VT")
    assert narrative.symbol == "BC-SKHCN"


# --- XLSX ---------------------------------------------------------------------------------------------------


def sheet_rows(ws):
    return [
        r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if any(v is not None for v in r)
    ]


def test_xlsx_appendices(built, cycle_2025):
    wb = load_workbook(io.BytesIO(built.xlsx))
    assert wb.sheetnames == [TASK_SHEET, TARGET_SHEET, CONTRIBUTION_SHEET, FIGURE_SHEET, SOURCE_SHEET]

    tasks = sheet_rows(wb[TASK_SHEET])
    task_rows = [r for r in tasks if isinstance(r[0], int)]
    assert len(task_rows) == 31 and len(tasks) - len(task_rows) == 6
    assert [r[1] for r in task_rows] == [t.code for t in cycle_2025.plan.tasks.order_by("order")]
    assert [c.value for c in wb[TASK_SHEET][HEADER_ROW]][:3] == ["TT", "Mã", "Nội dung nhiệm vụ"]

    targets = sheet_rows(wb[TARGET_SHEET])
    assert [r[0] for r in targets if "." not in r[0]] == [str(i) for i in range(1, 10)]
    assert len(targets) == 14
    assert [c.value for c in wb[TARGET_SHEET][HEADER_ROW]][3:8] == [
        "Đơn vị tính",
        "Mục tiêu",
        "Năm 2024",
        "Năm 2025",
        "Đánh giá",
    ]

    contributions = sheet_rows(wb[CONTRIBUTION_SHEET])
    accepted = {r.pk: r for r in cycle_2025.accepted}
    assert {row[7] for row in contributions} == set(accepted)
    expected = sum(r.accepted_submission.snapshot["entries"].__len__() for r in cycle_2025.accepted)
    assert len(contributions) == expected
    for row in contributions:
        report = accepted[row[7]]
        assert row[9] == report.accepted_submission_id and row[8] == report.accepted_submission.number
        assert f"«{report.agency_id}:{row[0]}:" in row[4]
    for report in (cycle_2025.returned, cycle_2025.submitted, cycle_2025.draft):
        assert all(f"«{report.agency_id}:" not in (row[4] or "") for row in contributions)

    sources = sheet_rows(wb[SOURCE_SHEET])
    assert sorted(r[2] for r in sources) == sorted(accepted)


def test_xlsx_figures_are_numbers_with_their_source(cycle_2025):
    definition = IndicatorDefinition.objects.get(target__code="II.2.2")
    figure_record(
        actor=cycle_2025.coordinator, indicator=definition, year=2025, value="40,9", source_note="CTK"
    )
    wb = load_workbook(io.BytesIO(build_consolidated(cycle=cycle_2025.cycle, charts=False).xlsx))
    row = next(r for r in sheet_rows(wb[TARGET_SHEET]) if r[1] == "II.2.2")
    assert row[6] == pytest.approx(40.9) and row[5] is None
    assert "CTK" in row[9]
    (figure,) = sheet_rows(wb[FIGURE_SHEET])
    assert (
        figure[1] == 2025
        and figure[2] == pytest.approx(40.9)
        and figure[7] == cycle_2025.coordinator.display_name
    )
