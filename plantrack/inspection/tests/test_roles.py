"""Inspection lists add up all of a user's roles (review finding): an extra reporter role in an agency shows that
agency's visits and recommendations, and nothing of others; the agency's people by any role are notified."""

import pytest

from plantrack.accounts.models import Membership, Role
from plantrack.inspection.models import InspectionPlan, Recommendation, Visit
from plantrack.reporting.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_extra_agency_role_sees_that_agencys_recommendations_only(world, recommendation):
    # a reporter of B who also reports for A (the visited agency)
    both = world.reporter_b
    assert not Recommendation.objects.for_user(both).exists()
    Membership.objects.create(user=both, agency=world.a, role=Role.REPORTER)
    both = type(both).objects.get(pk=both.pk)  # roles are read once per user object
    assert list(Recommendation.objects.for_user(both)) == [recommendation]
    assert Visit.objects.for_user(both).count() == 1
    assert InspectionPlan.objects.for_user(both).count() == 1


def test_an_administrator_with_a_primary_agency_but_no_agency_role_sees_nothing(world, recommendation):
    admin = UserFactory(username="qtv", role=Role.ADMIN, agency=world.a)
    assert not Recommendation.objects.for_user(admin).exists()
    assert not Visit.objects.for_user(admin).exists()
