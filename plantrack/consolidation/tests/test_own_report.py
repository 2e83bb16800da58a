"""The department in charge's own report (issue 12 point 5): it reports on the tasks it leads like any agency; a
build is preceded by a warning while that report is not accepted; the report never counts the department among
the agencies that have not sent theirs."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from plantrack.consolidation.report.build import build_consolidated
from plantrack.consolidation.selectors import own_report_warning
from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport

from .conftest import VN, _user, fill, marker

pytestmark = pytest.mark.django_db


def own_report(world) -> AgencyReport:
    return AgencyReport.objects.get(cycle=world.cycle, agency=world.plan.coordinator_agency)


def accept_own_report(world) -> AgencyReport:
    report = own_report(world)
    head = _user("lanhdao_skhcn", "head", report.agency)
    fill(report, head)
    services.report_submit(actor=head, report=AgencyReport.objects.get(pk=report.pk))
    return services.report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report.pk))


def test_the_department_owes_a_report_on_the_tasks_it_leads(cycle_2025):
    assert own_report(cycle_2025).entries.filter(role="lead").exists()


def test_build_page_warns_while_the_department_report_is_not_accepted(cycle_2025, client):
    client.force_login(cycle_2025.coordinator)
    html = client.get(reverse("consolidation:detail", args=[cycle_2025.cycle.pk])).content.decode()
    assert 'id="own-report-warning"' in html
    assert reverse("reporting:report_detail", args=[own_report(cycle_2025).pk]) in html
    assert "chưa được tiếp nhận" in html


def test_no_warning_once_the_department_report_is_accepted(cycle_2025, client, tmp_path):
    accept_own_report(cycle_2025)
    assert own_report_warning(cycle=cycle_2025.cycle) is None
    client.force_login(cycle_2025.coordinator)
    html = client.get(reverse("consolidation:detail", args=[cycle_2025.cycle.pk])).content.decode()
    assert 'id="own-report-warning"' not in html
    err = io.StringIO()
    call_command(
        "build_report",
        "--plan",
        "386/KH-UBND",
        "--year",
        "2025",
        "--out",
        str(tmp_path),
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "Cảnh báo" not in err.getvalue()


def test_build_report_command_warns_before_building(cycle_2025, tmp_path):
    err = io.StringIO()
    call_command(
        "build_report",
        "--plan",
        "386/KH-UBND",
        "--year",
        "2025",
        "--out",
        str(tmp_path),
        stdout=io.StringIO(),
        stderr=err,
    )
    warning = own_report_warning(cycle=cycle_2025.cycle)
    assert warning is not None and warning.lead_tasks > 0
    assert f"Cảnh báo: {warning.message}" in err.getvalue()
    assert cycle_2025.plan.coordinator_agency.name in warning.message


def reporting_sentence(built) -> str:
    return next(
        p.text for p in Document(io.BytesIO(built.docx)).paragraphs if p.text.startswith("Kỳ báo cáo năm")
    )


def test_the_department_is_never_counted_among_agencies_not_sent(cycle_2025, time_machine):
    time_machine.move_to(datetime.datetime(2025, 12, 20, 9, 0, tzinfo=VN), tick=False)  # past the due date
    built = build_consolidated(cycle=cycle_2025.cycle, charts=False)
    others = AgencyReport.objects.filter(cycle=cycle_2025.cycle).exclude(
        agency=cycle_2025.plan.coordinator_agency
    )
    unsent = others.filter(first_submitted_at__isnull=True).count()
    assert built.compilation.own_report_state == "missing"
    text = reporting_sentence(built)
    assert f"có {others.count()} cơ quan, đơn vị phải báo cáo" in text
    assert re.search(rf"\b{unsent} đơn vị chưa gửi báo cáo", text), text


def test_the_department_results_count_but_it_is_not_listed_as_an_agency_report(cycle_2025):
    own = accept_own_report(cycle_2025)
    built = build_consolidated(cycle=cycle_2025.cycle, charts=False)
    document = Document(io.BytesIO(built.docx))
    body = "\n".join(p.text for p in document.paragraphs)
    first_lead = own.entries.filter(role="lead").select_related("task").order_by("order").first()
    assert marker(own, first_lead.task.code) in body  # its results are in the report
    accepted_line = next(
        p.text for p in document.paragraphs if p.text.startswith("Các báo cáo đã được tiếp nhận")
    )
    assert own.agency.name not in accepted_line
    assert f"{len(cycle_2025.accepted)} báo cáo đã được tiếp nhận" in reporting_sentence(built)
