"""Reports and organisation changes: a cycle after a change expects the successor and says where each inherited
task came from; a change that falls inside an open cycle moves unsent reports; undo puts them back."""

import datetime

import pytest

from plantrack.accounts.models import Role, User
from plantrack.orgs.models import Agency, SuccessionKind
from plantrack.orgs.services import (
    OrgChangeError,
    OrgChangeSpec,
    orgchange_apply,
    orgchange_preview,
    orgchange_undo,
)
from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport, ReportEntry

D = datetime.date


def _named(name: str, day: datetime.date) -> Agency:
    return Agency.objects.filter(name=name).valid_on(day).get()


@pytest.fixture
def coordinator(plan_386):
    return User.objects.create_user(
        "dp", password="x-Strong-Pass-2025", role=Role.COORDINATOR, agency=plan_386.coordinator_agency
    )


@pytest.fixture
def admin(db):
    return User.objects.create_user("it", password="x-Strong-Pass-2025", role=Role.ADMIN)


def test_cycles_before_and_after_the_reform(plan_386, coordinator):
    tttt = _named("Sở Thông tin và Truyền thông", D(2024, 11, 16))
    skhcn = plan_386.coordinator_agency
    before = services.cycle_open(actor=coordinator, plan=plan_386, year=2024)
    after = services.cycle_open(actor=coordinator, plan=plan_386, year=2025)
    # 2024: the department named in the plan reports for its own task, without any origin.
    entry_2024 = ReportEntry.objects.get(report__cycle=before, report__agency=tttt, task__code="III.1.b")
    assert entry_2024.inherited_from == ""
    # 2025: Sở TT&TT no longer exists; Sở KH&CN owes III.1.b and is told where it came from.
    assert not AgencyReport.objects.filter(cycle=after, agency=tttt).exists()
    entry_2025 = ReportEntry.objects.get(report__cycle=after, report__agency=skhcn, task__code="III.1.b")
    assert entry_2025.role == "lead"
    assert entry_2025.inherited_from == "Sở Thông tin và Truyền thông"
    assert (
        ReportEntry.objects.get(
            report__cycle=after, report__agency=skhcn, task__code="III.2.b.1"
        ).inherited_from
        == ""
    )
    districts_2024 = AgencyReport.objects.filter(cycle=before, agency__kind="district_committee").count()
    assert districts_2024 == 11
    assert not AgencyReport.objects.filter(cycle=after, agency__kind="district_committee").exists()
    assert AgencyReport.objects.filter(cycle=after, agency__kind="commune_committee").exists()


def test_change_inside_an_open_cycle_moves_the_unsent_report_and_undo_restores_it(
    plan_386, coordinator, admin
):
    cycle = services.cycle_open(actor=coordinator, plan=plan_386, year=2026)
    education = _named("Sở Giáo dục và Đào tạo", D(2026, 6, 1))
    report = AgencyReport.objects.get(cycle=cycle, agency=education)
    tasks = set(report.entries.values_list("task__code", flat=True))
    spec = OrgChangeSpec(
        kind=SuccessionKind.MERGE_INTO,
        effective_date=D(2026, 7, 1),
        predecessors=[education],
        successors=[_named("Sở Nội vụ", D(2026, 7, 1))],
    )
    assert any("Sở Giáo dục và Đào tạo" in line for line in orgchange_preview(spec=spec).other)
    change = orgchange_apply(actor=admin, spec=spec)
    interior = AgencyReport.objects.get(cycle=cycle, agency__name="Sở Nội vụ")
    moved = interior.entries.filter(inherited_from="Sở Giáo dục và Đào tạo")
    # III.4.c is Sở GD&ĐT's own task; the group tasks both owed already stay with Sở Nội vụ's entry.
    assert "III.4.c" in set(moved.values_list("task__code", flat=True))
    assert not AgencyReport.objects.filter(cycle=cycle, agency=education).exists()
    orgchange_undo(actor=admin, change=change)
    restored = AgencyReport.objects.get(cycle=cycle, agency=education)
    assert set(restored.entries.values_list("task__code", flat=True)) == tasks
    assert not restored.entries.exclude(inherited_from="").exists()


def test_a_sent_report_stays_with_its_agency_and_blocks_undo_once_sent(plan_386, coordinator, admin):
    cycle = services.cycle_open(actor=coordinator, plan=plan_386, year=2026)
    trade = _named("Sở Công Thương", D(2026, 6, 1))
    report = AgencyReport.objects.get(cycle=cycle, agency=trade)
    new = Agency.objects.create(name="Sở Công Thương và Du lịch", kind="department")
    change = orgchange_apply(
        actor=admin,
        spec=OrgChangeSpec(
            kind=SuccessionKind.MERGE_INTO,
            effective_date=D(2026, 7, 1),
            predecessors=[trade],
            successors=[new],
        ),
    )
    report.refresh_from_db()
    assert report.agency == new  # the successor had no report: it takes the whole unsent report over
    head = User.objects.create_user("ld", password="x-Strong-Pass-2025", role=Role.HEAD, agency=new)
    entries = {
        e.pk: {"status": "in_progress", "results": "Đã làm", "difficulties": ""} for e in report.entries.all()
    }
    report = services.report_save_draft(
        actor=head, report=report, version=report.version, sections={}, entries=entries
    )
    services.report_submit(actor=head, report=report)
    with pytest.raises(OrgChangeError, match="đã được gửi"):
        orgchange_undo(actor=admin, change=change)
