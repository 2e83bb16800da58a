"""The consolidated report (Báo cáo) as a Decree 30 DOCX, from a :class:`~.compile.Compilation` and a
:class:`~.narrative.Narrative`.

Layout: header boxes; "BÁO CÁO" and the title; the opening reference to the plan; I. leadership and direction
(narrative); II. results — 1. who reported, 2. each task group with every task and, under it, each accepted
agency's results, 3. the targets table (target, last year, this year, assessment); III. overall assessment
(strengths; shortcomings and causes); IV. directions for next year; V. proposals; the closing sentence ending in
"./."; signature block and "Nơi nhận"; Phụ lục I (tasks), Phụ lục II (targets) in landscape; Phụ lục III (charts).
"""

from __future__ import annotations

import re

from plantrack.documents.official import (
    OfficialDocument,
    OfficialHeader,
    Segment,
    TableRow,
    archive_line,
    header_body_name,
    item_letter,
    vn_date_text,
)
from plantrack.plans.models import Comparator
from plantrack.reporting.facts import funding_sources_text, totals_sentence
from plantrack.reporting.models import EntryStatus

from .compile import NO_REPORT, Compilation, TargetRow, TaskBlock, fmt_date
from .composer import lower_first, task_statements
from .narrative import Narrative

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
# Up to this many accepted reports are named in II.1; more would be a pasted list (they are in Phụ lục I).
NAMED_SOURCES_MAX = 10
DEMO_NOTE = "(DỮ LIỆU DEMO — văn bản dùng thử, không phải báo cáo chính thức)"


# Where a long text may be cut: after a sentence or a clause. Vietnamese words are several syllables separated by
# spaces ("Kế hoạch"), so a cut at a space can still split a word; a cut after ".", ";" or ":" never does.
_CLAUSE_END = re.compile(r"[.;:](?=\s)")


def clause_cut(text: str, limit: int) -> str:
    """``text`` if it is at most ``limit`` characters; otherwise its opening sentences or clauses up to the last
    ".", ";" or ":" before ``limit`` (then "…"). Never cut inside a clause: with no such end before ``limit``
    the text is returned whole."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    ends = [m.start() for m in _CLAUSE_END.finditer(text, 0, limit)]
    if not ends:
        return text
    return text[: ends[-1]].rstrip(" ,") + "…"


def appendix_note(compilation: Compilation, narrative: Narrative) -> str:
    """``(Kèm theo Báo cáo số …/BC-SKHCN ngày … tháng … năm 2025 của Sở …)``: day and month stay blank until the
    report is signed and registered, as the report's own date line."""
    number = narrative.number.strip() or "\u00a0" * 6
    when = vn_date_text(narrative.date, year=compilation.year)
    return f"(Kèm theo Báo cáo số {number}/{narrative.symbol} {when} của {compilation.coordinator_name})"


def _text_block(doc: OfficialDocument, text: str, *, empty: str) -> None:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        if empty:
            doc.paragraph(empty, italic=True)
        return
    for line in lines:
        doc.paragraph(line)


def _task_paragraphs(doc: OfficialDocument, block: TaskBlock) -> None:
    task = block.task
    doc.paragraph(
        [
            Segment(f"- Nhiệm vụ {task.code}: ", bold=True, italic=True),
            Segment(clause_cut(task.text, 260), italic=True),
            Segment(f" Tình trạng: {block.status_label}."),
        ],
        keep_with_next=True,
    )
    if not block.contributions:
        return
    _task_synthesis(doc, block)


