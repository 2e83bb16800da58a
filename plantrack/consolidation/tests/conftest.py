"""Fixtures of the consolidated report tests.

``cycle_2025`` is plan 386/KH-UBND (the embedded default: 31 tasks, 9 targets) with its 2025 cycle opened by the
coordinator of Sở KH&CN and, set up through the real services:

- accepted: three agencies (``accepted``), one of them accepted after a return and a resubmission;
- returned: one agency (``returned``), whose text must not appear anywhere;
- submitted, not yet accepted: one agency (``submitted``);
- draft: one agency with a filled draft (``draft``);
- the others never touched.

Every result typed by an agency carries a marker ``«<agency id>:<task code>»`` so tests can look for it.
"""

import datetime
from dataclasses import dataclass, field, replace

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from plantrack.plans.models import Plan
from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport, EntryStatus, ReportingCycle

VN = datetime.timezone(datetime.timedelta(hours=7))
STATUSES = [EntryStatus.CONTINUING, EntryStatus.IN_PROGRESS, EntryStatus.DONE]


def marker(report: AgencyReport, code: str, round_: int = 1) -> str:
    return f"«{report.agency_id}:{code}:{round_}»"


def fill(
    report: AgencyReport, actor, *, round_: int = 1, at: datetime.datetime | None = None
) -> AgencyReport:
    report.refresh_from_db()
    entries = {}
    for index, entry in enumerate(report.entries.select_related("task").order_by("order")):
        status = STATUSES[index % len(STATUSES)]
        entries[entry.pk] = {
            "status": status,
            "results": f"Kết quả {marker(report, entry.task.code, round_)} của {report.agency.name}.",
            "difficulties": "Thiếu kinh phí." if index == 0 else "",
        }
    return services.report_save_draft(
        actor=actor,
        report=report,
        version=report.version,
        entries=entries,
        now=at,
        sections={
            "main_results": f"Điểm mạnh của {report.agency.name} (vòng {round_}).",
            "shortcomings": f"Hạn chế của {report.agency.name} (vòng {round_}).",
            "next_year": "Tiếp tục thực hiện.",
            "proposals": f"Kiến nghị của {report.agency.name}.",
        },
    )


@dataclass
class Cycle2025:
    plan: Plan
    cycle: ReportingCycle
    coordinator: object
    viewer: object
    reporter: object  # of an accepted agency
    other_coordinator: object
    admin: object
    accepted: list[AgencyReport] = field(default_factory=list)
    returned: AgencyReport | None = None
    submitted: AgencyReport | None = None
    draft: AgencyReport | None = None
    heads: dict = field(default_factory=dict)


def _user(username: str, role: str, agency=None, **extra):
    user = get_user_model().objects.create(
        username=username, role=role, agency=agency, full_name=username, **extra
    )
    user.set_password("Matkhau@2025")
    user.save()
    return user


def _make_world() -> Cycle2025:
    plan = Plan.objects.by_code("386/KH-UBND").get()
    coordinator = _user("dieuphoi_test", "coordinator", plan.coordinator_agency)
    cycle = services.cycle_open(actor=coordinator, plan=plan, year=2025)
    reports = list(
        AgencyReport.objects.filter(cycle=cycle)
        .exclude(agency=plan.coordinator_agency)
        .select_related("agency")
        .order_by("agency__name")
    )
    world = Cycle2025(
        plan=plan,
        cycle=cycle,
        coordinator=coordinator,
        viewer=_user("xem_test", "viewer"),
        reporter=None,
        other_coordinator=_user("dieuphoi_khac", "coordinator", reports[-1].agency),
        admin=_user("quantri_test", "admin", is_staff=True, is_superuser=True),
    )

    def head(report):
        if report.agency_id not in world.heads:
            world.heads[report.agency_id] = _user(f"lanhdao_{report.agency_id}", "head", report.agency)
        return world.heads[report.agency_id]

    # Reports owing the most tasks first, so the accepted ones cover tasks of every group.
    reports.sort(key=lambda r: (-r.entries.count(), r.agency.name))
    first, second, third, returned, submitted, draft = reports[:6]
    for report in (first, second):
        fill(report, head(report))
        services.report_submit(actor=head(report), report=report)
        services.report_accept(actor=coordinator, report=AgencyReport.objects.get(pk=report.pk))
    # Accepted after a return: only the second round may show.
    fill(third, head(third))
    services.report_submit(actor=head(third), report=third)
    services.report_return(
        actor=coordinator, report=AgencyReport.objects.get(pk=third.pk), comment="Bổ sung."
    )
    fill(third, head(third), round_=2)
    services.report_resubmit(actor=head(third), report=AgencyReport.objects.get(pk=third.pk))
    services.report_accept(actor=coordinator, report=AgencyReport.objects.get(pk=third.pk))

    fill(returned, head(returned))
    services.report_submit(actor=head(returned), report=returned)
    services.report_return(actor=coordinator, report=AgencyReport.objects.get(pk=returned.pk), comment="Sai.")
    fill(submitted, head(submitted))
    services.report_submit(actor=head(submitted), report=submitted)
    fill(draft, head(draft))

    world.accepted = [first, second, third]
    world.returned, world.submitted, world.draft = returned, submitted, draft
    world.reporter = _user("chuyenvien_test", "reporter", first.agency)
    return world


@pytest.fixture(scope="module")
def _cycle_2025_module(django_db_setup, django_db_blocker):
    """Built once per test module inside a transaction rolled back at the module's end (loading the default
    data and playing the workflow takes seconds); each test runs in its own savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(datetime.datetime(2025, 11, 3, 9, 0, tzinfo=VN), tick=False):
            call_command("load_default", "--no-demo", verbosity=0)
            world = _make_world()
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def cycle_2025(_cycle_2025_module, db) -> Cycle2025:
    """The module's world with its rows read afresh (a test may have changed them in its savepoint)."""
    world = _cycle_2025_module
    fresh = AgencyReport.objects.select_related("agency", "accepted_submission")
    return replace(
        world,
        cycle=ReportingCycle.objects.select_related("plan").get(pk=world.cycle.pk),
        accepted=[fresh.get(pk=r.pk) for r in world.accepted],
        returned=fresh.get(pk=world.returned.pk),
        submitted=fresh.get(pk=world.submitted.pk),
        draft=fresh.get(pk=world.draft.pk),
    )


@pytest.fixture(autouse=True)
def consolidation_settings(settings, tmp_path):
    settings.CONSOLIDATION_BUILD_MODE = "inline"
    settings.CONSOLIDATED_CHART_CACHE_DIR = str(tmp_path / "charts")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
