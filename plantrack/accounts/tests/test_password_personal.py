"""Passwords made of the user's own name or of white space are refused; others with the name's letters are not."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from plantrack.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(username="an.nguyen", full_name="Nguyễn Văn An")


@pytest.mark.parametrize(
    "password",
    [
        "Nguyễn Văn An",
        "nguyen van an",
        "NguyenVanAn2025!",
        "Nguyen.Van.An",
        "xx-an.nguyen-xx",
        " " * 8,
        "\t" * 12,
    ],
)
def test_own_name_or_blank_refused(user, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_full_name_is_compared_by_similarity_too(user):
    with pytest.raises(ValidationError):
        validate_password("Nguyen Vann Ann", user=user)


@pytest.mark.parametrize("password", ["Mùa thu Hà Nội 2025", "Cau-mat-khau-moi-2025"])
def test_other_passphrases_accepted(user, password):
    validate_password(password, user=user)
