"""Every agency list in a generated document is in the one Vietnamese order (core.text.vi_sort_key: a ă â b c d đ
e ê …): binary order would put "Đài…" and "Ủy ban…" after "Văn phòng…". Urging letter (names and appendix) and
escalation list (rows and DOCX)."""

import datetime
import io

import pytest
from docx import Document

from plantrack.monitoring.escalation import escalation_record, escalation_rows
from plantrack.monitoring.escalation_docx import escalation_docx
from plantrack.monitoring.letter import letter_recipients, urging_letter_docx
from plantrack.monitoring.services import urging_letter_prepare
from plantrack.orgs.tests.factories import AgencyFactory
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport

from .conftest import at, fill

TODAY = datetime.date(2025, 12, 8)
# What a reader expects: B, Đ, S (Nội < Tài < Thứ), U (Ủ), V. Binary order: Ban, Sở…, Văn phòng, Đài, Ủy ban.
EXPECTED = [
    "Ban Thứ tự",
    "Đài Thứ tự",
    "Sở Nội vụ (thử)",
    "Sở Tài chính (thử)",
    "Sở Thứ tự",
    "Ủy ban Thứ tự",
    "Văn phòng Thứ tự",
]


@pytest.fixture
def chased(world, cycle, time_machine):
    """On 08/12/2025: A sent late (07/12), B and five more agencies never sent, C accepted."""
    for name in ["Văn phòng Thứ tự", "Ủy ban Thứ tự", "Sở Thứ tự", "Đài Thứ tự", "Ban Thứ tự"]:
        AgencyReport.objects.create(cycle=cycle, agency=AgencyFactory(name=name))
    report_c = fill(world.report(cycle, world.c), world.head_c)
    reporting.report_submit(actor=world.head_c, report=report_c)
    reporting.report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report_c.pk))
    time_machine.move_to(at(7), tick=False)
    report_a = fill(world.report(cycle, world.a), world.reporter_a)
    reporting.report_submit(actor=world.head_a, report=report_a)
    time_machine.move_to(at(8), tick=False)
    return cycle


def test_the_expected_order_is_not_the_binary_one():
    assert sorted(EXPECTED) != EXPECTED


def test_the_urging_letter_lists_agencies_in_vietnamese_order(world, chased):
    letter = urging_letter_prepare(actor=world.coordinator, cycle=chased, today=TODAY)
    assert [a["name"] for a in letter.listed_agencies] == EXPECTED
    _class, rows = letter_recipients(letter)
    assert [name for name, _state in rows] == EXPECTED
    table = Document(io.BytesIO(urging_letter_docx(letter))).tables[-1]
    assert [r.cells[1].text for r in table.rows[1:]] == EXPECTED


def test_five_names_under_kinh_gui_are_in_vietnamese_order(world, chased):
    AgencyReport.objects.filter(cycle=chased, agency__name__in=["Sở Thứ tự", "Sở Nội vụ (thử)"]).delete()
    letter = urging_letter_prepare(actor=world.coordinator, cycle=chased, today=TODAY)
    named = [n for n in EXPECTED if n not in ("Sở Thứ tự", "Sở Nội vụ (thử)")]
    assert letter.addressee_list() == named


def test_the_escalation_list_and_its_document_are_in_vietnamese_order(world, chased):
    today = datetime.date(2025, 12, 20)
    rows = escalation_rows(cycle=chased, today=today)
    assert [r.name for r in rows] == EXPECTED
    # chosen in another order: the record and its document still read in the one order
    record = escalation_record(
        actor=world.coordinator, cycle=chased, agency_ids=[r.agency_id for r in reversed(rows)], today=today
    )
    document = Document(io.BytesIO(escalation_docx(record)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "TT")
    assert [row.cells[1].text for row in table.rows[1:]] == EXPECTED
