"""Fixtures shared by the page tests: the embedded default and one persona per role.

Use them in a test module with ``default_data = pages_fixtures.default_data`` (and so on) at module level.
Personas are the demo accounts, created through the real service:

- ``reporter`` / ``head``: Sở Tài chính (agency A: leads III.2.c, coordinates III.6.b);
- ``other_reporter``: Sở Nội vụ (agency B);
- ``coordinator``: Sở Khoa học và Công nghệ (the department in charge of plan 386);
- ``viewer``: Ủy ban nhân dân tỉnh Đồng Nai;
- ``admin``: administrator, no agency.
"""

import pytest

from plantrack.accounts.models import User
from plantrack.accounts.services import demo_accounts_ensure
from plantrack.plans.models import Plan
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport, EntryStatus

PERSONAS = {
    "reporter": "chuyenvien.stc",
    "head": "lanhdao.stc",
    "other_reporter": "chuyenvien.snv",
    "coordinator": "dieuphoi",
    "viewer": "xem",
    "admin": "admin",
}
ROLES = list(PERSONAS)


@pytest.fixture
def default_data(plan_386) -> Plan:
    """Agencies and plan 386/KH-UBND loaded exactly as `make run` loads them; returns the plan."""
    return plan_386


@pytest.fixture
def personas(default_data) -> dict[str, User]:
    demo_accounts_ensure(password="Mat-khau-thu-2025")
    users = {
        u.username: u for u in User.objects.filter(username__in=PERSONAS.values()).select_related("agency")
    }
    return {role: users[username] for role, username in PERSONAS.items()}


def fill_and_send(report: AgencyReport, reporter, head) -> AgencyReport:
    """Give every entry a status and a result through the reporter's draft save, send it as the head; the report
    as it is then."""
    entries = {
        e.pk: {"status": EntryStatus.IN_PROGRESS, "results": "Đã làm", "difficulties": ""}
        for e in report.entries.all()
    }
    report = reporting.report_save_draft(
        actor=reporter,
        report=report,
        version=report.version,
        sections={"main_results": "Kết quả"},
        entries=entries,
    )
    reporting.report_submit(actor=head, report=report)
    report.refresh_from_db()
    return report
