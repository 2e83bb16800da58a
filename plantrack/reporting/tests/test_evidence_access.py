"""Evidence of a co-led task: a lead agency sees the evidence its coordinating agencies sent for the task, never
the evidence of another lead agency of the same task (Evidence.objects.for_user, the one rule pages and API use)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plantrack.plans.tests.factories import AssignmentFactory
from plantrack.reporting.models import Evidence
from plantrack.reporting.selectors import partner_entries
from plantrack.reporting.services import evidence_add_file, report_submit

from . import samples
from .conftest import fill


@pytest.fixture
def co_led(world):
    """T1 led by A and C together, B coordinating; all three have sent their report with evidence on T1."""
    AssignmentFactory(task=world.t1, role="lead", agency=world.c)
    cycle = world.open_cycle()
    evidence = {}
    for agency, reporter, head in (
        (world.a, world.reporter_a, world.head_a),
        (world.b, world.reporter_b, world.head_b),
        (world.c, world.head_c, world.head_c),
    ):
        report = world.report(cycle, agency)
        entry = report.entries.get(task=world.t1)
        evidence[agency.pk] = evidence_add_file(
            actor=reporter,
            report=report,
            entry=entry,
            upload=SimpleUploadedFile(f"t1-{agency.pk}.pdf", samples.pdf()),
            title="Minh chứng T1",
        )
        report_submit(actor=head, report=fill(report, reporter))
    return cycle, evidence


def test_a_lead_agency_sees_its_coordinating_agencys_evidence_not_a_co_leads(client, world, co_led):
    cycle, evidence = co_led
    seen_by_c = set(Evidence.objects.for_user(world.head_c).values_list("pk", flat=True))

    assert evidence[world.c.pk].pk in seen_by_c  # its own
    assert evidence[world.b.pk].pk in seen_by_c  # B coordinates T1
    assert evidence[world.a.pk].pk not in seen_by_c  # A co-leads T1
    client.force_login(world.head_c)
    assert client.get(f"/bao-cao/minh-chung/{evidence[world.a.pk].pk}/").status_code == 404
    assert client.get(f"/api/v1/evidence/{evidence[world.a.pk].pk}/download/").status_code == 404
    response = client.get(f"/bao-cao/minh-chung/{evidence[world.b.pk].pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.pdf()


def test_the_partner_entries_of_a_lead_follow_the_same_rule(world, co_led):
    cycle, evidence = co_led
    partners = partner_entries(report=world.report(cycle, world.c))

    agencies = {entry.report.agency_id for entry in partners[world.t1.pk]}
    assert agencies == {world.b.pk}
    shown = {ev.pk for entry in partners[world.t1.pk] for ev in entry.evidence.all()}
    assert shown <= set(Evidence.objects.for_user(world.head_c).values_list("pk", flat=True))