def _task_synthesis(doc: OfficialDocument, block: TaskBlock) -> None:
    """A task's accepted results, the same account of several agencies written once and counted (composer.py):
    "+ Sở X (chủ trì, hoàn thành): …" for an account of its own, "+ 3 cơ quan, đơn vị (chủ trì): …" or "+ 3 cơ
    quan, đơn vị có kết quả tương tự; tiêu biểu, Sở X: …" for a shared one; then the difficulties, merged alike.
    Every agency's full text stays in Phụ lục I."""
    by_agency = {c.source.agency_id: c for c in block.contributions}
    for statement in task_statements(block.contributions, "results"):
        if statement.count == 1:
            c = by_agency[statement.mentions[0].source.agency_id]
            details = ", ".join(x for x in (c.role_label.lower(), c.status_label.lower()) if x)
            doc.paragraph(
                [Segment(f"+ {c.source.agency_name}", bold=True), Segment(f" ({details}): {c.results}")]
            )
            continue
        roles = sorted({by_agency[m.source.agency_id].role_label.lower() for m in statement.mentions} - {""})
        who = f"+ {statement.count} cơ quan, đơn vị" + (f" ({', '.join(roles)})" if roles else "")
        if statement.varies_in_figures:
            example = next(m for m in statement.mentions if m.text == statement.text).source.agency_name
            text = f" có kết quả tương tự; tiêu biểu, {example}: {lower_first(statement.text)}"
        else:
            text = f": {statement.text}"
        doc.paragraph([Segment(who, bold=True), Segment(text)])
    difficulties = task_statements(block.contributions, "difficulties")
    if difficulties:
        parts = [
            s.text.rstrip(" .;") + (f" ({s.count} cơ quan, đơn vị)" if s.count > 1 else f" ({s.agencies[0]})")
            for s in difficulties
        ]
        doc.paragraph(f"Khó khăn, vướng mắc: {'; '.join(parts)}.", italic=True)


def _plan_totals_paragraph(doc: OfficialDocument, compilation: Compilation) -> None:
    """ "Các cơ quan, đơn vị đã ban hành 37 văn bản; tổ chức 52 hội nghị … ; kinh phí 12,4 tỷ đồng (ngân sách tỉnh
    …)." from the accepted reports' structured facts; nothing when they hold none."""
    totals = compilation.facts.plan if compilation.facts else None
    if totals is None or totals.is_empty:
        return
    text = f"Năm {compilation.year}, các cơ quan, đơn vị đã {totals_sentence(totals)}"
    sources = funding_sources_text(totals)
    doc.paragraph(text + (f"; trong đó {sources}." if sources else "."))


def _group_totals_paragraph(doc: OfficialDocument, compilation: Compilation, group) -> None:
    if compilation.facts is None:
        return
    totals = compilation.facts.for_group(group.group.pk)
    if not totals.is_empty:
        sentence = totals_sentence(totals)
        doc.paragraph(f"Kết quả chung: {sentence[0].upper() + sentence[1:]}.")


def _proposals_section(doc: OfficialDocument, compilation: Compilation, narrative: Narrative) -> None:
    """Section V in the department's voice: the proposals to higher bodies it chose, one heading per addressee
    ("1. Kiến nghị Ủy ban nhân dân tỉnh", "2. Kiến nghị Bộ Khoa học và Công nghệ"), then its own text."""
    groups = compilation.proposal_groups
    if not groups:
        _text_block(doc, narrative.proposals, empty="(Chưa có nội dung.)")
        return
    for index, group in enumerate(groups, start=1):
        doc.heading(f"{index}. {group.heading}", level=2)
        for item in group.items:
            doc.paragraph(f"- {item}")
    if narrative.proposals.strip():
        doc.heading(f"{len(groups) + 1}. Kiến nghị, đề xuất khác", level=2)
        _text_block(doc, narrative.proposals, empty="")


def _timeliness_sentence(compilation: Compilation) -> str:
    """ " Về thời hạn: 3/4 nhiệm vụ có thời hạn hoàn thành đúng hạn." — only when the plan has tasks with a deadline."""
    summary = compilation.timeliness
    if not summary or not summary.get("with_deadline"):
        return ""
    return f" Về thời hạn: {summary['text']}."


def _counts_sentence(compilation: Compilation) -> str:
    counts = compilation.task_status_counts()
    labels = [
        (EntryStatus.DONE, "hoàn thành"),
        (EntryStatus.CONTINUING, "đang thực hiện thường xuyên"),
        (EntryStatus.IN_PROGRESS, "đang triển khai"),
        (EntryStatus.NOT_STARTED, "chưa triển khai"),
        (NO_REPORT, "chưa có báo cáo được tiếp nhận"),
    ]
    parts = [f"{counts[code]} nhiệm vụ {label}" for code, label in labels if counts.get(code)]
    return f"Trong {len(compilation.tasks)} nhiệm vụ của Kế hoạch: " + "; ".join(parts) + "."


def _target_body_rows(compilation: Compilation) -> list:
    rows = []
    for number, row in enumerate(compilation.targets, start=1):
        rows.append(_target_cells(str(number), row))
        for index, part in enumerate(row.parts, start=1):
            rows.append(TableRow(_target_cells(f"{number}.{index}", part), italic=True))
    return rows


