"""Escalation to the UBND tỉnh: the list with reminder and letter counts, the record, the Decree 30 DOCX, pages."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from plantrack.monitoring.escalation import escalation_record, escalation_rows
from plantrack.monitoring.escalation_docx import escalation_docx
from plantrack.monitoring.models import EscalationRecord
from plantrack.monitoring.services import MonitoringError, reminders_send, urging_letter_prepare
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport

from .conftest import at, fill

TODAY = datetime.date(2025, 12, 20)


@pytest.fixture
def chased(world, cycle, time_machine):
    """C accepted on time; A sent late on 07/12; B never sent. Reminders went out on 04/12 (the day before the due
    date) and 06/12 (the day after); one urging letter on 08/12 named A and B; escalation considered on 20/12."""
    report_c = fill(world.report(cycle, world.c), world.head_c)
    reporting.report_submit(actor=world.head_c, report=report_c)
    reporting.report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report_c.pk))
    time_machine.move_to(at(4), tick=False)
    reminders_send(cycle=cycle, today=datetime.date(2025, 12, 4), actor=world.coordinator)
    time_machine.move_to(at(6), tick=False)
    reminders_send(cycle=cycle, today=datetime.date(2025, 12, 6), actor=world.coordinator)
    time_machine.move_to(at(7), tick=False)
    report_a = fill(world.report(cycle, world.a), world.reporter_a)
    reporting.report_submit(actor=world.head_a, report=report_a)
    time_machine.move_to(at(8), tick=False)
    urging_letter_prepare(actor=world.coordinator, cycle=cycle, today=datetime.date(2025, 12, 8))
    time_machine.move_to(at(20), tick=False)
    return cycle


def test_rows_count_reminders_and_letters(world, chased, django_assert_num_queries):
    with django_assert_num_queries(3):
        rows = escalation_rows(cycle=chased, today=TODAY)
    by_name = {r.name: r for r in rows}
    assert set(by_name) == {world.a.name, world.b.name}
    b = by_name[world.b.name]
    assert (b.reason, b.reminders, b.letters, b.last_reminded) == ("missing", 2, 1, "06/12/2025")
    a = by_name[world.a.name]
    # A had not sent by 06/12 either, so both steps reached it; it sent late on 07/12.
    assert (a.reason, a.reminders, a.letters) == ("late", 2, 1)


def test_record_keeps_who_decided_and_the_rows(world, chased):
    record = escalation_record(actor=world.coordinator, cycle=chased, agency_ids=[world.b.pk], today=TODAY)
    assert record.decided_by == world.coordinator and record.decision_date == TODAY
    assert list(record.agencies.all()) == [world.b]
    assert [(r["name"], r["reminders"], r["letters"]) for r in record.listed] == [(world.b.name, 2, 1)]
    assert record.addressee == world.plan.issuer.name
    assert "vẫn còn 1 cơ quan, đơn vị chậm hoặc chưa gửi báo cáo" in record.body
    assert record.history.count() == 1


def test_only_the_plan_coordinator_escalates(world, chased):
    for actor in (world.other_coordinator, world.viewer, world.head_a):
        with pytest.raises(MonitoringError):
            escalation_record(actor=actor, cycle=chased, agency_ids=[world.b.pk], today=TODAY)
    with pytest.raises(MonitoringError):  # C is accepted: not late, cannot be escalated
        escalation_record(actor=world.coordinator, cycle=chased, agency_ids=[world.c.pk], today=TODAY)
    assert not EscalationRecord.objects.exists()


def test_docx_lists_the_agencies_with_counts(world, chased):
    record = escalation_record(
        actor=world.coordinator, cycle=chased, agency_ids=[world.a.pk, world.b.pk], today=TODAY, number="12"
    )
    document = Document(io.BytesIO(escalation_docx(record)))
    header = "\n".join(c.text for row in document.tables[0].rows for c in row.cells)
    assert f"Số: 12/{record.symbol}" in header
    assert "V/v báo cáo danh sách cơ quan, đơn vị chậm, chưa báo cáo" in header
    texts = [p.text for p in document.paragraphs]
    assert f"Kính gửi: {world.plan.issuer.name}" in texts or any(
        world.plan.issuer.name in t for t in texts[:5]
    )
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "TT")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert sorted(r[1:] for r in rows) == sorted(
        [
            [world.b.name, "Chưa gửi báo cáo", "2", "1"],
            [world.a.name, "Đã gửi báo cáo chậm so với thời hạn, đang xem xét", "2", "1"],
        ]
    )


def test_pages(client, world, chased):
    client.force_login(world.coordinator)
    page = client.get(reverse("monitoring:escalation_create", args=[chased.pk])).content.decode()
    assert world.b.name in page and world.c.name not in page
    response = client.post(
        reverse("monitoring:escalation_create", args=[chased.pk]), {"agencies": [world.b.pk]}
    )
    assert response.status_code == 302
    record = EscalationRecord.objects.get()
    assert client.get(reverse("monitoring:escalation_detail", args=[record.pk])).status_code == 200
    download = client.get(reverse("monitoring:escalation_docx", args=[record.pk]))
    assert download.status_code == 200 and download.content[:2] == b"PK"
    client.force_login(world.viewer)
    assert client.get(reverse("monitoring:escalation_detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("monitoring:escalation_create", args=[chased.pk])).status_code == 403
