"""The Excel round trip carries the structured facts (documents, events, funding) and the proposals with their
addressee (issue 12 point 2): filled in off line, they come back as the form would save them, with the same rules;
typing errors name sheet, row and column; a workbook made before these sheets existed leaves them alone."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from plantrack.reporting import services
from plantrack.reporting.excel import (
    DOC_SHEET,
    EVENT_SHEET,
    FACT_SHEETS,
    FUND_SHEET,
    PROPOSAL_SHEET,
    XlsxImportError,
    report_xlsx_build,
)
from plantrack.reporting.facts import DocumentIn, EntryFacts, FundingIn, ProposalIn
from plantrack.reporting.models import Addressee
from plantrack.reporting.services import ReportingError, report_import_xlsx

pytestmark = pytest.mark.django_db


def _book(report):
    return load_workbook(io.BytesIO(report_xlsx_build(report)))


def _bytes(wb) -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "bao-cao.xlsx"
    return out


def _row(ws, row, *values):
    for col, value in enumerate(values, start=1):
        ws.cell(row=row, column=col, value=value)


def test_facts_and_proposals_come_back_from_the_workbook(world, cycle):
    report = world.report(cycle, world.a)
    wb = _book(report)
    _row(wb[DOC_SHEET], 2, 1, "III.1.a", "206/STC-KHTC", "12/07/2025", "triển khai Kế hoạch 99/KH-UBND")
    _row(wb[DOC_SHEET], 3, 2, "III.1.a", "15/KH-STC", datetime.datetime(2025, 3, 1), "kế hoạch năm")
    _row(wb[EVENT_SHEET], 2, 1, "III.1.b", "Lớp tập huấn, bồi dưỡng", 3, 450, "tập huấn chuyển đổi số")
    _row(wb[FUND_SHEET], 2, 1, "III.1.a", 2025, "1.234,5", 300, "", "1000", "")
    _row(
        wb[PROPOSAL_SHEET],
        2,
        1,
        "Bộ, ngành trung ương",
        "Bộ Khoa học và Công nghệ",
        "Sớm ban hành hướng dẫn.",
    )
    _row(wb[PROPOSAL_SHEET], 3, 2, "Ủy ban nhân dân tỉnh", "", "Bố trí kinh phí năm 2026.")
    report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))

    e1, e2 = report.entries.order_by("order")
    assert list(e1.documents.order_by("order").values_list("number_symbol", "issued_on")) == [
        ("206/STC-KHTC", datetime.date(2025, 7, 12)),
        ("15/KH-STC", datetime.date(2025, 3, 1)),
    ]
    event = e2.events.get()
    assert (event.kind, event.count, event.participants) == ("training", 3, 450)
    fund = e1.funding.get()
    assert (fund.provincial, fund.central, fund.other, fund.spent) == (
        Decimal("1234.5"),
        Decimal(300),
        Decimal(0),
        Decimal(1000),
    )
    proposals = list(report.proposal_items.order_by("order", "pk"))
    assert [(p.addressee, p.addressee_name) for p in proposals] == [
        (Addressee.MINISTRY, "Bộ Khoa học và Công nghệ"),
        (Addressee.PROVINCE, ""),
    ]


def test_the_template_holds_what_the_report_already_has(world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.order_by("order").first()
    services.report_save_draft(
        actor=world.reporter_a,
        report=report,
        version=report.version,
        facts={
            entry.pk: EntryFacts(
                documents=(DocumentIn("206/STC-KHTC", datetime.date(2025, 7, 12), "triển khai"),),
                funding=(FundingIn(2025, provincial=Decimal("800.5")),),
            )
        },
        proposals=[ProposalIn(Addressee.PROVINCE, "Bố trí kinh phí.")],
    )
    report.refresh_from_db()
    wb = _book(report)
    assert [c.value for c in wb[DOC_SHEET][2]] == [
        1,
        entry.task.code,
        "206/STC-KHTC",
        "12/07/2025",
        "triển khai",
    ]
    assert wb[FUND_SHEET]["D2"].value == "800,5"
    assert wb[PROPOSAL_SHEET]["B2"].value == "Ủy ban nhân dân tỉnh"
    proposal = report.proposal_items.get()
    assert wb[PROPOSAL_SHEET]["E2"].value == proposal.pk
    # Uploaded unchanged: the same facts, the same proposal row (the department's decisions on it are kept).
    report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))
    assert entry.documents.get().number_symbol == "206/STC-KHTC"
    assert entry.funding.get().provincial == Decimal("800.5")
    assert report.proposal_items.get().pk == proposal.pk


def test_typing_errors_name_sheet_row_and_column_and_nothing_is_saved(world, cycle):
    report = world.report(cycle, world.a)
    version = report.version
    wb = _book(report)
    _row(wb[DOC_SHEET], 2, 1, "III.1.a", "206/STC", "32/13/2025", "x")
    _row(wb[EVENT_SHEET], 2, 1, "III.1.a", "Liên hoan", 1, 0, "")
    _row(wb[FUND_SHEET], 2, 1, "III.9.z", 2025, 1, 0, 0, 0, "")
    _row(wb[FUND_SHEET], 3, 2, "III.1.a", 2025, "mười", 0, 0, 0, "")
    _row(wb[PROPOSAL_SHEET], 2, 1, "Cơ quan, đơn vị khác", "Sở Không Có", "Phối hợp.")
    with pytest.raises(XlsxImportError) as err:
        report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))
    text = "\n".join(err.value.problems)
    assert "Trang “Văn bản”, dòng 2, cột D (Ngày ban hành)" in text
    assert "Trang “Hội nghị, tập huấn”, dòng 2, cột C (Loại): “Liên hoan” không có trong danh sách" in text
    assert "Trang “Kinh phí”, dòng 2, cột B (Mã nhiệm vụ): mã nhiệm vụ “III.9.z”" in text
    assert "Trang “Kinh phí”, dòng 3, cột D" in text
    assert "Trang “Kiến nghị”, dòng 2, cột C" in text and "Sở Không Có" in text
    report.refresh_from_db()
    assert report.version == version


def test_the_services_rules_apply_to_the_workbook_too(world, cycle):
    report = world.report(cycle, world.a)
    wb = _book(report)
    _row(wb[FUND_SHEET], 2, 1, "III.1.a", 2031, 5, 0, 0, 0, "")  # a year after the cycle's
    with pytest.raises(ReportingError, match="năm kinh phí 2031"):
        report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))


def test_a_workbook_without_the_fact_sheets_leaves_facts_and_proposals_alone(world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.order_by("order").first()
    services.report_save_draft(
        actor=world.reporter_a,
        report=report,
        version=report.version,
        facts={entry.pk: EntryFacts(funding=(FundingIn(2025, provincial=Decimal(5)),))},
        proposals=[ProposalIn(Addressee.PROVINCE, "Bố trí kinh phí.")],
    )
    report.refresh_from_db()
    wb = _book(report)
    for name in FACT_SHEETS:
        del wb[name]
    report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))
    assert entry.funding.get().provincial == Decimal(5)
    assert report.proposal_items.count() == 1


def test_a_workbook_missing_only_some_fact_sheets_is_refused(world, cycle):
    report = world.report(cycle, world.a)
    wb = _book(report)
    del wb[FUND_SHEET]
    with pytest.raises(XlsxImportError, match="Kinh phí"):
        report_import_xlsx(actor=world.reporter_a, report=report, upload=_bytes(wb))
