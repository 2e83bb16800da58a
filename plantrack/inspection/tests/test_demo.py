"""The demo inspection and escalation of load_default: present, consistent, and loading twice adds no row."""

import datetime
import io

import pytest
from django.core.management import call_command

from plantrack.inspection.models import (
    InspectionPlan,
    Recommendation,
    RecommendationEvent,
    RecommendationState,
    Visit,
)
from plantrack.inspection.selectors import overdue_recommendations
from plantrack.monitoring.models import EscalationRecord


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts():
    return [
        m.objects.count()
        for m in (InspectionPlan, Visit, Recommendation, RecommendationEvent, EscalationRecord)
    ]


@pytest.mark.django_db
def test_load_default_twice(time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC), tick=True)
    call_command("load_default", stdout=io.StringIO())
    first = _counts()
    assert first[:3] == [1, 1, 2] and first[4] == 1
    inspection = InspectionPlan.objects.get()
    assert inspection.is_demo and inspection.plan.code == "386/KH-UBND"
    states = sorted(Recommendation.objects.values_list("state", flat=True))
    assert states == [RecommendationState.CLOSED, RecommendationState.OPEN]
    overdue = overdue_recommendations(plan=inspection.plan, as_of=datetime.date(2026, 1, 5))
    assert [r.state for r in overdue] == [RecommendationState.OPEN]
    escalation = EscalationRecord.objects.get()
    assert escalation.listed and escalation.decided_by.username == "dieuphoi"
    call_command("load_default", stdout=io.StringIO())
    assert _counts() == first
