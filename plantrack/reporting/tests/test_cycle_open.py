import datetime

import pytest
from django.core import mail

from plantrack.notifications.models import Notification
from plantrack.reporting.models import AgencyReport, ReportEntry, ReportState
from plantrack.reporting.services import ReportingError, cycle_close, cycle_open


def test_opening_creates_one_report_per_agency_owing_a_task(world):
    cycle = world.open_cycle()
    reports = {r.agency_id: r for r in AgencyReport.objects.filter(cycle=cycle)}
    # A and B directly, C through the group; the coordinating department owes nothing; T3 ("liên quan") nobody.
    assert set(reports) == {world.a.pk, world.b.pk, world.c.pk}
    assert all(r.state == ReportState.DRAFT and r.version == 1 for r in reports.values())
    roles = {(e.report.agency_id, e.task_id): e.role for e in ReportEntry.objects.filter(report__cycle=cycle)}
    assert roles == {
        (world.a.pk, world.t1.pk): "lead",
        (world.a.pk, world.t2.pk): "coordinate",
        (world.b.pk, world.t1.pk): "coordinate",
        (world.b.pk, world.t2.pk): "lead",  # lead wins over group
        (world.c.pk, world.t2.pk): "coordinate",
    }


def test_due_date_comes_from_the_plan_and_the_data_window_from_decree_09(world):
    world.plan.report_due_day, world.plan.report_due_month = 5, 12
    world.plan.save()
    cycle = world.open_cycle()
    assert cycle.due_date == datetime.date(2025, 12, 5)
    assert (cycle.period_start, cycle.period_end) == (
        datetime.date(2024, 12, 15),
        datetime.date(2025, 12, 14),
    )
    assert cycle.data_as_of == datetime.date(2025, 12, 14)


def test_due_date_and_data_date_can_be_set_per_cycle(world):
    cycle = world.open_cycle(due_date=datetime.date(2025, 12, 10), data_as_of=datetime.date(2025, 11, 30))
    assert cycle.due_date == datetime.date(2025, 12, 10)
    assert cycle.data_as_of == datetime.date(2025, 11, 30)
    assert AgencyReport.objects.filter(cycle=cycle).first().data_as_of == datetime.date(2025, 11, 30)


def test_one_cycle_per_plan_per_year(world):
    world.open_cycle()
    with pytest.raises(ReportingError, match="đã được mở"):
        world.open_cycle()


@pytest.mark.parametrize("persona", ["reporter_a", "head_a", "viewer", "other_coordinator"])
def test_only_the_plans_coordinator_opens_a_cycle(world, persona):
    with pytest.raises(ReportingError, match="điều phối"):
        cycle_open(actor=getattr(world, persona), plan=world.plan, year=2025)


def test_opening_notifies_the_agencies_in_app_and_by_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.open_cycle()
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"reporter_a", "head_a", "reporter_b", "head_b", "head_c"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"{u}@example.vn" for u in recipients)
    assert "Hạn gửi báo cáo: 05/12/2025" in mail.outbox[0].body


def test_plan_386_expected_agencies_include_group_members(plan_386, django_user_model):
    from plantrack.orgs.models import Agency

    dept = plan_386.coordinator_agency
    coordinator = django_user_model.objects.create(username="dp", role="coordinator", agency=dept)
    cycle = cycle_open(actor=coordinator, plan=plan_386, year=2025)
    names = set(AgencyReport.objects.filter(cycle=cycle).values_list("agency__name", flat=True))
    assert "Sở Tài chính" in names and "Sở Nội vụ" in names
    assert len(names) > 20
    stc = AgencyReport.objects.get(cycle=cycle, agency=Agency.objects.get(name="Sở Tài chính"))
    assert stc.entries.filter(role="lead").exists()


def test_closed_cycle_refuses_edits(world, cycle):
    from plantrack.reporting.services import report_save_draft

    cycle_close(actor=world.coordinator, cycle=cycle)
    report = world.report(cycle, world.a)
    with pytest.raises(ReportingError, match="đã đóng"):
        report_save_draft(
            actor=world.reporter_a, report=report, version=report.version, sections={"proposals": "x"}
        )
    with pytest.raises(ReportingError, match="đã đóng"):
        cycle_close(actor=world.coordinator, cycle=cycle)