def _target_cells(number: str, row: TargetRow) -> list[str]:
    return [number, row.name, row.goal, row.last_year.text or "—", row.this_year.text or "—", row.assessment]


def _task_appendix_rows(compilation: Compilation) -> list:
    rows: list = []
    number = 0
    for group in compilation.groups:
        rows.append(TableRow([f"{group.group.code}. {group.group.title}"], span=True, bold=True))
        for block in group.tasks:
            number += 1
            # Full texts: the appendix is where the reader finds every accepted result whole.
            results = [f"{c.source.agency_name}: {c.results}" for c in block.lead_contributions if c.results]
            if not results:
                results = [
                    f"{c.source.agency_name} (phối hợp): {c.results}"
                    for c in block.coordinate_contributions
                    if c.results
                ]
            status = block.status_label
            rows.append(
                [
                    str(number),
                    block.task.code,
                    block.task.text,
                    block.lead_text or "—",
                    block.coordinate_text or "—",
                    status,
                    "\n".join(f"- {r}" for r in results) if results else "—",
                ]
            )
    return rows


def _target_appendix_rows(compilation: Compilation) -> list:
    rows: list = []

    def cells(label: str, row: TargetRow) -> list[str]:
        assessment = row.assessment
        if row.verdict.reason and row.target.comparator != Comparator.QUALITATIVE:
            assessment += f"\n{row.verdict.reason}"
        return [
            label,
            row.name,
            row.unit or "—",
            row.goal,
            row.last_year.text or "—",
            row.this_year.text or "—",
            assessment,
            row.source_text or "—",
        ]

    for number, row in enumerate(compilation.targets, start=1):
        rows.append(cells(str(number), row))
        for index, part in enumerate(row.parts, start=1):
            rows.append(TableRow(cells(f"{number}.{index}", part), italic=True))
    return rows


