"""Personas and helpers for the security tests."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from plantrack.accounts.models import Role
from plantrack.accounts.tests.factories import PASSWORD, UserFactory
from plantrack.orgs.tests.factories import AgencyFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The production hasher costs ~0.3 s per hash by design; these tests hash and check passwords by the dozen.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    agency_a = AgencyFactory(name="Sở A")
    agency_b = AgencyFactory(name="Sở B")
    dept = AgencyFactory(name="Sở Khoa học và Công nghệ thử")
    return SimpleNamespace(
        agency_a=agency_a,
        agency_b=agency_b,
        reporter_a=UserFactory(username="reporter_a", role=Role.REPORTER, agency=agency_a),
        head_a=UserFactory(username="head_a", role=Role.HEAD, agency=agency_a),
        reporter_b=UserFactory(username="reporter_b", role=Role.REPORTER, agency=agency_b),
        coordinator=UserFactory(username="coordinator", role=Role.COORDINATOR, agency=dept),
        viewer=UserFactory(username="viewer", role=Role.VIEWER),
        admin=UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    )


def login_post(client, username: str, password: str = PASSWORD, **extra):
    """Log in through the real login page, as a browser does."""
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)
