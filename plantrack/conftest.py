"""Fixtures shared by every app's tests."""

import pytest
from django.core.management import call_command

from plantrack.plans.models import Plan


@pytest.fixture
def plan_386(db) -> Plan:
    """The embedded default, loaded exactly as `make run` loads it (without demo accounts)."""
    call_command("load_default", "--no-demo", verbosity=0)
    return Plan.objects.by_code("386/KH-UBND").get()