def consolidated_docx(
    compilation: Compilation, narrative: Narrative, *, charts: list[tuple[TargetRow, bytes]] | None = None
) -> bytes:
    year = compilation.year
    doc = OfficialDocument(
        header=OfficialHeader(
            parent_body=header_body_name(compilation.parent_name) if compilation.parent_name else "",
            issuing_body=compilation.coordinator_name.upper(),
            number_text=narrative.number_text,
            place=compilation.place,
            date=narrative.date,
            year=year,
        ),
        kind_title="BÁO CÁO",
        title=narrative.title,
        author=compilation.coordinator_name,
        note=DEMO_NOTE if compilation.cycle.is_demo else "",
    )
    _text_block(doc, narrative.opening, empty="")

    doc.heading(f"{ROMAN[0]}. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN")
    _text_block(doc, narrative.leadership, empty="(Chưa có nội dung.)")

    doc.heading(f"{ROMAN[1]}. KẾT QUẢ THỰC HIỆN")
    doc.heading("1. Tình hình báo cáo của các cơ quan, đơn vị", level=2)
    # The agencies only: the department's own report is never counted as received, late or awaited.
    sources = compilation.agency_sources
    counts = compilation.agency_state_counts
    waiting = counts.get("submitted", 0) + counts.get("late", 0)
    not_sent = counts.get("not_sent", 0) + counts.get("missing", 0)
    parts = [f"{len(sources)} báo cáo đã được tiếp nhận"]
    parts += [
        text
        for n, text in (
            (waiting, f"{waiting} báo cáo đang được xem xét"),
            (counts.get("returned", 0), f"{counts.get('returned', 0)} báo cáo được trả lại để bổ sung"),
            (not_sent, f"{not_sent} đơn vị chưa gửi báo cáo"),
        )
        if n
    ]
    doc.paragraph(
        f"Kỳ báo cáo năm {year} có {sum(counts.values())} cơ quan, đơn vị phải báo cáo, hạn gửi báo cáo ngày "
        f"{fmt_date(compilation.cycle.due_date)}. Đến ngày {fmt_date(compilation.as_of)}: "
        + ", ".join(parts)
        + "."
    )
    if sources and len(sources) <= NAMED_SOURCES_MAX:
        doc.paragraph("Các báo cáo đã được tiếp nhận: " + "; ".join(s.agency_name for s in sources) + ".")
    doc.paragraph(
        "Kết quả dưới đây chỉ lấy từ nội dung các báo cáo đã được tiếp nhận (bản đã gửi được tiếp nhận); báo cáo "
        "đang soạn, đang xem xét hoặc bị trả lại chưa được tổng hợp.",
        italic=True,
    )

    doc.heading("2. Kết quả thực hiện các nhiệm vụ", level=2)
    doc.paragraph(
        _counts_sentence(compilation) + _timeliness_sentence(compilation) + " Chi tiết tại Phụ lục I."
    )
    _plan_totals_paragraph(doc, compilation)
    for index, group in enumerate(compilation.groups, start=1):
        # Decree 30's third level is "a)", not "2.1.".
        doc.heading(f"{item_letter(index)}) {group.group.title} (mục {group.group.code} Kế hoạch)", level=3)
        _group_totals_paragraph(doc, compilation, group)
        for block in group.tasks:
            _task_paragraphs(doc, block)

    doc.heading("3. Kết quả thực hiện các chỉ tiêu", level=2)
    status_counts = compilation.target_status_counts()
    summary = "; ".join(f"{count} chỉ tiêu {status.label.lower()}" for status, count in status_counts.items())
    doc.paragraph(
        f"Đánh giá {len(compilation.targets)} chỉ tiêu của Kế hoạch đến năm {year}: {summary}. Số liệu, nguồn số liệu "
        "tại Phụ lục II" + ("; biểu đồ tại Phụ lục III." if narrative.include_charts and charts else ".")
    )
    doc.table(
        ["TT", "Chỉ tiêu", "Mục tiêu", f"Năm {year - 1}", f"Năm {year}", "Đánh giá"],
        _target_body_rows(compilation),
        widths_mm=[10, 55, 32, 20, 24, 24],
        align=["center", "left", "left", "center", "center", "left"],
        font_size=11,
    )
    if compilation.inspection:
        doc.heading("4. Công tác kiểm tra, giám sát", level=2)
        for paragraph in compilation.inspection:
            doc.paragraph(paragraph)

    doc.heading(f"{ROMAN[2]}. ĐÁNH GIÁ CHUNG")
    doc.heading("1. Ưu điểm", level=2)
    _text_block(doc, narrative.strengths, empty="(Chưa có nội dung.)")
    doc.heading("2. Tồn tại, hạn chế và nguyên nhân", level=2)
    _text_block(doc, narrative.shortcomings, empty="(Chưa có nội dung.)")

    doc.heading(f"{ROMAN[3]}. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}")
    _text_block(doc, narrative.directions, empty="(Chưa có nội dung.)")
    doc.heading(f"{ROMAN[4]}. KIẾN NGHỊ, ĐỀ XUẤT")
    _proposals_section(doc, compilation, narrative)
    if narrative.closing.strip():
        _text_block(doc, narrative.closing, empty="")

    doc.signature(
        authority_prefix=narrative.authority_line, title=narrative.signer_title, name=narrative.signer_name
    )
    doc.recipients(narrative.recipients or [archive_line()])

    note = appendix_note(compilation, narrative)
    doc.appendix("Phụ lục I", f"Kết quả thực hiện các nhiệm vụ năm {year}", note, landscape=True)
    doc.table(
        ["TT", "Mã", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Tình trạng", "Kết quả"],
        _task_appendix_rows(compilation),
        widths_mm=[9, 18, 70, 32, 32, 28, 68],
        align=["center", "center", "justify", "left", "left", "left", "justify"],
        font_size=10,
        header_rows=[["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"]],
    )
    doc.appendix("Phụ lục II", f"Kết quả thực hiện các chỉ tiêu năm {year}", note, landscape=True)
    doc.table(
        [
            "TT",
            "Chỉ tiêu",
            "Đơn vị tính",
            "Mục tiêu",
            f"Năm {year - 1}",
            f"Năm {year}",
            "Đánh giá",
            "Nguồn số liệu",
        ],
        _target_appendix_rows(compilation),
        widths_mm=[9, 50, 18, 30, 20, 24, 55, 51],
        align=["center", "left", "center", "left", "center", "center", "left", "left"],
        font_size=10,
        header_rows=[["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"]],
    )
    if narrative.include_charts and charts:
        doc.appendix("Phụ lục III", f"Biểu đồ thực hiện các chỉ tiêu đến năm {year}", note, landscape=False)
        for index, (row, png) in enumerate(charts, start=1):
            doc.image(png, width_mm=150, caption=f"Biểu đồ {index}. {row.target.code} {row.name}")
    return doc.to_bytes()
