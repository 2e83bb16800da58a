from types import SimpleNamespace

import pytest

from plantrack.accounts.models import Role
from plantrack.accounts.tests.factories import UserFactory
from plantrack.security.tests.conftest import fast_password_hasher, people  # noqa: F401  (shared fixtures)


@pytest.fixture
def staff(people):  # noqa: F811  (the imported fixture)
    """The security personas plus an administrator by role only (not a Django superuser), who is the everyday
    user manager, and an agency head of the other agency."""
    return SimpleNamespace(
        **vars(people),
        head_b=UserFactory(username="head_b", role=Role.HEAD, agency=people.agency_b),
        manager=UserFactory(username="manager", full_name="Quản trị Sở", role=Role.ADMIN),
    )
