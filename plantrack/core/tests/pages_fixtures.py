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
