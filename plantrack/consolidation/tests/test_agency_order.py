"""The consolidated report lists agencies in the one Vietnamese order (core.text.vi_sort_key: a ă â b c d đ e ê
…): the agencies whose reports were received, and each task's contributions (lead agencies first). Binary order
would put "Đài…" and "Ủy ban…" after "Văn phòng…"."""

import io

import pytest
from docx import Document

from plantrack.consolidation.report.build import build_consolidated
from plantrack.consolidation.report.compile import consolidated_compile
from plantrack.orgs.tests.factories import AgencyFactory
from plantrack.plans.tests.factories import AssignmentFactory
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport
from plantrack.reporting.tests import conftest as reporting_fixtures
from plantrack.reporting.tests.factories import UserFactory

# The small world of the reporting tests (plan 99, agencies A, B, C, the department), on 20/11/2025.
world = reporting_fixtures.world
before_due_date = reporting_fixtures.before_due_date
fast_passwords = reporting_fixtures.fast_passwords
fill = reporting_fixtures.fill

# B, Đ, S, U (Ủ), V. Binary order: Ban, Sở, Văn phòng, Đài, Ủy ban.
RECEIVED = ["Ban Thứ tự", "Đài Thứ tự", "Sở Thứ tự", "Ủy ban Thứ tự", "Văn phòng Thứ tự"]
# Task T1's lead agencies (its coordinating agency, Đài, comes after them).
T1_LEADS = ["Ban Thứ tự", "Sở Thứ tự", "Ủy ban Thứ tự", "Văn phòng Thứ tự"]


@pytest.fixture
def accepted_cycle(world):
    heads = {world.a: world.head_a, world.b: world.head_b, world.c: world.head_c}
    for agency, name in ((world.a, "Văn phòng Thứ tự"), (world.b, "Đài Thứ tự"), (world.c, "Ủy ban Thứ tự")):
        agency.name = agency.short_name = name
        agency.save()
    for name in ("Sở Thứ tự", "Ban Thứ tự"):
        agency = AgencyFactory(name=name, short_name=name)
        heads[agency] = UserFactory(role="head", agency=agency)
        AssignmentFactory(task=world.t1, role="lead", agency=agency)
    AssignmentFactory(task=world.t1, role="lead", agency=world.c)
    cycle = world.open_cycle()
    for agency, head in heads.items():
        report = fill(world.report(cycle, agency), head)
        reporting.report_submit(actor=head, report=report)
        reporting.report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report.pk))
    return cycle


def test_the_expected_orders_are_not_the_binary_ones():
    assert sorted(RECEIVED) != RECEIVED and sorted(T1_LEADS) != T1_LEADS


def test_received_reports_and_contributions_are_in_vietnamese_order(world, accepted_cycle):
    compilation = consolidated_compile(cycle=accepted_cycle)
    assert [s.agency_name for s in compilation.agency_sources] == RECEIVED
    t1 = next(b for g in compilation.groups for b in g.tasks if b.task.pk == world.t1.pk)
    assert [c.source.agency_name for c in t1.contributions] == [*T1_LEADS, "Đài Thứ tự"]


def test_the_document_names_the_received_reports_in_vietnamese_order(world, accepted_cycle):
    built = build_consolidated(cycle=accepted_cycle, charts=False)
    texts = [p.text for p in Document(io.BytesIO(built.docx)).paragraphs]
    line = next(t for t in texts if t.startswith("Các báo cáo đã được tiếp nhận: "))
    assert line == "Các báo cáo đã được tiếp nhận: " + "; ".join(RECEIVED) + "."
    assert [s["agency"] for s in built.manifest()["sources"]] == RECEIVED
